/**
 * `get_git_log` (git.md §3.5) in one git run with real per-commit stats. Ranges use the two-dot
 * form everywhere: `from..to`, `from..HEAD` (only `from`), `to` (only `to`) — "commits in `to`
 * that are not in `from`". The reference listed with the symmetric form and counted stats with the
 * two-dot form, so its list and its (always zero) stats described different commit sets.
 */
import path from 'node:path';
import type { GitCommitFilesResponse, GitLogResponse } from '@chamber/contract';
import { boundOutput, DIFF_OUTPUT_LIMIT } from './diff.js';
import { gitFailure } from './errors.js';
import { LOG_FORMAT, parseLog } from './parse/log.js';
import { parseNumstatFields, splitNul } from './parse/numstat.js';
import { parseRawFields } from './parse/raw.js';
import type { GitRepo, RepoFile } from './repo.js';

export const DEFAULT_LOG_COUNT = 50;

/** The reference's rule: absent, NaN and 0 mean 50; a negative count means no limit. */
export function logCountOf(value: number | undefined): number | null {
  if (value === undefined || !Number.isFinite(value) || Math.trunc(value) === 0) return DEFAULT_LOG_COUNT;
  return value < 0 ? null : Math.trunc(value);
}

export function logRange(from: string | undefined, to: string | undefined): string[] {
  if (from && to) return [`${from}..${to}`];
  if (from) return [`${from}..HEAD`];
  if (to) return [to];
  return [];
}

export async function getLog(
  repo: GitRepo,
  options: { maxCount: number | null; skip?: number; from?: string; to?: string; file?: RepoFile },
): Promise<GitLogResponse> {
  const args = [
    'log',
    `--format=${LOG_FORMAT}`,
    '--shortstat',
    '--no-color',
    ...(options.maxCount === null ? [] : [`--max-count=${options.maxCount}`]),
    // Chamber's addition for paging a long history (the UI loads it a page at a time).
    ...(options.skip ? [`--skip=${options.skip}`] : []),
    ...(options.file ? ['--follow'] : []),
    // Revisions are validated (no leading '-'); --end-of-options makes sure git reads them as such.
    '--end-of-options',
    ...logRange(options.from, options.to),
    '--',
    ...(options.file ? [options.file.relative] : []),
  ];
  const result = await repo.run(args);
  if (result.exitCode !== 0 && !result.truncated) throw gitFailure(result, 'Failed to get commit log');
  // A cut output loses at most its last, partial record (parseLog skips it).
  const all = parseLog(result.stdout);
  return { all, latest: all[0] ?? null, total: all.length };
}

/**
 * `get_commit_files` (Appendix A.2): one `diff-tree` run with `--raw` (change types) and
 * `--numstat` (counts), both `-z`, so renames pair their paths exactly. Paths are the new names;
 * merge commits list nothing, as in the reference.
 */
export async function getCommitFiles(repo: GitRepo, hash: string): Promise<GitCommitFilesResponse> {
  const result = await repo.run([
    'diff-tree',
    '--no-commit-id',
    '--root',
    '-r',
    '-M',
    '-z',
    '--raw',
    '--numstat',
    '--end-of-options',
    hash,
    '--',
  ]);
  if (result.exitCode !== 0) throw gitFailure(result, 'Failed to get commit files');
  const fields = splitNul(result.stdout);
  // A commit-ish that is not a commit (e.g. a tree) prints its own id first; skip anything before the raw records.
  let start = 0;
  while (start < fields.length && !(fields[start] as string).startsWith(':')) start++;
  const raw = parseRawFields(fields, start);
  const numstat = parseNumstatFields(fields, raw.next);
  const types = new Map(raw.entries.map((entry) => [entry.path, entry.status]));
  return {
    files: numstat.entries.map((entry) => ({
      path: entry.path,
      insertions: entry.insertions,
      deletions: entry.deletions,
      isBinary: entry.binary,
      changeType: types.get(entry.path) ?? (entry.oldPath !== undefined ? 'R' : 'M'),
    })),
  };
}

/** `skip` as given: absent, NaN or negative mean none; fractions are truncated. */
export function logSkipOf(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return 0;
  return Math.trunc(value);
}

/**
 * `get_commit_file_diff` (Chamber's own): the unified diff of one file in one commit, against the
 * commit's first parent (a root commit: against nothing, every line added). A rename is shown as
 * one, from its old path. A file the commit did not change answers ''. Bounded like `get_git_diff`.
 */
export async function getCommitFileDiff(
  repo: GitRepo,
  hash: string,
  file: RepoFile,
  contextLines: number,
): Promise<string> {
  const fallback = 'Failed to get commit file diff';
  const commit = await repo.run(['rev-parse', '--verify', '--end-of-options', `${hash}^{commit}`]);
  if (commit.exitCode !== 0) throw gitFailure(commit, fallback);
  const full = commit.stdout.trim();
  const parent = await repo.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${full}^1`]);
  const trees = parent.exitCode === 0 ? [parent.stdout.trim(), full] : ['--root', full];

  // Which paths to ask for: a rename's old path too, or git would show an added file.
  const raw = await repo.run(['diff-tree', '--no-commit-id', '-r', '-M', '-z', '--raw', ...trees, '--']);
  if (raw.exitCode !== 0) throw gitFailure(raw, fallback);
  const entry = parseRawFields(splitNul(raw.stdout)).entries.find((candidate) => candidate.path === file.fromTop);
  if (!entry) return '';
  const fromCwd = (fromTop: string) => path.relative(repo.cwd, path.join(repo.topLevel, fromTop)) || '.';
  const paths = entry.oldPath !== undefined ? [fromCwd(entry.oldPath), file.relative] : [file.relative];

  const diff = await repo.run(
    [
      'diff-tree',
      '-p',
      '-M',
      '--no-commit-id',
      '--no-color',
      '--no-ext-diff',
      `-U${contextLines}`,
      ...trees,
      '--',
      ...paths,
    ],
    { maxOutputBytes: DIFF_OUTPUT_LIMIT },
  );
  if (diff.exitCode !== 0 && !diff.truncated) throw gitFailure(diff, fallback);
  return boundOutput(diff);
}
