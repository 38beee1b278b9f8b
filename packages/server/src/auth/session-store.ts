/**
 * UI sessions that survive a restart (the reference kept them in memory only). The file
 * (`<data dir>/ui-sessions.json`) never holds a token: each session is recorded by
 * `HMAC-SHA256(key, token)`, the key derived from the UI password with the file's salt. So the
 * file alone lets nobody in, and changing the password ends every session (no stored id matches
 * under the new key).
 *
 * ```json
 * { "version": 1, "salt": "<base64url, 16 bytes>",
 *   "sessions": [{ "id": "<64 hex>", "createdAt": <ms>, "lastSeen": <ms> }] }
 * ```
 *
 * Writes are atomic (`writeFileAtomic`) and serialised. A login or a revocation is written before
 * it is answered; `lastSeen` refreshes only mark the file dirty and are written at most once a
 * minute (a restart may then expire a session up to a minute early). A corrupt file is moved
 * aside (`ui-sessions.json.corrupt-<time>`) and not trusted; a file that cannot be read at all is
 * left alone and sessions stay in memory for this run.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { readJsonFileOrQuarantine, writeFileAtomic, type Logger } from '@chamber/runtime';

export const SESSIONS_FILE = 'ui-sessions.json';
const VERSION = 1;
const SALT_BYTES = 16;
const ID_SHAPE = /^[0-9a-f]{64}$/;
/** How long a `lastSeen` refresh may wait before it is written. */
const TOUCH_WRITE_DELAY_MS = 60_000;

export interface Session {
  createdAt: number;
  lastSeen: number;
  /** When this run last sent the cookie (0: not yet), for the sliding cookie refresh. */
  cookieSentAt: number;
}

export interface SessionStoreOptions {
  /** Absent: memory only. */
  file?: string;
  ttlMs: number;
  maxSessions: number;
  now: () => number;
  logger: Logger;
}

export class SessionStore {
  readonly #options: SessionStoreOptions;
  readonly #sessions = new Map<string, Session>();
  #key: Buffer | undefined;
  #salt: Buffer = randomBytes(SALT_BYTES);
  /** False when the file could not be read: it must not be overwritten with what we have. */
  #persist: boolean;
  #writes: Promise<void> = Promise.resolve();
  #dirtyTimer: ReturnType<typeof setTimeout> | undefined;
  #dirty = false;
  #modeFixed = false;

  constructor(options: SessionStoreOptions) {
    this.#options = options;
    this.#persist = options.file !== undefined;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Read the file (if any) and return its salt, from which the caller derives the key. The
   * sessions read are kept only once `setKey` has the key (ids are meaningless without it).
   */
  async load(): Promise<Buffer> {
    const file = this.#options.file;
    if (file === undefined) return this.#salt;
    let value: Record<string, unknown>;
    try {
      ({ value } = await readJsonFileOrQuarantine(file, this.#options.logger, {
        label: 'UI sessions',
        expect: 'object',
        now: () => new Date(this.#options.now()),
        validate: describeInvalid,
      }));
    } catch (error) {
      this.#persist = false;
      this.#options.logger.log('error', 'Cannot read the UI sessions file; sessions are kept in memory only', {
        file,
        error: error instanceof Error ? error.message : String(error),
      });
      return this.#salt;
    }
    if (typeof value.salt === 'string') this.#salt = Buffer.from(value.salt, 'base64url');
    const now = this.#options.now();
    for (const entry of (value.sessions ?? []) as { id: string; createdAt: number; lastSeen: number }[]) {
      if (now - entry.lastSeen >= this.#options.ttlMs) continue;
      this.#sessions.set(entry.id, { createdAt: entry.createdAt, lastSeen: entry.lastSeen, cookieSentAt: 0 });
    }
    return this.#salt;
  }

  setKey(key: Buffer): void {
    this.#key = key;
  }

