/**
 * What `git commit` prints (in English: the runner sets LC_ALL=C): `[<branch> <hash>] subject`,
 * with `(root-commit)` after the branch for a first commit and `detached HEAD` for a detached
 * one, then the `N files changed, ...` line.
 */
import type { GitCommitResult } from '@chamber/contract';
import { parseShortstat } from './log.js';

const HEADER = /^\[(.+?) ([0-9a-f]{7,64})\] /m;

export function parseCommitOutput(stdout: string): GitCommitResult {
  const header = HEADER.exec(stdout);
  let branch = header?.[1] ?? '';
  branch = branch.replace(/ \(root-commit\)$/, '');
  // The reference answered `commit: 'HEAD <hash>'` here; the hash alone is what callers can use.
  if (branch === 'detached HEAD') branch = 'detached';
  // Only git's own summary line: the subject on the header line may say "3 files changed" too.
  const summaryLine = /^ \d+ files? changed.*$/m.exec(stdout)?.[0] ?? '';
  return { success: true, commit: header?.[2] ?? '', branch, summary: parseShortstat(summaryLine) };
}
