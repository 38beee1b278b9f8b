/**
 * The web server's UI password (files-terminal-system.md §7.2), for a login page: is this browser
 * let in (`GET /auth/session`), and log in (`POST /auth/session`). Web only: the desktop window
 * has no port and no password, so `ChamberRuntimeAPIs.auth` is absent there.
 *
 * Not a command of the table: the routes live outside `/api` on purpose (they must answer before
 * there is a session), and the session itself is an `HttpOnly` cookie the page never sees.
 */
import { messageOf, RuntimeCallError } from './errors.js';
import type { Transport } from './transport.js';

export const UI_SESSION_PATH = '/auth/session';

/** `open`: no password is set, or this browser holds a valid session; `locked`: a login is needed. */
export type UiSessionState = 'open' | 'locked';

export interface ChamberUiAuthAPI {
  /**
   * Whether the runtime's API is reachable without logging in. Rejects with a
   * `RuntimeCallError` for anything but 2xx and 401 (status 0 when the server was not reached).
   */
  session(): Promise<UiSessionState>;
  /**
   * Log in. Resolves once the session cookie is set; rejects with a `RuntimeCallError` whose
   * status says why (401 wrong password, 429 too many attempts, 0 network) and whose message is
   * the server's `error` when it sent one.
   */
  login(password: string): Promise<void>;
}

export function createUiAuthAPI(http: NonNullable<Transport['http']>): ChamberUiAuthAPI {
  async function call(method: 'GET' | 'POST', body?: string): Promise<{ status: number; value: unknown }> {
    let response: Response;
    let text: string;
    try {
      response = await http.fetch(`${http.baseUrl}${UI_SESSION_PATH}`, {
        method,
        // Same origin in practice; `include` also carries the cookie to a server on another origin.
        credentials: 'include',
        headers: { Accept: 'application/json', ...(body !== undefined && { 'Content-Type': 'application/json' }) },
        ...(body !== undefined && { body }),
      });
      text = await response.text();
    } catch (error) {
      throw new RuntimeCallError(0, `Network error: ${messageOf(error)}`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      value = undefined;
    }
    return { status: response.status, value };
  }

  function failure(method: string, status: number, value: unknown): RuntimeCallError {
    const error = (value as { error?: unknown } | null | undefined)?.error;
    return new RuntimeCallError(
      status,
      typeof error === 'string' ? error : `${method} ${UI_SESSION_PATH} failed with status ${status}`,
    );
  }

  return {
    async session() {
      const { status, value } = await call('GET');
      if (status >= 200 && status < 300) return 'open';
      if (status === 401) return 'locked';
      throw failure('GET', status, value);
    },
    async login(password) {
      const { status, value } = await call('POST', JSON.stringify({ password }));
      if (status >= 200 && status < 300) return;
      throw failure('POST', status, value);
    },
  };
}
