/**
 * Per-root cache of file listings with stale-while-revalidate: typing in a file picker fires a
 * query per keystroke, and re-listing 100k files each time would dominate. Listings are cheap to
 * keep (one string per file) and an LRU bounds how many roots are held.
 */
import path from 'node:path';
import type { Logger } from '../../logger.js';
import { findDeleted, listFiles } from './file-lister.js';
import type { FileListing } from './file-lister.js';

export interface FileIndexOptions {
  logger: Logger;
  /** Beyond this many files a listing is cut short (`truncated: true`, logged once per root). */
  maxFiles?: number;
  /** A listing process (or the walker) is stopped after this; what it found so far is used. */
  listTimeoutMs?: number;
  /** A cached listing younger than this is returned as is. */
  freshMs?: number;
  /** Up to this age a cached listing is returned while a refresh runs in the background. */
  staleMs?: number;
  /** How many roots keep a cached listing (least recently used is dropped). */
  maxRoots?: number;
  now?: () => number;
  /** Binary names/paths; null = treat as unavailable. A spawn failure also falls through. */
  tools?: { git?: string | null; rg?: string | null };
}

interface Entry {
  listing: FileListing | null;
  /** When `listing` was completed (clock of `now`). */
  at: number;
  inflight: Promise<FileListing> | null;
  /** While `inflight` runs: the listing so far (it only grows), and who follows it. */
  partial: readonly string[] | null;
  followers: ((files: readonly string[]) => void)[];
}

/** Bound of the per-root sets below (warned about truncation, deletions seen). */
const MAX_REMEMBERED_ROOTS = 1024;

/** Same content → the caller keeps the old array, so ranking caches keyed by it stay warm. */
function sameListing(a: FileListing, b: FileListing): boolean {
  if (a.source !== b.source || a.truncated !== b.truncated || a.unchecked !== b.unchecked) return false;
  if (a.files.length !== b.files.length) return false;
  for (let i = 0; i < a.files.length; i++) if (a.files[i] !== b.files[i]) return false;
  return true;
}

/** Whether `child` is `parent` or lies inside it (plain path prefix on resolved paths). */
function within(parent: string, child: string): boolean {
  if (child === parent) return true;
  const prefix = parent.endsWith(path.sep) ? parent : parent + path.sep;
  return child.startsWith(prefix);
}

export class FileIndex {
  private readonly logger: Logger;
  private readonly maxFiles: number;
  private readonly listTimeoutMs: number;
  private readonly freshMs: number;
  private readonly staleMs: number;
  private readonly maxRoots: number;
  private readonly now: () => number;
  private readonly tools: { git: string | null; rg: string | null };
  /** Map order is LRU order: touched entries are re-inserted at the end. */
  private readonly entries = new Map<string, Entry>();
  private readonly warnedTruncated = new Set<string>();
  private listings = 0;
  /** Aborted by `close()`: kills the listing processes still running. */
  private readonly closed = new AbortController();
  private readonly running = new Set<Promise<FileListing>>();
  /** `withoutDeleted` in progress or done, per unchecked listing: one `git ls-files --deleted` each. */
  private readonly checked = new WeakMap<FileListing, Promise<FileListing>>();
  /** Roots where deleted tracked files were found: their git listings look for them from then on. */
  private readonly withDeletions = new Set<string>();

  constructor(options: FileIndexOptions) {
    this.logger = options.logger;
    this.maxFiles = options.maxFiles ?? 300_000;
    this.listTimeoutMs = options.listTimeoutMs ?? 20_000;
    this.freshMs = options.freshMs ?? 2_000;
    this.staleMs = options.staleMs ?? 30_000;
    this.maxRoots = Math.max(1, options.maxRoots ?? 8);
    this.now = options.now ?? Date.now;
    this.tools = {
      git: options.tools?.git === undefined ? 'git' : options.tools.git,
      rg: options.tools?.rg === undefined ? 'rg' : options.tools.rg,
    };
  }

  /** Number of listings started so far (tests use it to see whether the cache was hit). */
  get listingCount(): number {
    return this.listings;
  }

