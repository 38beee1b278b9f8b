/**
 * Parity cases of the git commands that change things: revert, commit (incl. concurrent commits),
 * branches, checkout, worktrees and the `.openchamber` exclude. Each case sees the state the
 * previous ones left.
 */
import type { CommandName, GitCommitResult, GitLogResponse, GitStatus, GitWorktreeInfo } from '@chamber/contract';
import { expect } from 'vitest';
import { OUTSIDE, deniedWhenRestricted, expectError, ok, type Outcome, type ParityCase } from './case.js';
import {
  CONCURRENT,
  CONFLICT,
  DETACHED,
  DIRECTORY_REQUIRED,
  DIRTY,
  SWITCH_BRING,
  SWITCH_CONFLICT,
  SWITCH_LEAVE,
  EMPTY,
  GIT,
  MAIN,
  MISSING_DIR,
  PLAIN,
  WT,
  WT_LINKED,
} from './git-paths.js';

const SUCCESS = { success: true };
const INVALID_PATH = expectError(400, 'Invalid file path');
const files = (o: Outcome) => ok<GitStatus>(o).files.map((f) => `${f.index}${f.working_dir} ${f.path}`);
const HASH = expect.stringMatching(/^[0-9a-f]{40}$/);

/** A status call as the follow-up step of a multi-call case. */
async function statusAfter(
  call: (command: CommandName, args: Record<string, unknown>) => Promise<Outcome>,
  command: CommandName,
  args: Record<string, unknown>,
): Promise<Outcome> {
  const first = await call(command, args);
  if ('error' in first) return first;
  return call('get_git_status', { directory: args.directory });
}

const revertCases: ParityCase[] = [
  {
    name: 'revert_git_file restores a modified file',
    command: 'revert_git_file',
    run: (call) => statusAfter(call, 'revert_git_file', { directory: MAIN, filePath: 'a.txt' }),
    args: {},
    expect: (o) => expect(files(o)).not.toContain(' M a.txt'),
  },
  {
    name: 'revert_git_file of a staged new file removes it (the reference: 500, file left untracked)',
    command: 'revert_git_file',
    run: (call) => statusAfter(call, 'revert_git_file', { directory: MAIN, filePath: 'staged-new.txt' }),
    args: {},
    expect: (o) => expect(files(o).some((f) => f.endsWith('staged-new.txt'))).toBe(false),
  },
  {
    name: 'revert_git_file of a rename target restores the source',
    command: 'revert_git_file',
    run: (call) => statusAfter(call, 'revert_git_file', { directory: MAIN, filePath: 'ren-dst.txt' }),
    args: {},
    expect: (o) => expect(files(o).some((f) => f.includes('ren-'))).toBe(false),
  },
  {
    name: 'revert_git_file of a staged deletion restores the file (the reference did nothing)',
    command: 'revert_git_file',
    run: (call) => statusAfter(call, 'revert_git_file', { directory: MAIN, filePath: 'staged-del.txt' }),
    args: {},
    expect: (o) => expect(files(o).some((f) => f.endsWith('staged-del.txt'))).toBe(false),
  },
  {
    name: 'revert_git_file of an unstaged deletion restores the file',
    command: 'revert_git_file',
    run: (call) => statusAfter(call, 'revert_git_file', { directory: MAIN, filePath: 'del.txt' }),
    args: {},
    expect: (o) => expect(files(o).some((f) => f.endsWith('del.txt'))).toBe(false),
  },
  {
    name: 'revert_git_file of an untracked file deletes it',
    command: 'revert_git_file',
    run: (call) => statusAfter(call, 'revert_git_file', { directory: MAIN, filePath: 'new\nline.txt' }),
    args: {},
    expect: (o) => expect(files(o)).not.toContain('?? new\nline.txt'),
  },
  {
    name: 'revert_git_file of an unchanged file changes nothing',
    command: 'revert_git_file',
    args: { directory: MAIN, filePath: 'README.md' },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'revert_git_file of a conflicted file takes the HEAD version',
    command: 'revert_git_file',
    run: (call) => statusAfter(call, 'revert_git_file', { directory: CONFLICT, filePath: 'shared.txt' }),
    args: {},
    expect: (o) => expect(files(o)).toEqual([]),
  },
  {
    name: 'revert_git_file refuses the repository root (the reference discarded everything)',
    command: 'revert_git_file',
    args: { directory: MAIN, filePath: '.' },
    expect: INVALID_PATH,
  },
  {
    name: 'revert_git_file refuses a directory',
    command: 'revert_git_file',
    args: { directory: MAIN, filePath: 'sub' },
    expect: INVALID_PATH,
  },
  {
    name: 'revert_git_file refuses a path that climbs out of the repository',
    command: 'revert_git_file',
    args: { directory: MAIN, filePath: '../plain/file.txt' },
    expect: INVALID_PATH,
  },
  {
    name: 'revert_git_file refuses an absolute path elsewhere',
    command: 'revert_git_file',
    args: { directory: MAIN, filePath: `${PLAIN}/file.txt` },
    expect: INVALID_PATH,
  },
  {
    name: 'revert_git_file requires a path',
    command: 'revert_git_file',
    args: { directory: MAIN },
    expect: expectError(400, 'path parameter is required'),
  },
];