  #id(token: string): string {
    if (!this.#key) throw new Error('SessionStore used before its key was set');
    return createHmac('sha256', this.#key).update(token).digest('hex');
  }

  /** A new session: its token (for the cookie only; never stored) and its record. */
  async create(): Promise<{ token: string; session: Session }> {
    const now = this.#options.now();
    const token = randomBytes(32).toString('base64url');
    const session: Session = { createdAt: now, lastSeen: now, cookieSentAt: now };
    this.#sessions.set(this.#id(token), session);
    // Over the bound, the sessions seen least recently go (a login needs the password, so only
    // the rightful user can fill this; the bound keeps the file and the map small regardless).
    if (this.#sessions.size > this.#options.maxSessions) {
      const oldest = [...this.#sessions].sort((a, b) => a[1].lastSeen - b[1].lastSeen);
      for (const [id] of oldest.slice(0, this.#sessions.size - this.#options.maxSessions)) this.#sessions.delete(id);
    }
    await this.#writeNow();
    return { token, session };
  }

  /** The live session a token names (its `lastSeen` refreshed), or undefined; an expired one is removed. */
  find(token: string): Session | undefined {
    const id = this.#id(token);
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.#options.now();
    if (now - session.lastSeen >= this.#options.ttlMs) {
      this.#sessions.delete(id);
      this.#markDirty();
      return undefined;
    }
    session.lastSeen = now;
    this.#markDirty();
    return session;
  }

  async revoke(tokens: readonly string[]): Promise<void> {
    let removed = false;
    for (const token of tokens) removed = this.#sessions.delete(this.#id(token)) || removed;
    if (removed) await this.#writeNow();
  }

  /** Drop expired sessions (the periodic sweep). */
  sweep(): void {
    const now = this.#options.now();
    for (const [id, session] of this.#sessions) {
      if (now - session.lastSeen >= this.#options.ttlMs) {
        this.#sessions.delete(id);
        this.#markDirty();
      }
    }
  }

  /** Write what is pending and stop the timer (server shutdown). */
  async close(): Promise<void> {
    if (this.#dirtyTimer) clearTimeout(this.#dirtyTimer);
    this.#dirtyTimer = undefined;
    if (this.#dirty) await this.#writeNow();
    await this.#writes;
  }

  #markDirty(): void {
    if (!this.#persist) return;
    this.#dirty = true;
    if (this.#dirtyTimer) return;
    this.#dirtyTimer = setTimeout(() => {
      this.#dirtyTimer = undefined;
      void this.#writeNow();
    }, TOUCH_WRITE_DELAY_MS);
    this.#dirtyTimer.unref();
  }

  /** Queue a write of the current state after any running one; failures are logged, never thrown. */
  #writeNow(): Promise<void> {
    const file = this.#options.file;
    if (!this.#persist || file === undefined) return this.#writes;
    this.#writes = this.#writes.then(async () => {
      this.#dirty = false;
      const sessions = [...this.#sessions].map(([id, session]) => ({
        id,
        createdAt: session.createdAt,
        lastSeen: session.lastSeen,
      }));
      const text = `${JSON.stringify({ version: VERSION, salt: this.#salt.toString('base64url'), sessions }, null, 2)}\n`;
      try {
        await writeFileAtomic(file, text);
        if (!this.#modeFixed) {
          // Only HMACs and a salt are in it, but nobody else needs to read them.
          await fs.chmod(file, 0o600);
          this.#modeFixed = true;
        }
      } catch (error) {
        this.#options.logger.log('warn', 'Could not save the UI sessions', {
          file,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
    return this.#writes;
  }
}

/** Why a parsed file is not one of ours (it is then moved aside), or undefined when it is. */
function describeInvalid(value: Record<string, unknown>): string | undefined {
  if (value.version !== VERSION) return `unknown version ${JSON.stringify(value.version)}`;
  if (typeof value.salt !== 'string' || Buffer.from(value.salt, 'base64url').length !== SALT_BYTES)
    return 'salt is not 16 base64url bytes';
  if (!Array.isArray(value.sessions)) return 'sessions is not an array';
  for (const entry of value.sessions as unknown[]) {
    const session = entry as Record<string, unknown> | null;
    if (
      typeof session !== 'object' ||
      session === null ||
      typeof session.id !== 'string' ||
      !ID_SHAPE.test(session.id) ||
      !Number.isFinite(session.createdAt) ||
      !Number.isFinite(session.lastSeen)
    )
      return 'a session entry is malformed';
  }
  return undefined;
}
