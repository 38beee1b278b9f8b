/**
 * `revert_git_file` (git.md §4.1): bring one file back to its HEAD state, whatever its status.
 * The reference got several cases wrong: a staged new file or rename target was unstaged and then
 * failed with a 500 (left untracked), a staged deletion was "reverted" without restoring the file,
 * and `.` (or any directory) discarded every change beneath it. Here:
 *
 * | status                         | effect                                                    |
 * |--------------------------------|-----------------------------------------------------------|
 * | untracked (`??`)               | the file is deleted                                       |
 * | added (`A*`), copy target      | removed from the index and deleted (HEAD has no such file)|
 * | rename target (`R*`)           | target removed and deleted, source restored from HEAD     |
 * | modified/deleted/typechanged   | index and working tree restored from HEAD                 |
 * | conflicted                     | restored from HEAD if HEAD has it, else removed           |
 * | unchanged or ignored           | nothing                                                   |
 *
 * The repository root and directories are refused (`Invalid file path`): one call, one file.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuntimeError } from '@chamber/contract';
import { expectSuccess, gitFailure } from './errors.js';
import { parseStatusV2 } from './parse/status.js';
import { INVALID_FILE_PATH, type GitRepo, type RepoFile } from './repo.js';

const FALLBACK = 'Failed to revert git file';

export async function revertFile(repo: GitRepo, file: RepoFile): Promise<void> {
  const stat = await fs.lstat(file.absolute).catch(() => undefined);
  if (stat?.isDirectory()) throw new RuntimeError(400, INVALID_FILE_PATH);

  await repo.exclusive(async () => {
    // The whole status, not just this path: a rename pairs only when both of its paths are seen.
    const result = await repo.run(['status', '--porcelain=v2', '-z', '--untracked-files=all']);
    if (result.exitCode !== 0) throw gitFailure(result, FALLBACK);
    const status = parseStatusV2(result.stdout);
    const entry = status.files.find((candidate) => candidate.path === file.fromTop);
    if (!entry) return;

    const restoreFromHead = async (relative: string) =>
      expectSuccess(await repo.write(['restore', '--source=HEAD', '--staged', '--worktree', '--', relative]), FALLBACK);
    const removeEverywhere = async () => {
      expectSuccess(await repo.write(['rm', '--cached', '--force', '--quiet', '--', file.relative]), FALLBACK);
      await fs.rm(file.absolute, { force: true });
    };

    if (entry.index === '?') {
      await fs.rm(file.absolute, { force: true });
    } else if (isConflict(entry.index, entry.working_dir)) {
      const inHead = await repo.run(['cat-file', '-e', `HEAD:${file.fromTop}`]);
      if (inHead.exitCode === 0) await restoreFromHead(file.relative);
      else await removeEverywhere();
    } else if (entry.index === 'R') {
      await removeEverywhere();
      const source = status.sources.get(entry.path);
      if (source !== undefined) await restoreFromHead(path.relative(repo.cwd, path.join(repo.topLevel, source)) || '.');
    } else if (entry.index === 'A' || entry.index === 'C') {
      await removeEverywhere();
    } else {
      await restoreFromHead(file.relative);
    }
  });
}

function isConflict(index: string, workingDir: string): boolean {
  return (
    index === 'U' ||
    workingDir === 'U' ||
    (index === 'A' && workingDir === 'A') ||
    (index === 'D' && workingDir === 'D')
  );
}
