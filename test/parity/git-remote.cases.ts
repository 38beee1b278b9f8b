/**
 * Parity cases of pull, push, fetch and remote branch deletion against real bare remotes:
 * `pusher` starts one commit ahead of `up.git` and one behind it (someone else pushed).
 */
import type { GitPushResult, GitStatus } from '@chamber/contract';
import { expect } from 'vitest';
import { OUTSIDE, expectError, ok, restricted, type ParityCase } from './case.js';
import { CLASH, GIT, PLAIN, PUSHER } from './git-paths.js';

const NOWHERE = `${GIT}/no-such-remote.git`;
const notARepository = (remote: string) =>
  `fatal: '${remote}' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n`;
const NOT_A_REMOTE = notARepository(NOWHERE);
/** A successful push of one branch to up.git, as the wire answers it. */
const pushedBranch = (branch: string, isNew: boolean): GitPushResult => ({
  success: true,
  pushed: [
    {
      deleted: false,
      tag: false,
      branch: true,
      new: isNew,
      alreadyUpdated: false,
      local: `refs/heads/${branch}`,
      remote: `refs/heads/${branch}`,
    },
  ],
  repo: `${GIT}/up.git`,
  ref: { local: `refs/remotes/origin/${branch}` },
});
const OPTION_LIKE = (arg: string) =>
  expectError(400, `${arg} must not start with "-" (git would read it as an option)`);

