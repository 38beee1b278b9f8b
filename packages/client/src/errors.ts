/**
 * The one error the client throws for a failed runtime call, whatever the transport. The runtime
 * answers `{ error }` with a status over HTTP and `{ status, message }` over IPC; both become a
 * `RuntimeCallError` whose `message` is the runtime's text verbatim (the UI shows it in toasts),
 * so this conversion happens exactly once, here, and nothing downstream re-wraps or prefixes it.
 */
import { isRuntimeErrorShape } from '@chamber/contract';

export class RuntimeCallError extends Error {
  /** HTTP-style status of the failure; 0 when the runtime was never reached (network, closed channel). */
  readonly status: number;
  /**
   * The runtime's longer explanation, when it gave one (what failed and where to change it);
   * `message` is then the reference's exact text, which clients may compare.
   */
  readonly detail?: string;

  constructor(status: number, message: string, detail?: string) {
    super(message);
    this.name = 'RuntimeCallError';
    this.status = status;
    if (detail !== undefined) this.detail = detail;
  }
}

/**
 * Normalise whatever a desktop bridge rejected with: an IPC error value `{ status, message }`
 * (which also covers a `RuntimeCallError` raised by the frame bridge itself), a bare string (the
 * Tauri-style rejection of desktop-ipc.md §2.3) or an `Error`.
 */
export function toRuntimeCallError(reason: unknown): RuntimeCallError {
  if (reason instanceof RuntimeCallError) return reason;
  if (isRuntimeErrorShape(reason)) {
    return new RuntimeCallError(
      reason.status,
      reason.message,
      typeof reason.detail === 'string' ? reason.detail : undefined,
    );
  }
  if (typeof reason === 'string') return new RuntimeCallError(500, reason);
  if (reason instanceof Error) return new RuntimeCallError(500, reason.message);
  return new RuntimeCallError(500, String(reason));
}

/** Message of a thrown value, for wrapping low-level failures (fetch's TypeError, ...). */
export function messageOf(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : String(reason);
}
