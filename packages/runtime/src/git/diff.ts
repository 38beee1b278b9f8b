/**
 * `get_git_diff` (git.md §3.3) and `get_git_file_diff` (Appendix A.1). Both answers are bounded:
 * a 50 MB diff is cut at a line boundary and ends with a `\ ` marker line saying so (unified-diff
 * readers treat `\ ` lines as annotations, like `\ No newline at end of file`).
 */
import fs from 'node:fs/promises';
import type { GitFileDiffResponse } from '@chamber/contract';
import { errnoCode } from '../sandbox/paths.js';
import { pathExists } from '../util/path-exists.js';
import { gitFailure } from './errors.js';
import type { GitRepo, RepoFile } from './repo.js';
import type { GitRunResult } from './runner.js';

/** Largest diff (or file text) answered, in bytes of git output. */
export const DIFF_OUTPUT_LIMIT = 4 * 1024 * 1024;

/** The line appended to a cut answer. */
export function truncationNotice(limit: number): string {
  return `\\ Output truncated by Chamber: only the first ${limit} bytes are shown\n`;
}

/** `text` as it may be answered: whole, or cut after its last complete line plus the notice. */
export function boundOutput(result: Pick<GitRunResult, 'stdout' | 'truncated'>, limit = DIFF_OUTPUT_LIMIT): string {
  if (!result.truncated) return result.stdout;
  const cut = result.stdout.lastIndexOf('\n');
  const kept = cut === -1 ? '' : result.stdout.slice(0, cut + 1);
  return kept + truncationNotice(limit);
}

export interface DiffOptions {
  staged: boolean;
  contextLines: number;
}

/** The reference's `context` rule: non-numeric → 3, negative → 0 (git caps huge values itself). */
export function contextLinesOf(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return 3;
  return Math.min(Math.max(0, Math.trunc(value)), 1_000_000);
}

export async function getDiff(repo: GitRepo, file: RepoFile, options: DiffOptions): Promise<string> {
  const unified = `-U${options.contextLines}`;
  const bound = { maxOutputBytes: DIFF_OUTPUT_LIMIT };
  const diff = await repo.run(
    ['diff', '--no-color', '--no-ext-diff', unified, ...(options.staged ? ['--cached'] : []), '--', file.relative],
    bound,
  );
  if (diff.exitCode !== 0 && !diff.truncated) throw gitFailure(diff, 'Failed to get git diff');
  if (diff.stdout.trim() !== '' || options.staged) return boundOutput(diff);

  const inIndex = await repo.run(['ls-files', '--error-unmatch', '--', file.relative]);
  if (inIndex.exitCode === 0) return boundOutput(diff);

  // Not in the index and gone from disk: a staged deletion. The reference answered 500
  // "Could not access" here (the UI only asks for unstaged diffs); the staged diff says what happened.
  if (!(await pathExists(file.absolute))) {
    const cached = await repo.run(
      ['diff', '--no-color', '--no-ext-diff', unified, '--cached', '--', file.relative],
      bound,
    );
    if (cached.exitCode !== 0 && !cached.truncated) throw gitFailure(cached, 'Failed to get git diff');
    return boundOutput(cached);
  }

  // Untracked: the whole file as added. --no-index exits 1 when the files differ, which is the point.
  const untracked = await repo.run(
    ['diff', '--no-color', '--no-ext-diff', unified, '--no-index', '--', '/dev/null', file.relative],
    bound,
  );
  if (untracked.exitCode > 1 || (untracked.exitCode !== 0 && untracked.stderr.trim() !== '')) {
    throw gitFailure(untracked, 'Failed to get git diff');
  }
  return boundOutput(untracked);
}

export async function getFileDiff(repo: GitRepo, file: RepoFile, requestedPath: string): Promise<GitFileDiffResponse> {
  // `git cat-file blob` is the committed bytes; any failure (new file, no commits yet) means ''.
  const original = await repo.run(['cat-file', 'blob', `HEAD:${file.fromTop}`], { maxOutputBytes: DIFF_OUTPUT_LIMIT });
  return {
    original: original.exitCode === 0 || original.truncated ? boundOutput(original) : '',
    modified: await readWorkingFile(file.absolute),
    path: requestedPath,
  };
}

/** A regular file's text ('' when missing or not a file, symlinks included: never read through them). */
async function readWorkingFile(absolute: string): Promise<string> {
  let handle: fs.FileHandle | undefined;
  try {
    const stat = await fs.lstat(absolute);
    if (!stat.isFile()) return '';
    handle = await fs.open(absolute, 'r');
    const size = Math.min(stat.size, DIFF_OUTPUT_LIMIT);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return boundOutput({ stdout: text, truncated: stat.size > DIFF_OUTPUT_LIMIT });
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return '';
    throw error;
  } finally {
    await handle?.close();
  }
}
