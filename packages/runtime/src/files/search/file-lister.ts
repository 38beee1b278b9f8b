/**
 * Complete file listings for a search root, from the fastest source that works:
 * `git ls-files` (inside a work tree) → `rg --files` → a Node walker. Each source honours ignore
 * files, lists files only, and returns '/'-separated paths relative to the root.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { RuntimeError } from '@chamber/contract';
import type { Logger } from '../../logger.js';

export type ListingSource = 'git' | 'rg' | 'walk';
export interface FileListing {
  files: readonly string[];
  source: ListingSource;
  truncated: boolean;
  /**
   * git only: tracked files were listed from the index without looking at the work tree, so some
   * may have been deleted (uncommitted). `FileIndex.withoutDeleted` removes them.
   */
  unchecked?: boolean;
}
export interface ListerOptions {
  logger: Logger;
  maxFiles: number;
  timeoutMs: number;
  tools: { git: string | null; rg: string | null };
  /** Aborted when the runtime closes: running tools are killed, nothing new starts. */
  signal?: AbortSignal;
  /**
   * git: also drop tracked files deleted from the work tree (an lstat of every tracked file, which
   * costs more than the rest of the listing); without it the listing is `unchecked`.
   */
  checkDeleted?: boolean;
  /**
   * Called as the listing grows, with the array the listing will be (entries are only appended to
   * it): rg's files as they stream, git's tracked files (listed from the index, long before the
   * walk of the work tree for untracked ones ends; those are appended at the end). A caller may
   * rank them meanwhile (`Ranking`). The final listing's `files` is that same array unless it was
   * cut short or filtered.
   */
  onProgress?: (files: readonly string[]) => void;
}

/** What a listing cut short by `signal` rejects with. */
export const LISTING_ABORTED = 'File listing stopped: the runtime is closing';

/** The reference's directory skip list, compared case-insensitively (`Build` is skipped too). */
export const SKIPPED_DIRS = 'node_modules .git dist build .next .turbo .cache coverage tmp logs'.split(' ');
const SKIPPED = new Set(SKIPPED_DIRS);

interface Collected {
  files: string[];
  truncated: boolean;
  unchecked?: boolean;
}

export async function listFiles(root: string, options: ListerOptions): Promise<FileListing> {
  const { git, rg } = options.tools;
  // An empty git listing falls through: the root may sit inside an ignored directory of a repo
  // (git lists nothing there), and for a really empty directory the next source is as cheap.
  throwIfAborted(options.signal);
  const fromGit = git ? await listWithGit(git, root, options) : null;
  throwIfAborted(options.signal);
  if (fromGit && fromGit.files.length > 0) {
    const { files, truncated, unchecked } = fromGit;
    return unchecked ? { files, truncated, source: 'git', unchecked } : { files, truncated, source: 'git' };
  }
  const fromRg = rg ? await listWithRg(rg, root, options) : null;
  throwIfAborted(options.signal);
  if (fromRg) return { ...fromRg, source: 'rg' };
  const walked = await listWithWalker(root, options);
  throwIfAborted(options.signal);
  return { ...walked, source: 'walk' };
}

/** A listing stopped by the runtime closing is no listing: never fall through to the next source. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new RuntimeError(503, LISTING_ABORTED);
}

interface ProcessResult {
  code: number | null;
  failed: boolean; // could not spawn (ENOENT: tool missing, or cwd vanished)
  timedOut: boolean;
}

const REPO_OVERRIDES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX'];

/**
 * Spawns `cmd` (no shell) and feeds NUL-separated stdout entries to `onEntries` chunk by chunk;
 * returning false from it stops and kills the process. Only complete entries are decoded, so a
 * UTF-8 sequence split across chunks is never mangled (NUL cannot occur inside one).
 */
function streamNul(
  cmd: string,
  args: string[],
  cwd: string | undefined,
  options: Pick<ListerOptions, 'timeoutMs' | 'signal'>,
  onEntries: (entries: string[]) => boolean,
): Promise<ProcessResult> {
  const { timeoutMs, signal } = options;
  if (signal?.aborted) return Promise.resolve({ code: null, failed: true, timedOut: false });
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    let stopped = false;
    let pending: Buffer | null = null;
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
    // Inherited repository overrides (set e.g. when running under a git hook) would make
    // `git -C root` list some other repository.
    for (const name of REPO_OVERRIDES) delete env[name];
    const child = spawn(cmd, args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
      // Own process group, so a kill reaches whatever the tool started too (a `--pre` helper of
      // rg, a hook or helper of git): nothing of a listing may outlive it or the runtime.
      detached: process.platform !== 'win32',
    });
    const kill = (): void => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const onAbort = (): void => kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (result: ProcessResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      const buffer: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
      const last = buffer.lastIndexOf(0);
      if (last === -1) {
        pending = buffer;
        return;
      }
      pending = last + 1 < buffer.length ? buffer.subarray(last + 1) : null;
      if (!onEntries(buffer.toString('utf8', 0, last).split('\0'))) {
        stopped = true;
        kill();
      }
    });
    child.on('error', () => finish({ code: null, failed: true, timedOut }));
    child.on('close', (code) => {
      // Both tools terminate every entry with NUL; a trailing fragment only follows a kill.
      if (pending && !stopped && !timedOut) onEntries([pending.toString('utf8')]);
      finish({ code, failed: false, timedOut });
    });
  });
}

