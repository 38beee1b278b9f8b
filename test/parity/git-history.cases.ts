/** Parity cases of the git history views: log, commit files, branches, worktrees. */
import type {
  GitBranch,
  GitCommitFilesResponse,
  GitDiffResponse,
  GitLogResponse,
  GitWorktreeInfo,
} from '@chamber/contract';
import { expect } from 'vitest';
import { expectError, ok, type ParityCase } from './case.js';
import { DETACHED, EMPTY, MAIN, NOT_A_REPO, PLAIN, WT, WT_LINKED } from './git-paths.js';

const INVALID_PATH = expectError(400, 'Invalid file path');

export const gitHistoryCases: ParityCase[] = [
  // -- get_git_log ----------------------------------------------------------------------------------
  {
    name: 'get_git_log answers subject, body, refs, authors and real stats',
    command: 'get_git_log',
    args: { directory: MAIN },
    expect: (o) => {
      const log = ok<GitLogResponse>(o);
      expect(log.total).toBe(2);
      expect(log.latest).toEqual(log.all[0]);
      expect(log.all[0]).toEqual({
        hash: expect.stringMatching(/^[0-9a-f]{40}$/),
        date: '2025-01-02T03:04:05+00:00',
        message: 'second: grow b',
        refs: 'HEAD -> main, origin/main, origin/gone, origin/feature, topic, gone',
        body: 'The body explains why.\n',
        author_name: 'Fixture Author',
        author_email: 'author@example.com',
        filesChanged: 1,
        insertions: 1,
        deletions: 0,
      });
      expect(log.all[1]).toMatchObject({ message: 'initial', refs: '', body: '', filesChanged: 7, insertions: 14 });
    },
  },
  {
    name: 'get_git_log honours maxCount',
    command: 'get_git_log',
    args: { directory: MAIN, maxCount: 1 },
    expect: (o) => expect(ok<GitLogResponse>(o).all.map((e) => e.message)).toEqual(['second: grow b']),
  },
  {
    name: 'get_git_log skips the first commits (Chamber’s paging addition)',
    command: 'get_git_log',
    args: { directory: MAIN, maxCount: 5, skip: 1 },
    expect: (o) => expect(ok<GitLogResponse>(o).all.map((e) => e.message)).toEqual(['initial']),
  },
  {
    name: 'get_git_log treats maxCount 0 as the default',
    command: 'get_git_log',
    args: { directory: MAIN, maxCount: 0 },
    expect: (o) => expect(ok<GitLogResponse>(o).total).toBe(2),
  },
  {
    name: 'get_git_log from..to is the two-dot range',
    command: 'get_git_log',
    args: { directory: MAIN, from: 'main', to: 'feature' },
    expect: (o) => expect(ok<GitLogResponse>(o).all.map((e) => e.message)).toEqual(['feature work']),
  },
  {
    name: 'get_git_log with only from lists from..HEAD',
    command: 'get_git_log',
    args: { directory: MAIN, from: 'main~1' },
    expect: (o) => expect(ok<GitLogResponse>(o).all.map((e) => e.message)).toEqual(['second: grow b']),
  },
  {
    name: 'get_git_log of one file',
    command: 'get_git_log',
    args: { directory: MAIN, file: 'README.md' },
    expect: (o) => expect(ok<GitLogResponse>(o).all.map((e) => e.message)).toEqual(['initial']),
  },
  {
    name: 'get_git_log refuses an option-like revision (the reference let --output write files)',
    command: 'get_git_log',
    args: { directory: MAIN, from: '--output=/tmp/chamber-pwned' },
    expect: expectError(400, 'from must not start with "-" (git would read it as an option)'),
  },
  {
    name: 'get_git_log of an unknown revision passes git’s message through',
    command: 'get_git_log',
    args: { directory: MAIN, to: 'no-such-branch' },
    expect: expectError(500, "fatal: bad revision 'no-such-branch'\n"),
  },
  {
    name: 'get_git_log in a repository without commits passes git’s message through',
    command: 'get_git_log',
    args: { directory: EMPTY },
    expect: expectError(500, "fatal: your current branch 'main' does not have any commits yet\n"),
  },
  {
    name: 'get_git_log refuses a file outside the repository',
    command: 'get_git_log',
    args: { directory: MAIN, file: '../plain/file.txt' },
    expect: INVALID_PATH,
  },

  // -- get_commit_files -----------------------------------------------------------------------------
  {
    name: 'get_commit_files lists what a commit changed',
    command: 'get_commit_files',
    args: { directory: MAIN, hash: 'HEAD' },
    expect: (o) =>
      expect(ok(o)).toEqual({
        files: [{ path: 'b.txt', insertions: 1, deletions: 0, isBinary: false, changeType: 'M' }],
      }),
  },
  {
    name: 'get_commit_files of a root commit lists every file as added',
    command: 'get_commit_files',
    args: { directory: MAIN, hash: 'main~1' },
    expect: (o) => {
      const { files } = ok<GitCommitFilesResponse>(o);
      expect(files.map((f) => f.path)).toEqual([
        'README.md',
        'a.txt',
        'b.txt',
        'del.txt',
        'ren-src.txt',
        'staged-del.txt',
        'sub/d.txt',
      ]);
      expect(new Set(files.map((f) => f.changeType))).toEqual(new Set(['A']));
    },
  },
  {
    name: 'get_commit_files refuses an option-like hash',
    command: 'get_commit_files',
    args: { directory: MAIN, hash: '--output=/tmp/chamber-pwned' },
    expect: expectError(400, 'hash must not start with "-" (git would read it as an option)'),
  },
  {
    name: 'get_commit_files of an unknown hash passes git’s message through',
    command: 'get_commit_files',
    args: { directory: MAIN, hash: 'deadbeef' },
    expect: expectError(500, /^fatal: /),
  },
  {
    name: 'get_commit_files requires a hash',
    command: 'get_commit_files',
    args: { directory: MAIN },
    expect: expectError(400, 'hash parameter is required'),
  },

  // -- get_commit_file_diff (Chamber's own) ---------------------------------------------------------
  {
    name: 'get_commit_file_diff answers the unified diff of a file in a commit against its parent',
    command: 'get_commit_file_diff',
    args: { directory: MAIN, hash: 'HEAD', pathStr: 'b.txt' },
    expect: (o) =>
      expect(ok<GitDiffResponse>(o).diff).toMatch(
        /^diff --git a\/b\.txt b\/b\.txt\nindex [0-9a-f]+\.\.[0-9a-f]+ 100644\n--- a\/b\.txt\n\+\+\+ b\/b\.txt\n@@ -1,2 \+1,3 @@\n b 1\n b 2\n\+b 3\n$/,
      ),
  },
  {
    name: 'get_commit_file_diff of a root commit shows the file as added',
    command: 'get_commit_file_diff',
    args: { directory: MAIN, hash: 'main~1', pathStr: 'a.txt', contextLines: 0 },
    expect: (o) => {
      const { diff } = ok<GitDiffResponse>(o);
      expect(diff).toContain('new file mode 100644\n');
      expect(diff).toContain('--- /dev/null\n+++ b/a.txt\n@@ -0,0 +1,3 @@\n+a 1\n+a 2\n+a 3\n');
    },
  },
  {
    name: 'get_commit_file_diff of a file the commit did not change is empty',
    command: 'get_commit_file_diff',
    args: { directory: MAIN, hash: 'HEAD', pathStr: 'a.txt' },
    expect: (o) => expect(ok(o)).toEqual({ diff: '' }),
  },
  {
    name: 'get_commit_file_diff refuses an option-like hash',
    command: 'get_commit_file_diff',
    args: { directory: MAIN, hash: '--output=/tmp/chamber-pwned', pathStr: 'b.txt' },
    expect: expectError(400, 'hash must not start with "-" (git would read it as an option)'),
  },
  {
    name: 'get_commit_file_diff of an unknown hash passes git’s message through',
    command: 'get_commit_file_diff',
    args: { directory: MAIN, hash: 'deadbeef', pathStr: 'b.txt' },
    expect: expectError(500, 'fatal: Needed a single revision\n'),
  },
  {
    name: 'get_commit_file_diff refuses a path outside the repository',
    command: 'get_commit_file_diff',
    args: { directory: MAIN, hash: 'HEAD', pathStr: '../outside.txt' },
    expect: INVALID_PATH,
  },
  {
    name: 'get_commit_file_diff requires a hash and a path',
    command: 'get_commit_file_diff',
    args: { directory: MAIN, pathStr: 'b.txt' },
    expect: expectError(400, 'hash parameter is required'),
  },
  {
    name: 'get_commit_file_diff requires a path',
    command: 'get_commit_file_diff',
    args: { directory: MAIN, hash: 'HEAD' },
    expect: expectError(400, 'path parameter is required'),
  },
  {
    name: 'get_commit_file_diff outside a repository passes git’s message through',
    command: 'get_commit_file_diff',
    args: { directory: PLAIN, hash: 'HEAD', pathStr: 'x' },
    expect: expectError(500, NOT_A_REPO),
  },

  // -- get_git_branches ---------------------------------------------------------------------------
  {
    name: 'get_git_branches lists local then remote branches, without the one gone from the remote',
    command: 'get_git_branches',
    args: { directory: MAIN },
    expect: (o) => {
      const branches = ok<GitBranch>(o);
      expect(branches.all).toEqual([
        'feature',
        'gone',
        'main',
        'topic',
        'remotes/origin/feature',
        'remotes/origin/main',
      ]);
      expect(branches.current).toBe('main');
      expect(branches.branches.main).toEqual({
        current: true,
        linkedWorkTree: false,
        name: 'main',
        commit: expect.stringMatching(/^[0-9a-f]{7,}$/),
        label: 'second: grow b',
      });
      // As in the reference, only `all` is filtered; the stale entry stays in `branches`.
      expect(branches.branches['remotes/origin/gone']?.name).toBe('remotes/origin/gone');
    },
  },
  {
    name: 'get_git_branches on a detached HEAD names the entry by what it is detached at',
    command: 'get_git_branches',
    args: { directory: DETACHED },
    expect: (o) => {
      const branches = ok<GitBranch>(o);
      expect(branches.all).toHaveLength(2);
      expect(branches.branches[branches.current]).toMatchObject({ current: true, label: 'one' });
    },
  },
  {
    name: 'get_git_branches marks a branch checked out in another worktree',
    command: 'get_git_branches',
    args: { directory: WT },
    expect: (o) => expect(ok<GitBranch>(o).branches.side).toMatchObject({ linkedWorkTree: true, current: false }),
  },
  {
    name: 'get_git_branches of a repository without commits is empty',
    command: 'get_git_branches',
    args: { directory: EMPTY },
    expect: (o) => expect(ok(o)).toEqual({ all: [], current: '', branches: {} }),
  },
  {
    name: 'get_git_branches outside a repository passes git’s message through',
    command: 'get_git_branches',
    args: { directory: PLAIN },
    expect: expectError(500, NOT_A_REPO),
  },

  // -- list_git_worktrees -------------------------------------------------------------------------
  {
    name: 'list_git_worktrees lists the main worktree first, with full branch refs',
    command: 'list_git_worktrees',
    args: { directory: WT_LINKED },
    expect: (o) =>
      expect(ok(o)).toEqual([
        { worktree: WT, head: expect.stringMatching(/^[0-9a-f]{40}$/), branch: 'refs/heads/main' },
        { worktree: WT_LINKED, head: expect.stringMatching(/^[0-9a-f]{40}$/), branch: 'refs/heads/side' },
      ]),
  },
  {
    name: 'list_git_worktrees of a detached worktree has no branch key',
    command: 'list_git_worktrees',
    args: { directory: DETACHED },
    expect: (o) => expect(ok<GitWorktreeInfo[]>(o)[0]).not.toHaveProperty('branch'),
  },
  {
    name: 'list_git_worktrees of an unborn branch reports 40 zeros',
    command: 'list_git_worktrees',
    args: { directory: EMPTY },
    expect: (o) => expect(ok(o)).toEqual([{ worktree: EMPTY, head: '0'.repeat(40), branch: 'refs/heads/main' }]),
  },
  {
    name: 'list_git_worktrees outside a repository passes git’s message through',
    command: 'list_git_worktrees',
    args: { directory: PLAIN },
    expect: expectError(500, NOT_A_REPO),
  },
];