const commitCases: ParityCase[] = [
  {
    name: 'create_git_commit with files commits only those files',
    command: 'create_git_commit',
    args: { directory: MAIN, message: 'add the spaced file', files: ['with space.txt'] },
    expect: (o) =>
      expect(ok(o)).toEqual({
        success: true,
        commit: HASH,
        branch: 'main',
        summary: { changes: 1, insertions: 1, deletions: 0 },
      }),
  },
  {
    name: 'create_git_commit left the other changes alone',
    command: 'get_git_status',
    args: { directory: MAIN },
    expect: (o) => expect(files(o)).toEqual(expect.arrayContaining(['M  b.txt', '?? new.txt'])),
  },
  {
    name: 'create_git_commit with addAll commits everything, multi-line message kept',
    command: 'create_git_commit',
    run: async (call) => {
      const commit = await call('create_git_commit', {
        directory: MAIN,
        message: 'commit everything\n\n#1 keeps its hash line',
        addAll: true,
      });
      if ('error' in commit) return commit;
      const log = await call('get_git_log', { directory: MAIN, maxCount: 1 });
      return { ok: { commit: (commit as { ok: GitCommitResult }).ok, latest: ok<GitLogResponse>(log).latest } };
    },
    args: {},
    expect: (o) => {
      const { commit, latest } = ok<{ commit: GitCommitResult; latest: GitLogResponse['latest'] }>(o);
      expect(commit).toMatchObject({ success: true, commit: HASH, branch: 'main' });
      expect(commit.summary.changes).toBe(6);
      expect(latest).toMatchObject({
        hash: commit.commit,
        message: 'commit everything',
        body: '#1 keeps its hash line\n',
      });
      expect(latest?.author_name).toBe('Global Person');
    },
  },
  {
    name: 'create_git_commit with nothing to commit answers the reference’s empty result',
    command: 'create_git_commit',
    args: { directory: MAIN, message: 'nothing', addAll: true },
    expect: (o) =>
      expect(ok(o)).toEqual({
        success: true,
        commit: '',
        branch: '',
        summary: { changes: 0, insertions: 0, deletions: 0 },
      }),
  },
  {
    name: 'create_git_commit of the first commit of a repository',
    command: 'create_git_commit',
    args: { directory: EMPTY, message: 'root commit', files: ['first.txt'] },
    expect: (o) =>
      expect(ok(o)).toMatchObject({ commit: HASH, branch: 'main', summary: { changes: 1, insertions: 2 } }),
  },
  {
    name: "create_git_commit on a detached HEAD answers the plain hash and branch 'detached'",
    command: 'create_git_commit',
    args: { directory: DETACHED, message: 'detached work', addAll: true },
    expect: (o) => expect(ok(o)).toMatchObject({ commit: HASH, branch: 'detached' }),
  },
  {
    name: 'create_git_commit of an unknown file passes git’s message through',
    command: 'create_git_commit',
    args: { directory: MAIN, message: 'x', files: ['nope.txt'] },
    expect: expectError(500, "fatal: pathspec 'nope.txt' did not match any files\n"),
  },
  {
    name: 'create_git_commit refuses a file outside the repository',
    command: 'create_git_commit',
    args: { directory: MAIN, message: 'x', files: ['../plain/file.txt'] },
    expect: INVALID_PATH,
  },
  {
    name: 'create_git_commit requires a message',
    command: 'create_git_commit',
    args: { directory: MAIN, message: '' },
    expect: expectError(400, 'message is required'),
  },
  {
    name: 'create_git_commit refuses a huge message',
    command: 'create_git_commit',
    args: { directory: MAIN, message: 'x'.repeat(70_000), addAll: true },
    expect: expectError(400, 'message is too long (at most 65536 characters)'),
  },
  {
    name: 'create_git_commit refuses a non-boolean addAll',
    command: 'create_git_commit',
    args: { directory: MAIN, message: 'x', addAll: 'yes' },
    expect: expectError(400, 'addAll must be a boolean, not a string'),
  },
  {
    name: 'five concurrent create_git_commit calls on one repository all succeed, one after the other',
    command: 'create_git_commit',
    args: {},
    run: async (call) => {
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          call('create_git_commit', { directory: CONCURRENT, message: `concurrent ${i}`, files: [`c${i}.txt`] }),
        ),
      );
      const log = await call('get_git_log', { directory: CONCURRENT });
      return {
        ok: {
          errors: results.filter((r) => 'error' in r),
          changes: results.map((r) => ('ok' in r ? (r.ok as GitCommitResult).summary.changes : -1)),
          messages: ok<GitLogResponse>(log)
            .all.map((e) => e.message)
            .sort(),
        },
      };
    },
    expect: (o) =>
      expect(ok(o)).toEqual({
        errors: [],
        changes: [1, 1, 1, 1, 1],
        messages: ['base', 'concurrent 1', 'concurrent 2', 'concurrent 3', 'concurrent 4', 'concurrent 5'],
      }),
  },
];