function warnTimeout(options: ListerOptions, source: ListingSource, root: string, count: number): void {
  options.logger.log('warn', 'file listing timed out', { source, root, timeoutMs: options.timeoutMs, files: count });
}

/**
 * `git ls-files` in parallel processes (together they take about as long as the slowest):
 * `-t -s --cached` gives `H|M|S <mode> <oid> <stage>\t<path>` per index entry from the
 * index alone (M: one line per unmerged stage, collapsed here — `--deduplicate` has no effect with
 * `-t`; S: skip-worktree, absent from disk, dropped); `-t --others --exclude-standard` walks the
 * work tree and gives `? <path>` per untracked-not-ignored file. With `checkDeleted`, `--deleted`
 * lists tracked paths missing from the work tree, which are removed: it lstat()s every tracked
 * file, ~0.2 s of system time for 100k files against ~0.15 s for the walk, so it only runs where
 * deleted files were seen (see `FileIndex.withoutDeleted`). Modes 160000 (submodule gitlinks:
 * directories) and 120000 (symlinks, never returned by the other sources) are skipped, and so are
 * untracked nested repositories (`? dir/`).
 */
async function listWithGit(git: string, root: string, options: ListerOptions): Promise<Collected | null> {
  const tracked: string[] = [];
  const untracked: string[] = [];
  const full = (): boolean => tracked.length + untracked.length >= options.maxFiles;
  let lastCached = '';
  let truncated = false;
  const base = ['-C', root, 'ls-files', '-z', '-t'];
  const [cached, others, deletions] = await Promise.all([
    streamNul(git, [...base, '-s', '--cached'], undefined, options, (entries) => {
      for (const entry of entries) {
        const tag = entry.charCodeAt(0);
        const tab = entry.indexOf('\t');
        const file = entry.slice(tab + 1);
        // Anything but H (cached) and M (unmerged) — i.e. S (skip-worktree) — is dropped.
        if (tab === -1 || (tag !== 72 && tag !== 77) || file === lastCached) continue;
        lastCached = file;
        if (entry.startsWith('160000 ', 2) || entry.startsWith('120000 ', 2)) continue;
        tracked.push(file);
        if (full()) truncated = true;
        if (truncated) return false;
      }
      options.onProgress?.(tracked);
      return !truncated;
    }),
    streamNul(git, [...base, '--others', '--exclude-standard'], undefined, options, (entries) => {
      for (const entry of entries) {
        if (entry.charCodeAt(0) !== 63 /* ? */ || entry.endsWith('/')) continue;
        untracked.push(entry.slice(2));
        if (full()) truncated = true;
        if (truncated) return false;
      }
      return !truncated;
    }),
    options.checkDeleted ? listDeletedWithGit(git, root, options) : null,
  ]);
  const results = deletions ? [cached, others, deletions.result] : [cached, others];
  if (results.some((result) => result.failed || (!truncated && !result.timedOut && result.code !== 0))) return null;
  const timedOut = results.some((result) => result.timedOut);
  // Appended in place: the array handed to `onProgress` is the listing.
  for (const file of untracked) tracked.push(file);
  const files = tracked.length > options.maxFiles ? tracked.slice(0, options.maxFiles) : tracked;
  if (timedOut) {
    warnTimeout(options, 'git', root, files.length);
    if (files.length === 0) return null;
  }
  const deleted = deletions?.paths;
  return {
    files: deleted?.size ? files.filter((file) => !deleted.has(file)) : files,
    truncated: truncated || timedOut,
    ...(!deletions && { unchecked: true }),
  };
}

/** Tracked paths under `root` missing from the work tree (`git ls-files --deleted`). */
async function listDeletedWithGit(
  git: string,
  root: string,
  options: Pick<ListerOptions, 'timeoutMs' | 'signal'>,
): Promise<{ paths: Set<string>; result: ProcessResult }> {
  const paths = new Set<string>();
  const result = await streamNul(git, ['-C', root, 'ls-files', '-z', '--deleted'], undefined, options, (entries) => {
    for (const entry of entries) if (entry) paths.add(entry);
    return true;
  });
  return { paths, result };
}

/** The tracked files under `root` missing from the work tree, or null when git could not say. */
export async function findDeleted(
  root: string,
  options: Pick<ListerOptions, 'timeoutMs' | 'signal' | 'tools'>,
): Promise<Set<string> | null> {
  if (!options.tools.git) return null;
  const { paths, result } = await listDeletedWithGit(options.tools.git, root, options);
  return result.failed || result.timedOut || result.code !== 0 ? null : paths;
}

