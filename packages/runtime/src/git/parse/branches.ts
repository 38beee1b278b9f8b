/**
 * `git branch -v -a --no-color --no-column`, read the way simple-git read it for the reference
 * (git.md §6.1): a marker column (`*` current, `+` checked out in another worktree), the name,
 * the abbreviated hash, then the label (subject, maybe prefixed `[ahead N, behind M]`). Branch
 * names cannot hold whitespace, so the columns are unambiguous; symbolic lines
 * (`remotes/origin/HEAD -> origin/main`) are skipped, a detached HEAD is named by what it is
 * detached at.
 */
import type { GitBranchDetails } from '@chamber/contract';

const DETACHED = /^([*+]) \((?:HEAD )?detached (?:at|from) (\S+)\)\s+([0-9a-f]+)\s?(.*)$/;
const OTHER_NO_BRANCH = /^([*+]) \([^)]*\)\s+([0-9a-f]+)\s?(.*)$/;
const BRANCH = /^([*+ ]) (\S+)\s+([0-9a-f]+)\s?(.*)$/;

export function parseBranchVerbose(output: string): {
  names: string[];
  current: string;
  branches: Record<string, GitBranchDetails>;
} {
  const names: string[] = [];
  const branches: Record<string, GitBranchDetails> = {};
  let current = '';
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    let marker: string;
    let name: string;
    let commit: string;
    let label: string;
    const detached = DETACHED.exec(line);
    const noBranch = detached ? null : OTHER_NO_BRANCH.exec(line);
    if (detached) {
      [, marker = '', name = '', commit = '', label = ''] = detached;
    } else if (noBranch) {
      // e.g. "(no branch, rebasing main)": named by its hash, as nothing else identifies it.
      [, marker = '', commit = '', label = ''] = noBranch;
      name = commit;
    } else {
      const match = BRANCH.exec(line);
      if (!match || line.includes(' -> ')) continue;
      [, marker = '', name = '', commit = '', label = ''] = match;
    }
    const isCurrent = marker === '*';
    if (isCurrent) current = name;
    names.push(name);
    branches[name] = { current: isCurrent, linkedWorkTree: marker === '+', name, commit, label };
  }
  return { names, current, branches };
}
