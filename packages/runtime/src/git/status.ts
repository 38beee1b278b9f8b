/**
 * `get_git_status` (git.md §3.2): porcelain v2 status and both numstats in parallel, then line
 * counts of new files read from disk, as the reference computed them.
 */
import { lstatSync, readFileSync, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { GitStatus } from '@chamber/contract';
import { gitFailure } from './errors.js';
import { parseNumstat } from './parse/numstat.js';
import { parseStatusV2 } from './parse/status.js';
import type { GitRepo } from './repo.js';

type DiffStats = GitStatus['diffStats'];

/** New files larger than this are not line-counted (their numstat stays 0). */
const MAX_COUNTED_FILE_BYTES = 32 * 1024 * 1024;
const COUNT_CONCURRENCY = 16;
/** Files up to this size are read synchronously, in short slices (see countNewFiles). */
const SMALL_FILE_BYTES = 256 * 1024;
const SLICE_FILES = 64;

type LineCount = number | 'binary' | null;

/**
 * Line counts of new files. Most are small, and four async fs calls per file through libuv's
 * thread pool cost more than reading them: small files are read synchronously, 64 at a time with
 * the event loop free in between; large ones are streamed asynchronously.
 */
async function countNewFiles(
  files: readonly string[],
  top: string,
  report: (file: string, lines: LineCount) => void,
): Promise<void> {
  const large: string[] = [];
  for (let start = 0; start < files.length; start += SLICE_FILES) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const file of files.slice(start, start + SLICE_FILES)) {
      const absolute = path.join(top, file);
      let stat: Stats;
      try {
        stat = lstatSync(absolute);
      } catch {
        continue;
      }
      if (!stat.isFile()) continue;
      if (stat.size > SMALL_FILE_BYTES) large.push(file);
      else report(file, countBuffer(readSmallFile(absolute)));
    }
  }
  await forEachLimited(large, COUNT_CONCURRENCY, async (file) => report(file, await countLines(path.join(top, file))));
}

function readSmallFile(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

function countBuffer(buffer: Buffer | null): LineCount {
  if (buffer === null) return null;
  if (buffer.length === 0) return 0;
  if (buffer.includes(0)) return 'binary';
  let lines = 0;
  for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) lines++;
  return buffer[buffer.length - 1] === 10 ? lines : lines + 1;
}

export async function getStatus(repo: GitRepo): Promise<GitStatus> {
  // All three at once: each stats the work tree, and on a multi-core machine they overlap. (Naming
  // the changed paths after status would spare one pass, but git matches every index entry against
  // every pathspec, so with many changes that is slower than the whole tree; see bench/git.ts.)
  const [status, staged, unstaged] = await Promise.all([
    repo.run(['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all']),
    repo.run(['diff', '--cached', '--numstat', '-z', '--no-color']),
    repo.run(['diff', '--numstat', '-z', '--no-color']),
  ]);
  if (status.exitCode !== 0) throw gitFailure(status, 'Failed to get git status');
  const parsed = parseStatusV2(status.stdout);

  const diffStats: DiffStats = {};
  for (const result of [staged, unstaged]) {
    if (result.exitCode !== 0) continue; // as the reference: a failed numstat counts as empty
    for (const entry of parseNumstat(result.stdout)) {
      const stats = (diffStats[entry.path] ??= { insertions: 0, deletions: 0 });
      stats.insertions += entry.insertions;
      stats.deletions += entry.deletions;
    }
  }

  // New files have no numstat (untracked) or may count 0 (staged, then edited): count their lines.
  const toCount = parsed.files.filter((file) => {
    const code = file.working_dir.trim() || file.index.trim();
    return (code === '?' || code === 'A') && (diffStats[file.path]?.insertions ?? 0) === 0;
  });
  await countNewFiles(
    toCount.map((file) => file.path),
    repo.topLevel,
    (file, lines) => {
      if (typeof lines === 'number') diffStats[file] = { insertions: lines, deletions: 0 };
      else if (lines === 'binary') diffStats[file] ??= { insertions: 0, deletions: 0 };
    },
  );

  return {
    current: parsed.current,
    tracking: parsed.tracking,
    ahead: parsed.ahead,
    behind: parsed.behind,
    files: parsed.files,
    isClean: parsed.files.length === 0,
    diffStats,
  };
}

/**
 * Lines of a regular text file as the reference counted them (CRLF counts once, a last line
 * without newline counts, an empty file is 0). `'binary'` when it holds a NUL byte; `null` for
 * non-files, unreadable or very large files.
 */
export async function countLines(file: string): Promise<LineCount> {
  let handle: fs.FileHandle | undefined;
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile() || stat.size > MAX_COUNTED_FILE_BYTES) return null;
    if (stat.size === 0) return 0;
    handle = await fs.open(file, 'r');
    const buffer = Buffer.allocUnsafe(64 * 1024);
    let lines = 0;
    let last = -1;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (chunk.includes(0)) return 'binary';
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
      last = chunk[bytesRead - 1] as number;
    }
    return last === 10 || last === -1 ? lines : lines + 1;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++] as T);
  });
  await Promise.all(workers);
}
