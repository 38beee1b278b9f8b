/**
 * File-system change events for `fs://<directory>`: one @parcel/watcher subscription per
 * directory (inotify on Linux, FSEvents on macOS), shared by every client watching it and closed
 * with the last of them or with the runtime. Changes are debounced (150 ms after the last one, at
 * most 1 s after the first) into one event listing the changed paths. git's object store and
 * logs (`.git/objects`, `.git/logs`: every commit, fetch or gc writes thousands of files there)
 * and `node_modules` are not watched; `.git/index`, `HEAD` and refs are, and flag the event
 * `git`: a commit, a checkout or a stage made by anyone (a terminal, another tool) is seen.
 */
import path from 'node:path';
import { FS_WATCH_MAX_PATHS, RuntimeError, type FsChangeEvent } from '@chamber/contract';
import type { Logger } from '../logger.js';

export type ChangeListener = (event: Extract<FsChangeEvent, { type: 'changed' }>) => void;
type ErrorListener = (message: string) => void;

export interface WatchBackend {
  subscribe(
    directory: string,
    callback: (error: Error | null, events: { path: string; type: string }[]) => void,
    options: { ignore: string[]; backend?: 'inotify' | 'fs-events' | 'windows' },
  ): Promise<{ unsubscribe(): Promise<void> }>;
}

/**
 * The system's own notification API, named. Left to choose, @parcel/watcher first asks whether
 * watchman runs (`popen("watchman … get-sockname")`) for every new subscription, and where watchman
 * is not installed it throws before `pclose`: each watch then left a zombie `sh` and an open pipe
 * in the server for good.
 */
export const NATIVE_WATCH_BACKEND =
  process.platform === 'linux'
    ? 'inotify'
    : process.platform === 'darwin'
      ? 'fs-events'
      : process.platform === 'win32'
        ? 'windows'
        : undefined;

export interface DirectoryWatchersOptions {
  logger: Logger;
  /** Quiet time after the last change before an event is sent. */
  debounceMs?: number;
  /** Longest a burst of changes is held back. */
  maxDelayMs?: number;
  /** Most directories watched at once (each costs the OS a watch per sub-directory). */
  maxDirectories?: number;
  /** The watcher library (tests pass a fake). Default: @parcel/watcher, loaded on first use. */
  backend?: () => Promise<WatchBackend>;
}

/** What is never watched, relative to the watched directory (and `node_modules` at any depth). */
export const WATCH_IGNORED = ['.git/objects', '.git/logs', 'node_modules', '**/node_modules'];

/** git state whose change means "status, branch or history may have moved". */
function isGitState(relative: string): boolean {
  if (!relative.startsWith('.git/')) return false;
  const rest = relative.slice(5);
  return (
    rest === 'index' ||
    rest === 'HEAD' ||
    rest === 'packed-refs' ||
    rest === 'MERGE_HEAD' ||
    rest === 'FETCH_HEAD' ||
    rest.startsWith('refs/')
  );
}

interface Watched {
  listeners: Set<{ change: ChangeListener; error: ErrorListener }>;
  subscription: Promise<{ unsubscribe(): Promise<void> }>;
  pending: { paths: Set<string>; overflow: boolean; git: boolean; first: number } | null;
  timer: NodeJS.Timeout | null;
}

export class DirectoryWatchers {
  readonly #options: Required<Omit<DirectoryWatchersOptions, 'backend'>> & Pick<DirectoryWatchersOptions, 'backend'>;
  readonly #watched = new Map<string, Watched>();
  #closed = false;

  constructor(options: DirectoryWatchersOptions) {
    this.#options = { debounceMs: 150, maxDelayMs: 1000, maxDirectories: 32, ...options };
  }

  /** Directories watched now (tests, diagnostics). */
  get size(): number {
    return this.#watched.size;
  }

