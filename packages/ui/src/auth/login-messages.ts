/**
 * What the login page says for each outcome: the reference UI's sentences (SessionAuthGate), and
 * for a throttled login the server's own message, which says how long to wait (the reference's
 * server never throttled, so its UI had no sentence for it).
 */
import { TOO_MANY_ATTEMPTS } from '@chamber/contract';

export const INCORRECT_PASSWORD = 'Incorrect password. Try again.';
export const UNEXPECTED_RESPONSE = 'Unexpected response from server.';
export const NETWORK_ERROR = 'Network error. Check connection and retry.';

/** `status` as the client's `RuntimeCallError` carries it (0: the server was not reached). */
export function loginErrorMessage(error: unknown): string {
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 401) return INCORRECT_PASSWORD;
  if (status === 0) return NETWORK_ERROR;
  if (status === 429 && error instanceof Error && error.message.startsWith(TOO_MANY_ATTEMPTS)) return error.message;
  return UNEXPECTED_RESPONSE;
}