const branchCases: ParityCase[] = [
  {
    name: 'create_branch creates the branch and switches to it',
    command: 'create_branch',
    run: (call) => statusAfter(call, 'create_branch', { directory: MAIN, name: 'new-branch' }),
    args: {},
    expect: (o) => expect(ok<GitStatus>(o).current).toBe('new-branch'),
  },
  {
    name: 'create_branch answers the reference shape',
    command: 'create_branch',
    args: { directory: MAIN, name: 'from-feature', startPoint: 'feature' },
    expect: (o) => expect(ok(o)).toEqual({ success: true, branch: 'from-feature' }),
  },
  {
    name: 'create_branch from a start point that is no commit answers the reference’s git text',
    command: 'create_branch',
    args: { directory: MAIN, name: 'from-nowhere', startPoint: 'no-such-start' },
    expect: expectError(
      500,
      "fatal: 'no-such-start' is not a commit and a branch 'from-nowhere' cannot be created from it\n",
    ),
  },
  {
    name: 'create_branch of an existing name passes git’s message through',
    command: 'create_branch',
    args: { directory: MAIN, name: 'feature' },
    expect: expectError(500, "fatal: a branch named 'feature' already exists\n"),
  },
  {
    name: 'create_branch refuses an option-like name (the reference created --orphan branches)',
    command: 'create_branch',
    args: { directory: MAIN, name: '--orphan=evil' },
    expect: expectError(400, 'name must not start with "-" (git would read it as an option)'),
  },
  {
    name: 'create_branch refuses an option-like start point',
    command: 'create_branch',
    args: { directory: MAIN, name: 'ok', startPoint: '-f' },
    expect: expectError(400, 'startPoint must not start with "-" (git would read it as an option)'),
  },
  {
    name: 'create_branch requires a name',
    command: 'create_branch',
    args: { directory: MAIN },
    expect: expectError(400, 'name is required'),
  },
  {
    name: 'checkout_branch switches branches',
    command: 'checkout_branch',
    run: (call) => statusAfter(call, 'checkout_branch', { directory: MAIN, branch: 'main' }),
    args: {},
    expect: (o) => expect(ok<GitStatus>(o).current).toBe('main'),
  },
  {
    name: 'checkout_branch answers the branch as sent',
    command: 'checkout_branch',
    args: { directory: MAIN, branch: 'main' },
    expect: (o) => expect(ok(o)).toEqual({ success: true, branch: 'main' }),
  },
  {
    name: 'checkout_branch of an unknown branch answers the reference’s git text (git.md §6.4)',
    command: 'checkout_branch',
    args: { directory: MAIN, branch: 'no-such-branch' },
    expect: expectError(500, "error: pathspec 'no-such-branch' did not match any file(s) known to git\n"),
  },
  {
    name: 'checkout_branch never reads a file name as a path to restore',
    command: 'checkout_branch',
    args: { directory: MAIN, branch: 'README.md' },
    expect: expectError(500, 'fatal: invalid reference: README.md\n'),
  },
  {
    name: 'checkout_branch with local changes in the way passes git’s message through',
    command: 'checkout_branch',
    args: { directory: DIRTY, branch: 'other' },
    expect: expectError(
      500,
      'error: Your local changes to the following files would be overwritten by checkout:\n\tx.txt\nPlease commit your changes or stash them before you switch branches.\nAborting\n',
    ),
  },
  // -- checkout_branch_with_changes (Chamber's own) --------------------------------------------------
  {
    name: 'checkout_branch_with_changes to an unknown branch puts the changes back and passes git’s message through',
    command: 'checkout_branch_with_changes',
    args: {},
    run: async (call) => {
      const failed = await call('checkout_branch_with_changes', {
        directory: SWITCH_LEAVE,
        branch: 'no-such-branch',
        changes: 'leave',
      });
      const status = await call('get_git_status', { directory: SWITCH_LEAVE });
      return { ok: { failed, status } };
    },
    expect: (o) => {
      const { failed, status } = ok<{ failed: Outcome; status: Outcome }>(o);
      expectError(500, "error: pathspec 'no-such-branch' did not match any file(s) known to git\n")(failed);
      expect(ok<GitStatus>(status).current).toBe('main');
      expect(files(status)).toEqual([' M x.txt', '?? new.txt']);
    },
  },
  {
    name: 'checkout_branch_with_changes leave: the changes (untracked too) stay stashed, the branch is switched',
    command: 'checkout_branch_with_changes',
    args: {},
    run: async (call) => {
      const result = await call('checkout_branch_with_changes', {
        directory: SWITCH_LEAVE,
        branch: 'other',
        changes: 'leave',
      });
      const status = await call('get_git_status', { directory: SWITCH_LEAVE });
      const text = await call('read_file', { path: `${SWITCH_LEAVE}/x.txt` });
      return { ok: { result, status, text: 'ok' in text ? (text.ok as { content: string }).content : text } };
    },
    expect: (o) => {
      const { result, status, text } = ok<{ result: Outcome; status: Outcome; text: unknown }>(o);
      expect(ok(result)).toEqual({ success: true, branch: 'other', stashed: true, conflicted: false });
      expect(ok<GitStatus>(status)).toMatchObject({ current: 'other', files: [] });
      expect(text).toBe('two\n');
    },
  },
  {
    name: 'checkout_branch_with_changes bring: the changes are applied on the new branch (merged)',
    command: 'checkout_branch_with_changes',
    args: {},
    run: async (call) => {
      const result = await call('checkout_branch_with_changes', {
        directory: SWITCH_BRING,
        branch: 'other',
        changes: 'bring',
      });
      const status = await call('get_git_status', { directory: SWITCH_BRING });
      const text = await call('read_file', { path: `${SWITCH_BRING}/x.txt` });
      return { ok: { result, status, text: 'ok' in text ? (text.ok as { content: string }).content : text } };
    },
    expect: (o) => {
      const { result, status, text } = ok<{ result: Outcome; status: Outcome; text: unknown }>(o);
      expect(ok(result)).toEqual({ success: true, branch: 'other', stashed: false, conflicted: false });
      expect(ok<GitStatus>(status).current).toBe('other');
      expect(files(status)).toEqual([' M x.txt']);
      expect(text).toBe('A\nb\nc\nd\nE\n');
    },
  },
  {
    name: 'checkout_branch_with_changes bring into a conflict: switched, markers in the file, the stash kept',
    command: 'checkout_branch_with_changes',
    args: {},
    run: async (call) => {
      const result = await call('checkout_branch_with_changes', {
        directory: SWITCH_CONFLICT,
        branch: 'other',
        changes: 'bring',
      });
      const status = await call('get_git_status', { directory: SWITCH_CONFLICT });
      return { ok: { result, status } };
    },
    expect: (o) => {
      const { result, status } = ok<{ result: Outcome; status: Outcome }>(o);
      expect(ok(result)).toEqual({ success: true, branch: 'other', stashed: true, conflicted: true });
      expect(ok<GitStatus>(status).current).toBe('other');
      expect(files(status)).toEqual(['UU x.txt']);
    },
  },
  {
    name: 'checkout_branch_with_changes without changes is a plain checkout (an older stash stays put)',
    command: 'checkout_branch_with_changes',
    args: {},
    run: async (call) => {
      // SWITCH_LEAVE is clean on `other` now, its changes in the stash since the case above.
      const result = await call('checkout_branch_with_changes', {
        directory: SWITCH_LEAVE,
        branch: 'main',
        changes: 'bring',
      });
      const status = await call('get_git_status', { directory: SWITCH_LEAVE });
      return { ok: { result, status } };
    },
    expect: (o) => {
      const { result, status } = ok<{ result: Outcome; status: Outcome }>(o);
      expect(ok(result)).toEqual({ success: true, branch: 'main', stashed: false, conflicted: false });
      expect(ok<GitStatus>(status)).toMatchObject({ current: 'main', files: [] });
    },
  },
  {
    name: 'checkout_branch_with_changes refuses an unknown way with the changes',
    command: 'checkout_branch_with_changes',
    args: { directory: SWITCH_BRING, branch: 'main', changes: 'discard' },
    expect: expectError(400, "changes must be one of 'leave', 'bring'"),
  },
  {
    name: 'checkout_branch_with_changes refuses an option-like branch',
    command: 'checkout_branch_with_changes',
    args: { directory: SWITCH_BRING, branch: '--orphan=x', changes: 'leave' },
    expect: expectError(400, 'branch must not start with "-" (git would read it as an option)'),
  },
  {
    name: 'checkout_branch refuses an option-like branch',
    command: 'checkout_branch',
    args: { directory: MAIN, branch: '--detach' },
    expect: expectError(400, 'branch must not start with "-" (git would read it as an option)'),
  },
  {
    name: 'delete_git_branch deletes a merged branch',
    command: 'delete_git_branch',
    args: { directory: MAIN, branch: 'topic' },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'delete_git_branch strips one refs/heads/',
    command: 'delete_git_branch',
    args: { directory: MAIN, branch: 'refs/heads/new-branch' },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'delete_git_branch of an unmerged branch needs force',
    command: 'delete_git_branch',
    args: { directory: MAIN, branch: 'from-feature' },
    expect: expectError(
      500,
      "error: The branch 'from-feature' is not fully merged.\nIf you are sure you want to delete it, run 'git branch -D from-feature'.\n",
    ),
  },
  {
    name: 'delete_git_branch with force deletes an unmerged branch',
    command: 'delete_git_branch',
    args: { directory: MAIN, branch: 'from-feature', force: true },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'delete_git_branch of an unknown branch passes git’s message through',
    command: 'delete_git_branch',
    args: { directory: MAIN, branch: 'no-such-branch' },
    expect: expectError(500, "error: branch 'no-such-branch' not found.\n"),
  },
  {
    name: 'delete_git_branch refuses an option-like branch',
    command: 'delete_git_branch',
    args: { directory: MAIN, branch: '-D' },
    expect: expectError(400, 'branch must not start with "-" (git would read it as an option)'),
  },
];

