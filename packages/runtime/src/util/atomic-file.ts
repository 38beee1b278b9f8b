/**
 * Crash-safe file primitives for the small JSON stores in the data directory (settings, git
 * identities, the prompt enhancer's config, the AI endpoint).
 *
 * The reference server writes settings straight over the file with no lock, so a crash mid-write
 * truncates it and two concurrent writers lose updates; a corrupt file is then treated as empty
 * and silently overwritten. Everything here exists to make those three failures impossible.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { isPlainObject } from '@chamber/contract';
import type { Logger } from '../logger.js';
import { diskFullError } from './system-errors.js';

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Readers see either the old or the new content, never a torn write: the data goes to a unique
 * sibling temp file (same directory, so the rename cannot cross filesystems), is fsynced, then
 * renamed over the target; the directory is fsynced so the rename itself survives a power loss.
 */
export async function writeFileAtomic(filePath: string, data: string): Promise<void> {
  try {
    await writeFileAtomicUnmapped(filePath, data);
  } catch (error) {
    throw diskFullError(error, filePath);
  }
}

async function writeFileAtomicUnmapped(filePath: string, data: string): Promise<void> {
  const target = path.resolve(filePath);
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);

  // Keep the permissions a user may have tightened on the existing file (the reference wrote in
  // place, which preserved them implicitly).
  let mode: number | undefined;
  try {
    mode = (await fs.stat(target)).mode & 0o777;
  } catch {
    mode = undefined;
  }

  try {
    const handle = await fs.open(tmp, 'wx', mode ?? 0o666);
    try {
      if (mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, target);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  await fsyncDirectory(dir);
}

async function fsyncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Some platforms (Windows, certain network filesystems) cannot open or fsync a directory; the
    // rename has already happened, so durability is best-effort there.
    const code = errorCode(error);
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM') throw error;
  }
}

// Tail of the FIFO queue per absolute path. Same-process callers queue here instead of polling the
// lock file, which keeps ordering fair and avoids needless filesystem traffic.
const queues = new Map<string, Promise<void>>();

async function withProcessMutex<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  queues.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (queues.get(key) === tail) queues.delete(key);
  }
}

async function tryStat(file: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes a stale lock without clobbering a fresh one that another process created after we
 * looked: the lock is renamed away first, and if what we grabbed is not the stale file we saw, it
 * is linked back (link fails rather than overwrites if yet another lock appeared meanwhile).
 */
async function breakStaleLock(lockPath: string, seen: Stats): Promise<void> {
  const grabbed = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.rename(lockPath, grabbed);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const taken = await tryStat(grabbed);
  if (taken && taken.ino !== seen.ino) await fs.link(grabbed, lockPath).catch(() => undefined);
  await fs.rm(grabbed, { force: true });
}

async function acquireLockFile(lockPath: string, label: string, staleMs: number, timeoutMs: number): Promise<Stats> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    let handle: FileHandle | undefined;
    try {
      handle = await fs.open(lockPath, 'wx');
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    if (handle) {
      try {
        await handle.writeFile(`${process.pid}\n`, 'utf8');
        return await handle.stat();
      } catch (error) {
        // On a full disk the empty file is created but the pid cannot be written: a lock left
        // behind would make every later save wait out the stale period.
        await fs.rm(lockPath, { force: true }).catch(() => undefined);
        throw error;
      } finally {
        await handle.close().catch(() => undefined);
      }
    }
    const existing = await tryStat(lockPath);
    if (!existing) continue;
    // A holder that crashed never releases; age is the only signal we have across processes.
    if (Date.now() - existing.mtimeMs > staleMs) {
      await breakStaleLock(lockPath, existing);
      continue;
    }
    if (Date.now() >= deadline) throw new Error(`Timed out waiting for lock on ${label}`);
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 100);
  }
}

/**
 * Runs `fn` while holding an exclusive lock on `filePath`: an in-process FIFO mutex plus a
 * `<file>.lock` created with O_EXCL so separate processes (desktop shell + server) serialise too.
 */
export async function withFileLock<T>(
  filePath: string,
  fn: () => Promise<T>,
  options: { staleMs?: number; timeoutMs?: number } = {},
): Promise<T> {
  const target = path.resolve(filePath);
  const staleMs = options.staleMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const lockPath = `${target}.lock`;
  return withProcessMutex(target, async () => {
    let ours: Stats;
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      ours = await acquireLockFile(lockPath, target, staleMs, timeoutMs);
    } catch (error) {
      throw diskFullError(error, target);
    }
    // Refresh the mtime so a legitimately long critical section is not mistaken for a crash.
    const heartbeat = setInterval(
      () => {
        const now = new Date();
        fs.utimes(lockPath, now, now).catch(() => undefined);
      },
      Math.max(1, Math.floor(staleMs / 2)),
    );
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
      // Only delete the lock we created; if it was (wrongly) taken over, leave the new owner's.
      const current = await tryStat(lockPath).catch(() => undefined);
      if (current && current.ino === ours.ino) await fs.rm(lockPath, { force: true }).catch(() => undefined);
    }
  });
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'a non-plain object' : `a ${typeof value}`;
}