export const gitRemoteCases: ParityCase[] = [
  {
    name: 'git_push rejected by the remote passes git’s message through',
    command: 'git_push',
    args: { directory: PUSHER },
    expect: expectError(
      500,
      `To ${GIT}/up.git\n!\trefs/heads/main:refs/heads/main\t[rejected] (fetch first)\nDone\nPushing to ${GIT}/up.git\nerror: failed to push some refs to '${GIT}/up.git'\nhint: Updates were rejected because the remote contains work that you do\nhint: not have locally. This is usually caused by another repository pushing\nhint: to the same ref. You may want to first integrate the remote changes\nhint: (e.g., 'git pull ...') before pushing again.\nhint: See the 'Note about fast-forwards' in 'git push --help' for details.\n`,
    ),
  },
  {
    name: 'git_fetch updates the remote-tracking branch (status shows ahead 1, behind 1)',
    command: 'git_fetch',
    args: {},
    run: async (call) => {
      const fetched = await call('git_fetch', { directory: PUSHER });
      if ('error' in fetched) return fetched;
      const status = await call('get_git_status', { directory: PUSHER });
      return { ok: { fetched: ok(fetched), ahead: ok<GitStatus>(status).ahead, behind: ok<GitStatus>(status).behind } };
    },
    expect: (o) => expect(ok(o)).toEqual({ fetched: { success: true }, ahead: 1, behind: 1 }),
  },
  {
    name: 'git_pull of diverged branches answers the text after git’s last fatal:',
    command: 'git_pull',
    args: { directory: PUSHER },
    expect: expectError(500, 'Need to specify how to reconcile divergent branches.'),
  },
  {
    name: 'git_pull with --no-rebase merges and counts what changed',
    command: 'git_pull',
    args: { directory: PUSHER, options: ['--no-rebase'] },
    expect: (o) =>
      expect(ok(o)).toEqual({
        success: true,
        summary: { changes: 2, deletions: 1, insertions: 3 },
        files: ['shared.txt', 'theirs.txt'],
        insertions: { 'shared.txt': 1, 'theirs.txt': 2 },
        deletions: { 'shared.txt': 1 },
      }),
  },
  {
    name: 'git_pull that stops on a conflict is a 409 with git’s message (the reference could answer 200)',
    command: 'git_pull',
    args: { directory: CLASH, options: { '--no-rebase': true, '--ff-only': false } },
    expect: expectError(
      409,
      /^Auto-merging shared.txt\nCONFLICT \(content\): Merge conflict in shared.txt\nAutomatic merge failed; fix conflicts and then commit the result.\n/,
    ),
  },
  {
    name: 'git_push of a fast-forward lists it (the reference answered pushed: [])',
    command: 'git_push',
    args: { directory: PUSHER },
    expect: (o) => expect(ok(o)).toEqual(pushedBranch('main', false)),
  },
  {
    name: 'git_push when up to date lists the ref as alreadyUpdated',
    command: 'git_push',
    args: { directory: PUSHER, remote: 'origin', branch: 'main' },
    expect: (o) => expect(ok<GitPushResult>(o).pushed).toMatchObject([{ alreadyUpdated: true, new: false }]),
  },
  {
    name: 'git_push of a new branch with --set-upstream',
    command: 'git_push',
    args: {},
    run: async (call) => {
      const created = await call('create_branch', { directory: PUSHER, name: 'pushed-branch' });
      if ('error' in created) return created;
      const pushed = await call('git_push', {
        directory: PUSHER,
        remote: 'origin',
        branch: 'pushed-branch',
        options: ['--set-upstream'],
      });
      await call('checkout_branch', { directory: PUSHER, branch: 'main' });
      return pushed;
    },
    expect: (o) => expect(ok(o)).toEqual(pushedBranch('pushed-branch', true)),
  },
  {
    name: 'delete_remote_branch deletes a branch on the remote',
    command: 'delete_remote_branch',
    args: { directory: PUSHER, branch: 'refs/heads/pushed-branch' },
    expect: (o) => expect(ok(o)).toEqual({ success: true }),
  },
  {
    name: 'delete_remote_branch of a branch the remote lacks passes git’s message through',
    command: 'delete_remote_branch',
    args: { directory: PUSHER, branch: 'pushed-branch' },
    expect: expectError(500, /error: unable to delete 'pushed-branch': remote ref does not exist/),
  },
  {
    name: 'delete_remote_branch refuses an option-like remote',
    command: 'delete_remote_branch',
    args: { directory: PUSHER, branch: 'x', remote: '--receive-pack=touch /tmp/chamber-pwned' },
    expect: OPTION_LIKE('remote'),
  },
  {
    name: 'git_push to an unreachable remote passes git’s message through',
    command: 'git_push',
    args: { directory: PUSHER, remote: 'nowhere' },
    expect: expectError(500, `Pushing to ${NOWHERE}\n${NOT_A_REMOTE}`),
  },
  {
    name: 'git_fetch from an unreachable remote passes git’s message through',
    command: 'git_fetch',
    args: { directory: PUSHER, remote: 'nowhere' },
    expect: expectError(500, NOT_A_REMOTE),
  },
  {
    name: 'git_pull from an unreachable remote answers git’s last fatal line',
    command: 'git_pull',
    args: { directory: PUSHER, remote: 'nowhere', branch: 'main' },
    expect: expectError(500, 'Could not read from remote repository.'),
  },
  {
    name: 'git_fetch from a path outside the roots is refused when restricted (the reference read it)',
    command: 'git_fetch',
    args: { directory: PUSHER, remote: OUTSIDE },
    expect: (o, mode) =>
      restricted(mode)
        ? expectError(
            403,
            `Remote not allowed: ${OUTSIDE} (use a configured remote name, a network URL, or a path inside the allowed directories)`,
          )(o)
        : expectError(500, notARepository(OUTSIDE))(o),
  },
  {
    name: 'git_fetch refuses options outside the allow-list (no --upload-pack)',
    command: 'git_fetch',
    args: { directory: PUSHER, options: ['--upload-pack=touch /tmp/chamber-pwned'] },
    expect: expectError(400, 'Unsupported git option: --upload-pack=touch /tmp/chamber-pwned'),
  },
  {
    name: 'git_push refuses options outside the allow-list in object form',
    command: 'git_push',
    args: { directory: PUSHER, options: { '--receive-pack': 'touch /tmp/chamber-pwned' } },
    expect: expectError(400, 'Unsupported git option: --receive-pack=touch /tmp/chamber-pwned'),
  },
  {
    name: 'git_push refuses a flag option given a value',
    command: 'git_push',
    args: { directory: PUSHER, options: ['--set-upstream=evil'] },
    expect: expectError(400, 'Unsupported git option: --set-upstream=evil'),
  },
  {
    name: 'git_pull refuses an option-like remote',
    command: 'git_pull',
    args: { directory: PUSHER, remote: '--upload-pack=touch /tmp/chamber-pwned' },
    expect: OPTION_LIKE('remote'),
  },
  {
    name: 'git_push refuses an option-like branch',
    command: 'git_push',
    args: { directory: PUSHER, branch: '--all' },
    expect: OPTION_LIKE('branch'),
  },
  {
    name: 'git_push outside a repository passes git’s message through',
    command: 'git_push',
    args: { directory: PLAIN },
    expect: expectError(500, 'fatal: not a git repository (or any of the parent directories): .git\n'),
  },
];
