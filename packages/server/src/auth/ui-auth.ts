/**
 * UI password authentication of the web server (files-terminal-system.md §7): `GET/POST
 * /auth/session` with the reference's shapes and strings, and the gate every `/api` request and
 * every WebSocket upgrade passes. Transport-free: it reads an `IncomingMessage` and answers
 * `{ status, body, headers }`, which the request handler sends.
 *
 * What the reference lacked, added here:
 * - the password is checked with scrypt run on libuv's thread pool (`crypto.scrypt`, never the
 *   synchronous one on the event loop), at most `MAX_VERIFYING` at a time, compared in constant time;
 * - failed logins are throttled per client address (`LoginThrottle`): 429 while locked;
 * - sessions survive a restart (`SessionStore`, hashed ids only) and expire after 12 h idle;
 * - the cookie is refreshed while the session is used, so it does not die 12 h after login;
 * - `Secure` follows the request's TLS, `X-Forwarded-Proto` only when the operator trusts a proxy;
 * - a malformed `%` escape in any cookie is ignored instead of answering 500;
 * - unauthenticated `/api` requests always get the JSON body (the reference sent text/plain
 *   unless `Accept` had JSON, because of a mount-path bug).
 */
import { createHmac, scrypt, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { tooManyAttemptsMessage } from '@chamber/contract';
import type { Logger } from '@chamber/runtime';
import { clearingCookie, isSecureRequest, sessionCookie, sessionTokens } from './cookies.js';
import { SESSIONS_FILE, SessionStore, type Session } from './session-store.js';
import { LoginThrottle, clientKey } from './throttle.js';

/** Sliding server-side lifetime of a session, and the cookie's Max-Age (the reference's 12 h). */
export const SESSION_TTL_MS = 12 * 60 * 60_000;
/** A used session's cookie is sent again when the last one is older than this (sliding expiry). */
const COOKIE_REFRESH_MS = 60 * 60_000;
/** Expired sessions and stale throttle records are swept this often (the reference's 10 min). */
const SWEEP_INTERVAL_MS = 10 * 60_000;
const MAX_SESSIONS = 1_000;
/** scrypt calls at once: each holds a thread-pool thread (shared with file I/O) and 16 MiB. */
const MAX_VERIFYING = 2;
/** Logins waiting for a scrypt slot; more than this at once is answered 429 without waiting. */
const MAX_WAITING = 16;
const KEY_BYTES = 64;

export const AUTH_REQUIRED = 'UI authentication required';
export const INVALID_PASSWORD = 'Invalid password';
export const NOT_CONFIGURED = 'UI password not configured';

export interface UiAuthOptions {
  /** The UI password; NFC-normalised and trimmed. Absent or empty: authentication is disabled. */
  password?: string | null;
  /** Where sessions persist (default `<data dir>/ui-sessions.json`); `null`: memory only. */
  sessionsFile?: string | null;
  /**
   * Set `Secure` on the cookie when `X-Forwarded-Proto: https` (only behind a TLS-terminating
   * proxy you run: anyone can send that header). Default false: only a TLS socket counts.
   */
  trustForwardedProto?: boolean;
  /** Milliseconds since the epoch (tests move it to expire sessions and locks). */
  now?: () => number;
}

export interface AuthAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type Admission = { ok: true; headers: Record<string, string> } | { ok: false; answer: AuthAnswer };

/** What `normalize` makes of a password: NFC, trimmed (so `"  secret "` is `"secret"`). */
export function normalizePassword(password: string): string {
  return password.normalize('NFC').trim();
}

function deriveKey(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_BYTES, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const noStore = { 'Cache-Control': 'no-store' };

export class UiAuth {
  readonly enabled: boolean;
  readonly #password: string;
  readonly #now: () => number;
  readonly #trustForwardedProto: boolean;
  readonly #logger: Logger;
  readonly #store: SessionStore;
  readonly #throttle: LoginThrottle;
  #ready: Promise<void> | undefined;
  #salt: Buffer | undefined;
  #verifier: Buffer | undefined;
  #verifying = 0;
  readonly #waiting: (() => void)[] = [];
  #sweeper: ReturnType<typeof setInterval> | undefined;

  constructor(options: UiAuthOptions & { dataDir: string; logger: Logger }) {
    this.#password = normalizePassword(options.password ?? '');
    this.enabled = this.#password !== '';
    this.#now = options.now ?? Date.now;
    this.#trustForwardedProto = options.trustForwardedProto ?? false;
    this.#logger = options.logger;
    const file =
      options.sessionsFile === null ? undefined : (options.sessionsFile ?? path.join(options.dataDir, SESSIONS_FILE));
    this.#store = new SessionStore({
      file,
      ttlMs: SESSION_TTL_MS,
      maxSessions: MAX_SESSIONS,
      now: this.#now,
      logger: options.logger,
    });
    this.#throttle = new LoginThrottle({ now: this.#now });
  }

  /**
   * Load the sessions and derive the key, once (every check waits for it). Nothing is read or
   * written when auth is disabled.
   */
  ready(): Promise<void> {
    this.#ready ??= (async () => {
      if (!this.enabled) return;
      this.#salt = await this.#store.load();
      this.#verifier = await deriveKey(this.#password, this.#salt);
      // A separate key for session ids, so the file holds nothing computed with the verifier itself.
      this.#store.setKey(createHmac('sha256', this.#verifier).update('chamber ui session ids').digest());
      this.#sweeper = setInterval(() => {
        this.#store.sweep();
        this.#throttle.sweep();
      }, SWEEP_INTERVAL_MS);
      this.#sweeper.unref();
    })();
    return this.#ready;
  }

  /** The live session named by the request's cookie, if any. */
  async #session(req: IncomingMessage): Promise<{ session: Session; token: string } | undefined> {
    await this.ready();
    for (const token of sessionTokens(req.headers.cookie)) {
      const session = this.#store.find(token);
      if (session) return { session, token };
    }
    return undefined;
  }

  #cookie(req: IncomingMessage, token: string, session: Session): string {
    const now = this.#now();
    session.cookieSentAt = now;
    return sessionCookie(token, SESSION_TTL_MS, now, isSecureRequest(req, this.#trustForwardedProto));
  }

  #clearing(req: IncomingMessage): Record<string, string> {
    return { ...noStore, 'Set-Cookie': clearingCookie(isSecureRequest(req, this.#trustForwardedProto)) };
  }

  /** `GET /auth/session` (§7.2). A valid session also gets a fresh cookie. */
  async status(req: IncomingMessage): Promise<AuthAnswer> {
    if (!this.enabled) return { status: 200, body: { authenticated: true, disabled: true }, headers: noStore };
    const found = await this.#session(req);
    if (!found) return { status: 401, body: { authenticated: false, locked: true }, headers: this.#clearing(req) };
    return {
      status: 200,
      body: { authenticated: true },
      headers: { ...noStore, 'Set-Cookie': this.#cookie(req, found.token, found.session) },
    };
  }

  /**
   * `POST /auth/session` (§7.2). `readBody` is called only once the address may try (a locked-out
   * client's body is not even parsed); it throws the body parser's 4xx `RuntimeError`s.
   */
  async login(req: IncomingMessage, readBody: () => Promise<unknown>): Promise<AuthAnswer> {
    if (!this.enabled) return { status: 400, body: { error: NOT_CONFIGURED }, headers: noStore };
    await this.ready();
    const address = clientKey(req.socket.remoteAddress);
    const locked = this.#throttle.retryAfterMs(address);
    if (locked > 0) return tooMany(locked);
    const body = await readBody();
    const candidate = (body as { password?: unknown } | null | undefined)?.password;
    const invalid: AuthAnswer = {
      status: 401,
      body: { error: INVALID_PASSWORD, locked: true },
      headers: this.#clearing(req),
    };
    // No password at all tests nothing, so it is not counted as a guess (the reference's 401 still).
    if (typeof candidate !== 'string') return invalid;
    if (this.#verifying >= MAX_VERIFYING && this.#waiting.length >= MAX_WAITING) return tooMany(1_000);
    const verdict = await this.#verify(candidate, address);
    if (verdict === 'locked') return tooMany(this.#throttle.retryAfterMs(address));
    if (verdict === 'wrong') {
      this.#logger.log('warn', 'UI login failed', { address });
      return invalid;
    }
    // The session the browser held before is replaced, as the reference did.
    await this.#store.revoke(sessionTokens(req.headers.cookie));
    const { token, session } = await this.#store.create();
    this.#logger.log('info', 'UI login', { address });
    return {
      status: 200,
      body: { authenticated: true },
      headers: { ...noStore, 'Set-Cookie': this.#cookie(req, token, session) },
    };
  }

  /** Check a candidate under the concurrency bound; the throttle learns the outcome before the slot is freed. */
  async #verify(candidate: string, address: string): Promise<'right' | 'wrong' | 'locked'> {
    // A freed slot is handed to the next waiter directly, so a newcomer cannot slip in between.
    if (this.#verifying < MAX_VERIFYING) this.#verifying++;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      // Asked again once a slot is ours: a burst of concurrent guesses passed the first check
      // together, and the earlier ones of it may have locked the address meanwhile.
      if (this.#throttle.retryAfterMs(address) > 0) return 'locked';
      const derived = await deriveKey(normalizePassword(candidate), this.#salt as Buffer);
      const right = timingSafeEqual(derived, this.#verifier as Buffer);
      if (right) this.#throttle.succeed(address);
      else this.#throttle.fail(address);
      return right ? 'right' : 'wrong';
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#verifying--;
    }
  }

  /**
   * The `/api` gate (§7.3): a valid session passes (its `lastSeen` refreshed, and its cookie sent
   * again when the last one is over an hour old); anything else is 401 with the JSON body.
   */
  async admit(req: IncomingMessage): Promise<Admission> {
    if (!this.enabled) return { ok: true, headers: {} };
    const found = await this.#session(req);
    if (!found) {
      return {
        ok: false,
        answer: { status: 401, body: { error: AUTH_REQUIRED, locked: true }, headers: this.#clearing(req) },
      };
    }
    if (this.#now() - found.session.cookieSentAt < COOKIE_REFRESH_MS) return { ok: true, headers: {} };
    return { ok: true, headers: { 'Set-Cookie': this.#cookie(req, found.token, found.session) } };
  }

  /** Write pending session changes and stop the sweeper. */
  async close(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    if (this.#ready) await this.#ready.catch(() => undefined);
    await this.#store.close();
  }
}

function tooMany(waitMs: number): AuthAnswer {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return {
    status: 429,
    body: { error: tooManyAttemptsMessage(seconds) },
    headers: { ...noStore, 'Retry-After': String(seconds) },
  };
}
