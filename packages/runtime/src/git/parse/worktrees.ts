/**
 * `git worktree list --porcelain -z`: attributes separated by NUL, records by an empty field.
 * Keys are absent (not null) when git does not print them, as the reference answered (git.md §7.1).
 */
import type { GitWorktreeInfo } from '@chamber/contract';

export function parseWorktreeList(output: string): GitWorktreeInfo[] {
  const worktrees: GitWorktreeInfo[] = [];
  let current: GitWorktreeInfo | null = null;
  for (const field of output.split('\0')) {
    if (field === '') {
      current = null;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      current = { worktree: value };
      worktrees.push(current);
    } else if (current && key === 'HEAD') {
      current.head = value;
    } else if (current && key === 'branch') {
      current.branch = value;
    }
  }
  return worktrees;
}