  /**
   * Files under `root` (absolute path of an existing directory), '/'-separated and relative. When
   * the answer waits for a listing, `onProgress` follows it as it grows (see
   * `ListerOptions.onProgress`); it is not called for a cached answer.
   */
  list(root: string, onProgress?: (files: readonly string[]) => void): Promise<FileListing> {
    const key = path.resolve(root);
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (entry.listing) {
        const age = this.now() - entry.at;
        if (age < this.freshMs) return Promise.resolve(entry.listing);
        if (age < this.staleMs) {
          this.refresh(key, entry).catch((error: unknown) => {
            this.logger.log('warn', 'background file listing failed', { root: key, error: String(error) });
          });
          return Promise.resolve(entry.listing);
        }
      }
    } else {
      entry = { listing: null, at: 0, inflight: null, partial: null, followers: [] };
      this.entries.set(key, entry);
      for (const oldest of this.entries.keys()) {
        if (this.entries.size <= this.maxRoots) break;
        this.entries.delete(oldest); // an in-flight listing of a dropped root completes but is not stored
      }
    }
    const listing = this.refresh(key, entry);
    if (onProgress) {
      entry.followers.push(onProgress);
      if (entry.partial) onProgress(entry.partial); // a throw here reaches this caller only
    }
    return listing;
  }

  /** Drops cached roots that contain `changedPath` or lie inside it. */
  invalidate(changedPath: string): void {
    const changed = path.resolve(changedPath);
    for (const key of [...this.entries.keys()]) {
      if (within(key, changed) || within(changed, key)) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  /**
   * Stop for good: every running listing process (and whatever it started) is killed, and the
   * promise settles once they have exited. A listing never outlives the runtime: a stopped server
   * used to leave `rg --files` at full CPU until its timeout.
   */
  async close(): Promise<void> {
    this.closed.abort();
    this.entries.clear();
    await Promise.allSettled([...this.running]);
  }

  /** Starts a listing for `entry` unless one is running; concurrent callers share it. */
  private refresh(key: string, entry: Entry): Promise<FileListing> {
    if (entry.inflight) return entry.inflight;
    this.listings++;
    const started = Date.now();
    const run = async (): Promise<FileListing> => {
      try {
        const fresh = await listFiles(key, {
          logger: this.logger,
          maxFiles: this.maxFiles,
          timeoutMs: this.listTimeoutMs,
          tools: this.tools,
          signal: this.closed.signal,
          checkDeleted: this.withDeletions.has(key),
          onProgress: (files) => {
            entry.partial = files;
            for (const follower of entry.followers) {
              try {
                follower(files);
              } catch (error) {
                // A follower only gets ahead; its failure must not break the listing it follows.
                this.logger.log('warn', 'file listing follower failed', { root: key, error: String(error) });
              }
            }
          },
        });
        const listing = entry.listing && sameListing(entry.listing, fresh) ? entry.listing : fresh;
        this.logger.log('debug', 'file listing', {
          root: key,
          source: fresh.source,
          files: fresh.files.length,
          ms: Date.now() - started,
        });
        if (fresh.truncated) this.warnTruncated(key, fresh);
        // Invalidated or evicted meanwhile → the result may predate the change: don't cache it.
        if (this.entries.get(key) === entry) {
          entry.listing = listing;
          entry.at = this.now();
        }
        return listing;
      } finally {
        entry.inflight = null;
        entry.partial = null;
        entry.followers = [];
      }
    };
    const inflight = this.track(run());
    entry.inflight = inflight;
    return inflight;
  }

  /**
   * `listing` (an answer of `list(root)`) without the tracked files deleted from the work tree. A
   * git listing does not look for them at first: that is an lstat of every tracked file, more than
   * the rest of the listing costs, for files that are rarely there. A search calls this once one of
   * its hits turns out to be missing; the cached listing is replaced by the checked one, and the
   * root's later listings include the check. Any other listing is returned as it is.
   */
  withoutDeleted(root: string, listing: FileListing): Promise<FileListing> {
    if (!listing.unchecked) return Promise.resolve(listing);
    let checked = this.checked.get(listing);
    if (!checked) {
      checked = this.track(this.removeDeleted(path.resolve(root), listing));
      this.checked.set(listing, checked);
    }
    return checked;
  }

  private async removeDeleted(key: string, listing: FileListing): Promise<FileListing> {
    const deleted = await findDeleted(key, {
      timeoutMs: this.listTimeoutMs,
      tools: this.tools,
      signal: this.closed.signal,
    });
    // git could not tell (stopped, timed out): the search goes on with what it has.
    if (!deleted) return listing;
    const checked: FileListing = {
      // The same array when nothing was deleted, so ranking caches keyed by it stay warm.
      files: deleted.size ? listing.files.filter((file) => !deleted.has(file)) : listing.files,
      source: listing.source,
      truncated: listing.truncated,
    };
    if (deleted.size) {
      if (this.withDeletions.size >= MAX_REMEMBERED_ROOTS) this.withDeletions.clear();
      this.withDeletions.add(key);
    }
    const entry = this.entries.get(key);
    if (entry?.listing === listing) entry.listing = checked; // its age stays the listing's
    return checked;
  }

  /** Keeps `promise` among the work `close()` waits for. */
  private track(promise: Promise<FileListing>): Promise<FileListing> {
    this.running.add(promise);
    const forget = (): void => void this.running.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private warnTruncated(root: string, listing: FileListing): void {
    if (this.warnedTruncated.has(root)) return;
    if (this.warnedTruncated.size >= MAX_REMEMBERED_ROOTS) this.warnedTruncated.clear();
    this.warnedTruncated.add(root);
    this.logger.log('warn', 'file listing truncated', {
      root,
      source: listing.source,
      files: listing.files.length,
      maxFiles: this.maxFiles,
    });
  }
}
