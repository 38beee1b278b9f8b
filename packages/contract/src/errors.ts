/**
 * The one error value of the runtime. A handler throws it; HTTP answers `status` with
 * `{ "error": message }`, IPC answers `{ id, error: { status, message } }`, and the client turns
 * both back into an `Error` whose message is exactly `message` (toasts show it verbatim).
 */
export class RuntimeError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'RuntimeError';
    this.status = status;
  }

  toJSON(): RuntimeErrorShape {
    return { status: this.status, message: this.message };
  }
}

export interface RuntimeErrorShape {
  status: number;
  message: string;
}

export function isRuntimeErrorShape(value: unknown): value is RuntimeErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { status?: unknown }).status === 'number' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