const worktreeCases: ParityCase[] = [
  {
    name: 'add_git_worktree with createBranch adds a worktree on a new branch',
    command: 'add_git_worktree',
    args: { directory: WT, pathStr: `${WT}/.openchamber/feature-a`, branch: 'feature-a', createBranch: true },
    expect: (o) => expect(ok(o)).toEqual({ success: true, path: `${WT}/.openchamber/feature-a`, branch: 'feature-a' }),
  },
  {
    name: 'add_git_worktree resolves a relative path against the repository',
    command: 'add_git_worktree',
    args: { directory: WT, pathStr: '../wt-second', branch: 'second', createBranch: true },
    expect: (o) => expect(ok(o)).toEqual({ success: true, path: '../wt-second', branch: 'second' }),
  },
  {
    name: 'list_git_worktrees sees the added worktrees',
    command: 'list_git_worktrees',
    args: { directory: WT },
    expect: (o) => {
      const [main, ...linked] = ok<GitWorktreeInfo[]>(o).map((w) => [w.worktree, w.branch]);
      expect(main).toEqual([WT, 'refs/heads/main']);
      expect(linked.sort()).toEqual([
        [`${GIT}/wt-linked`, 'refs/heads/side'],
        [`${GIT}/wt-second`, 'refs/heads/second'],
        [`${WT}/.openchamber/feature-a`, 'refs/heads/feature-a'],
      ]);
    },
  },
  {
    name: 'add_git_worktree of a branch checked out elsewhere passes git’s message through',
    command: 'add_git_worktree',
    args: { directory: WT, pathStr: `${GIT}/wt-dup`, branch: 'side' },
    expect: expectError(
      500,
      `Preparing worktree (checking out 'side')\nfatal: 'side' is already checked out at '${WT_LINKED}'\n`,
    ),
  },
  {
    name: 'add_git_worktree outside the sandbox is denied',
    command: 'add_git_worktree',
    args: { directory: WT, pathStr: `${OUTSIDE}/wt-out`, branch: 'out', createBranch: true },
    expect: deniedWhenRestricted((o) => expect(ok(o)).toMatchObject({ success: true })),
  },
  {
    name: 'add_git_worktree requires a path and a branch',
    command: 'add_git_worktree',
    args: { directory: WT, pathStr: `${GIT}/wt-x` },
    expect: expectError(400, 'path and branch are required'),
  },
  {
    name: 'add_git_worktree refuses an option-like branch',
    command: 'add_git_worktree',
    args: { directory: WT, pathStr: `${GIT}/wt-x`, branch: '--orphan' },
    expect: expectError(400, 'branch must not start with "-" (git would read it as an option)'),
  },
  {
    name: 'remove_git_worktree removes a clean worktree',
    command: 'remove_git_worktree',
    args: { directory: WT, pathStr: `${WT}/.openchamber/feature-a` },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'remove_git_worktree of a worktree with untracked files needs force',
    command: 'remove_git_worktree',
    args: { directory: WT, pathStr: WT_LINKED },
    expect: expectError(500, `fatal: '${WT_LINKED}' contains modified or untracked files, use --force to delete it\n`),
  },
  {
    name: 'remove_git_worktree with force removes it anyway',
    command: 'remove_git_worktree',
    args: { directory: WT, pathStr: WT_LINKED, force: true },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'remove_git_worktree of something that is no worktree passes git’s message through',
    command: 'remove_git_worktree',
    args: { directory: WT, pathStr: `${WT}/src` },
    expect: expectError(500, /is not a working tree/),
  },
  {
    name: 'remove_git_worktree requires a path',
    command: 'remove_git_worktree',
    args: { directory: WT },
    expect: expectError(400, 'path is required'),
  },
  {
    name: 'ensure_openchamber_ignored succeeds in a repository',
    command: 'ensure_openchamber_ignored',
    args: { directory: MAIN },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'ensure_openchamber_ignored succeeds in a linked worktree (the reference: ENOTDIR)',
    command: 'ensure_openchamber_ignored',
    args: { directory: `${GIT}/wt-second` },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'ensure_openchamber_ignored outside a repository does nothing',
    command: 'ensure_openchamber_ignored',
    run: async (call) => {
      const first = await call('ensure_openchamber_ignored', { directory: PLAIN });
      if ('error' in first) return first;
      return call('check_is_git_repository', { directory: PLAIN });
    },
    args: {},
    expect: (o) => expect(ok(o)).toEqual({ isGitRepository: false }),
  },
  {
    name: 'ensure_openchamber_ignored of a missing directory succeeds (as the reference)',
    command: 'ensure_openchamber_ignored',
    args: { directory: MISSING_DIR },
    expect: (o) => expect(ok(o)).toEqual(SUCCESS),
  },
  {
    name: 'ensure_openchamber_ignored requires a directory',
    command: 'ensure_openchamber_ignored',
    args: {},
    expect: expectError(400, DIRECTORY_REQUIRED),
  },
];

export const gitWriteCases: ParityCase[] = [...revertCases, ...commitCases, ...branchCases, ...worktreeCases];