async function quarantineName(filePath: string, now: () => Date): Promise<string> {
  const base = `${filePath}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}`;
  for (let counter = 0; ; counter++) {
    const candidate = counter === 0 ? base : `${base}-${counter}`;
    try {
      await fs.lstat(candidate);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return candidate;
      throw error;
    }
  }
}

/**
 * Reads a JSON object file. Missing → `{}`. Corrupt (or, with `expect: 'object'`, not a plain
 * object) → the file is moved aside to `<file>.corrupt-<timestamp>` and `{}` is returned, so the
 * next write cannot destroy what the user had. Any other read error is thrown: a file we could
 * not read must never be treated as empty and then overwritten.
 */
export async function readJsonFileOrQuarantine(
  filePath: string,
  logger: Logger,
  options: {
    now?: () => Date;
    expect?: 'object';
    label?: string;
    /** A further check of the parsed object: a returned reason marks the file corrupt. */
    validate?: (value: Record<string, unknown>) => string | undefined;
  } = {},
): Promise<{ value: Record<string, unknown>; quarantinedTo?: string }> {
  const now = options.now ?? (() => new Date());
  const label = options.label ?? 'JSON';
  // A few rounds at most: each retry means a concurrent writer replaced the file under us.
  for (let attempt = 0; ; attempt++) {
    let handle: FileHandle;
    try {
      handle = await fs.open(filePath, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { value: {} };
      throw error;
    }
    let text: string;
    let readStat: Stats;
    try {
      readStat = await handle.stat();
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }

    let reason: string | undefined;
    let parsed: unknown;
    try {
      // Editors on Windows like to prepend a BOM; JSON.parse rejects it, but the content is fine.
      parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (error) {
      reason = `invalid JSON: ${errorMessage(error)}`;
    }
    if (reason === undefined) {
      if (options.expect === 'object' ? isPlainObject(parsed) : typeof parsed === 'object' && parsed !== null) {
        reason = options.validate?.(parsed as Record<string, unknown>);
        if (reason === undefined) return { value: parsed as Record<string, unknown> };
      } else {
        reason = `expected a JSON object, found ${describeJson(parsed)}`;
      }
    }

    // Move aside only the very file we judged: an atomic write by someone else since our read
    // replaced the inode, and that new file must not be quarantined.
    const current = await tryStat(filePath);
    const replaced =
      !current ||
      current.ino !== readStat.ino ||
      current.mtimeMs !== readStat.mtimeMs ||
      current.size !== readStat.size;
    if (replaced && attempt < 3) continue;

    const movedTo = await quarantineName(filePath, now);
    try {
      await fs.rename(filePath, movedTo);
    } catch (error) {
      if (errorCode(error) === 'ENOENT' && attempt < 3) continue; // someone else moved it already
      throw error;
    }
    logger.log('warn', `Corrupt ${label} file moved aside`, { file: filePath, movedTo, reason });
    return { value: {}, quarantinedTo: movedTo };
  }
}

/**
 * One JSON object file in the data directory, as every store keeps its state: read with a
 * corrupt file moved aside (`readJsonFileOrQuarantine`), changed under `withFileLock`, replaced
 * with `writeFileAtomic` as two-space JSON without a trailing newline (the reference's format).
 * `filePath` is absolute, so two stores on the same file share one lock.
 */
export class JsonDataFile {
  readonly filePath: string;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #label: string;

  constructor(options: { dataDir: string; logger: Logger; now?: () => Date }, name: string, label: string) {
    this.filePath = path.join(path.resolve(options.dataDir), name);
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#label = label;
  }

  /** The parsed object; `{}` when missing or corrupt (then kept aside as `quarantinedTo`). */
  read(
    validate?: (value: Record<string, unknown>) => string | undefined,
  ): Promise<{ value: Record<string, unknown>; quarantinedTo?: string }> {
    return readJsonFileOrQuarantine(this.filePath, this.#logger, {
      now: this.#now,
      expect: 'object',
      label: this.#label,
      validate,
    });
  }

  locked<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(this.filePath, fn);
  }

  write(value: unknown): Promise<void> {
    return writeFileAtomic(this.filePath, JSON.stringify(value, null, 2));
  }

  /** A line in the runtime's log about this file. */
  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.#logger.log('warn', message, { file: this.filePath, ...fields });
  }
}