/**
 * `rg --files`: honours .gitignore/.ignore/.rgignore even outside git (`--no-require-git`), skips
 * hidden files, symlinks and non-regular files by default. Ignore files above the root and the
 * global git excludes are not read (`--no-ignore-parent`, `--no-ignore-global`): rg only runs
 * outside a work tree (or without git), where they rarely apply, and the walker reads neither.
 */
async function listWithRg(rg: string, root: string, options: ListerOptions): Promise<Collected | null> {
  const files: string[] = [];
  let truncated = false;
  const toSlash = path.sep === '\\';
  const args = [
    '--files',
    '-0',
    '--no-require-git',
    '--no-messages',
    '--no-ignore-parent',
    '--no-ignore-global',
    '--iglob',
    `!{${SKIPPED_DIRS.join(',')}}/`,
  ];
  const result = await streamNul(rg, args, root, options, (entries) => {
    for (const entry of entries) {
      if (!entry) continue;
      files.push(toSlash ? entry.replaceAll('\\', '/') : entry);
      if (files.length >= options.maxFiles) {
        truncated = true;
        return false;
      }
    }
    options.onProgress?.(files);
    return true;
  });
  if (result.failed) return null;
  if (result.timedOut) {
    warnTimeout(options, 'rg', root, files.length);
    return files.length ? { files, truncated: true } : null;
  }
  // 0: files found; 1: none; 2: some error (e.g. an unreadable subdirectory) — keep what was listed.
  const ok = truncated || result.code === 0 || result.code === 1 || (result.code === 2 && files.length > 0);
  return ok ? { files, truncated } : null;
}

interface Rules {
  /** Directory of the ignore file, relative to the root ('' for the root itself). */
  base: string;
  matcher: Ignore;
}
interface PendingDir {
  rel: string;
  rules: readonly Rules[];
}

const IGNORE_FILES = ['.gitignore', '.ignore', '.rgignore']; // ascending precedence, as in rg
const WALK_CONCURRENCY = 16;

/** Git semantics: the deepest ignore file with a matching rule decides (a `!rule` re-includes). */
function isIgnored(rules: readonly Rules[], rel: string, isDir: boolean): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const { base, matcher } = rules[i] as Rules;
    const sub = base ? rel.slice(base.length + 1) : rel;
    try {
      const result = matcher.test(isDir ? `${sub}/` : sub);
      if (result.ignored) return true;
      if (result.unignored) return false;
    } catch {
      // `ignore` rejects some unusual names; treat them as not ignored.
    }
  }
  return false;
}

async function readRules(dir: string, rel: string, present: readonly string[]): Promise<Rules | null> {
  const texts = await Promise.all(
    present.map((name) => fs.promises.readFile(path.join(dir, name), 'utf8').catch(() => '')),
  );
  const text = texts.join('\n');
  return text.trim() ? { base: rel, matcher: ignore({ ignorecase: false }).add(text) } : null;
}

/**
 * Breadth-first walk with bounded concurrency. Same policy as rg: hidden names, the skip list,
 * symlinks and non-regular files are skipped; ignore files apply per directory. Unreadable
 * directories contribute nothing.
 */
export async function listWithWalker(root: string, options: ListerOptions): Promise<Collected> {
  const files: string[] = [];
  const queue: PendingDir[] = [{ rel: '', rules: [] }];
  const deadline = Date.now() + options.timeoutMs;
  let head = 0;
  let active = 0;
  let truncated = false;
  let timedOut = false;

  const visit = async ({ rel, rules }: PendingDir): Promise<void> => {
    const dir = rel ? path.join(root, rel) : root;
    const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []);
    const present = IGNORE_FILES.filter((name) => entries.some((entry) => entry.name === name && entry.isFile()));
    const own = present.length ? await readRules(dir, rel, present) : null;
    const scoped = own ? [...rules, own] : rules;
    for (const entry of entries) {
      const name = entry.name;
      if (!name || name.startsWith('.') || truncated) continue;
      const child = rel ? `${rel}/${name}` : name;
      if (entry.isDirectory()) {
        if (!SKIPPED.has(name.toLowerCase()) && !isIgnored(scoped, child, true))
          queue.push({ rel: child, rules: scoped });
      } else if (entry.isFile() && !isIgnored(scoped, child, false)) {
        files.push(child);
        if (files.length >= options.maxFiles) truncated = true;
      }
    }
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      if (!timedOut && (Date.now() > deadline || options.signal?.aborted)) timedOut = true;
      while (active < WALK_CONCURRENCY && head < queue.length && !truncated && !timedOut) {
        const next = queue[head++] as PendingDir;
        if (head > 4096 && head * 2 > queue.length) {
          queue.splice(0, head); // drop visited entries now and then, so the queue does not grow forever
          head = 0;
        }
        active++;
        const done = (): void => {
          active--;
          pump();
        };
        visit(next).then(done, done);
      }
      if (active === 0) resolve();
    };
    pump();
  });
  if (timedOut && !options.signal?.aborted) warnTimeout(options, 'walk', root, files.length);
  return { files, truncated: truncated || timedOut };
}
