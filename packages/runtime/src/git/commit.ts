/**
 * `create_git_commit` (git.md §4.2). Staging and committing run as one exclusive write, so
 * concurrent commits on a repository queue instead of failing on `index.lock`. The message goes
 * through stdin (`-F -`): no argv length limit, and no way for it to be read as an option.
 */
import type { GitCommitResult } from '@chamber/contract';
import { expectSuccess, gitFailure } from './errors.js';
import { parseCommitOutput } from './parse/commit.js';
import type { GitRepo, RepoFile } from './repo.js';

const NOTHING_TO_COMMIT: GitCommitResult = {
  success: true,
  commit: '',
  branch: '',
  summary: { changes: 0, insertions: 0, deletions: 0 },
};

export async function createCommit(
  repo: GitRepo,
  message: string,
  options: { addAll: boolean; files: RepoFile[] },
): Promise<GitCommitResult> {
  const paths = options.files.map((file) => file.relative);
  const onlyPaths = !options.addAll && paths.length > 0;
  return repo.exclusive(async () => {
    if (options.addAll) expectSuccess(await repo.write(['add', '--all', '--', '.']), 'Failed to create commit');
    else if (onlyPaths) expectSuccess(await repo.write(['add', '--all', '--', ...paths]), 'Failed to create commit');

    // With paths, git commits exactly those paths (their whole working-tree state); other staged
    // changes stay staged, as in the reference.
    const result = await repo.write(
      ['-c', 'core.abbrev=no', 'commit', '-F', '-', ...(onlyPaths ? ['--', ...paths] : [])],
      { input: message },
    );
    if (result.exitCode === 0) return parseCommitOutput(result.stdout);
    // "nothing to commit" exits 1 with git's explanation on stdout only; the reference answered it
    // as a success with empty fields (git.md §4.2), which the UI expects.
    if (result.stderr.trim() === '' && /nothing (added )?to commit|no changes added to commit/.test(result.stdout)) {
      return NOTHING_TO_COMMIT;
    }
    throw gitFailure(result, 'Failed to create commit');
  });
}