  /**
   * Watch `directory` (a canonical, existing directory) for one listener; resolves once the OS
   * watch is in place, with the function that ends this listener's interest.
   */
  async acquire(directory: string, change: ChangeListener, error: ErrorListener): Promise<() => void> {
    if (this.#closed) throw new RuntimeError(503, 'The runtime is closing');
    let watched = this.#watched.get(directory);
    if (!watched) {
      if (this.#watched.size >= this.#options.maxDirectories) {
        throw new RuntimeError(429, `Too many watched directories (at most ${this.#options.maxDirectories})`);
      }
      watched = this.#start(directory);
      this.#watched.set(directory, watched);
    }
    const listener = { change, error };
    watched.listeners.add(listener);
    const entry = watched;
    try {
      await entry.subscription;
    } catch (failure) {
      entry.listeners.delete(listener);
      if (this.#watched.get(directory) === entry) this.#watched.delete(directory);
      throw new RuntimeError(500, `Cannot watch ${directory}: ${(failure as Error).message}`);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.listeners.delete(listener);
      if (entry.listeners.size === 0 && this.#watched.get(directory) === entry) this.#stop(directory, entry);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#watched];
    this.#watched.clear();
    await Promise.all(all.map(([directory, entry]) => this.#unsubscribe(directory, entry)));
  }

  #start(directory: string): Watched {
    const backend = this.#options.backend ?? loadParcelWatcher;
    const entry: Watched = {
      listeners: new Set(),
      pending: null,
      timer: null,
      subscription: backend().then((watcher) =>
        watcher.subscribe(
          directory,
          (failure, events) => {
            if (failure) this.#fail(directory, entry, failure.message);
            else this.#collect(directory, entry, events);
          },
          { ignore: WATCH_IGNORED, ...(NATIVE_WATCH_BACKEND ? { backend: NATIVE_WATCH_BACKEND } : {}) },
        ),
      ),
    };
    return entry;
  }

  #collect(directory: string, entry: Watched, events: { path: string }[]): void {
    if (this.#watched.get(directory) !== entry) return;
    const now = Date.now();
    const pending = (entry.pending ??= { paths: new Set(), overflow: false, git: false, first: now });
    for (const event of events) {
      const relative = path.relative(directory, event.path).split(path.sep).join('/');
      if (relative.startsWith('..') || relative.endsWith('.lock')) continue;
      if (relative.startsWith('.git/') || relative === '.git') {
        if (isGitState(relative)) pending.git = true;
        continue;
      }
      if (pending.paths.size < FS_WATCH_MAX_PATHS) pending.paths.add(relative);
      else pending.overflow = true;
    }
    if (entry.timer) clearTimeout(entry.timer);
    const wait = Math.max(0, Math.min(this.#options.debounceMs, pending.first + this.#options.maxDelayMs - now));
    entry.timer = setTimeout(() => this.#flush(directory, entry), wait);
  }

  #flush(directory: string, entry: Watched): void {
    entry.timer = null;
    const pending = entry.pending;
    entry.pending = null;
    if (!pending || (pending.paths.size === 0 && !pending.overflow && !pending.git)) return;
    const event = {
      type: 'changed' as const,
      directory,
      paths: [...pending.paths].sort(),
      overflow: pending.overflow,
      git: pending.git,
    };
    for (const listener of [...entry.listeners]) listener.change(event);
  }

  #fail(directory: string, entry: Watched, message: string): void {
    this.#options.logger.log('warn', 'Watcher failed', { directory, error: message });
    if (this.#watched.get(directory) === entry) this.#stop(directory, entry);
    for (const listener of [...entry.listeners]) listener.error(message);
  }

  #stop(directory: string, entry: Watched): void {
    this.#watched.delete(directory);
    void this.#unsubscribe(directory, entry);
  }

  async #unsubscribe(directory: string, entry: Watched): Promise<void> {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    try {
      await (await entry.subscription).unsubscribe();
    } catch (error) {
      this.#options.logger.log('debug', 'Watcher did not close cleanly', {
        directory,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

async function loadParcelWatcher(): Promise<WatchBackend> {
  // Loaded on first use: a runtime that never watches never loads the native module.
  const watcher = (await import('@parcel/watcher')) as unknown as WatchBackend & { default?: WatchBackend };
  return typeof watcher.subscribe === 'function' ? watcher : (watcher.default as WatchBackend);
}
