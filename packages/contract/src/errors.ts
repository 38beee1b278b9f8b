/**
 * The one error value of the runtime. A handler throws it; HTTP answers `status` with
 * `{ "error": message }`, IPC answers `{ id, error: { status, message } }`, and the client turns
 * both back into an `Error` whose message is exactly `message` (toasts show it verbatim).
 */
export class RuntimeError extends Error {
  readonly status: number;
  /**
   * A longer explanation for people (what failed, where to change it), sent beside `message`
   * (HTTP `{ error, detail }`, IPC `{ status, message, detail }`). It exists so that `message`
   * can stay the reference's exact string, which clients compare, while the person still learns
   * why: e.g. `Failed to refine prompt` with the endpoint's 401 and where the key is set.
   */
  readonly detail?: string;

  constructor(status: number, message: string, options: { detail?: string } = {}) {
    super(message);
    this.name = 'RuntimeError';
    this.status = status;
    if (options.detail !== undefined) this.detail = options.detail;
  }

  toJSON(): RuntimeErrorShape {
    return { status: this.status, message: this.message, ...(this.detail !== undefined && { detail: this.detail }) };
  }
}

/**
 * The sandbox's refusals, the same for every command that takes a path (listings, git, terminals,
 * watches): the reference's strings, which clients compare (the picker offers to approve a folder
 * refused with `ACCESS_DENIED`).
 */
export const ACCESS_DENIED = 'Access to directory denied';
export const DIRECTORY_NOT_FOUND = 'Directory not found';

export interface RuntimeErrorShape {
  status: number;
  message: string;
  detail?: string;
}

export function isRuntimeErrorShape(value: unknown): value is RuntimeErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { status?: unknown }).status === 'number' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
