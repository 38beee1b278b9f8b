/**
 * Git commands through `runtime.invoke` on real repositories, for what the parity suite cannot
 * observe through answers alone: side effects that must not happen (option injection, traversal),
 * files git commands write (`info/exclude`), lock contention with a git process outside the
 * runtime, and the worktree cache and progress events on the runtime's bus.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitProgressEvent, GitWorktreesEvent } from '@chamber/contract';
import { createRuntime, type Runtime } from '../../src/index.js';
import { buildGitRepos, gitIn, pinnedGitEnv, type GitRepos } from '../../../../test/support/git-repos.js';

let base: string;
let home: string;
let repos: GitRepos;
let runtime: Runtime;

// One set of repositories for the file (building them is the slow part); tests are written so
// that the changes one makes do not matter to the next.
beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-git-commands-')));
  home = path.join(base, 'home');
  repos = buildGitRepos(path.join(base, 'git'), home);
  runtime = createRuntime({
    homeDir: home,
    dataDir: path.join(base, 'data'),
    cwd: base,
    env: {},
    git: { env: pinnedGitEnv(home) },
  });
});
afterAll(async () => {
  await runtime.close();
  fs.rmSync(base, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: { status: number; message: string }) => ({ status: error.status, message: error.message }),
  );

describe('option injection', () => {
  it('never lets a revision, hash, path or option write a file', async () => {
    const marker = path.join(base, 'pwned');
    const attempts = [
      runtime.invoke('get_git_log', { directory: repos.main, from: `--output=${marker}` }),
      runtime.invoke('get_git_log', { directory: repos.main, to: `--output=${marker}` }),
      runtime.invoke('get_commit_files', { directory: repos.main, hash: `--output=${marker}` }),
      runtime.invoke('get_git_diff', { directory: repos.main, pathStr: `--output=${marker}` }),
      runtime.invoke('git_fetch', { directory: repos.pusher, options: [`--upload-pack=touch ${marker}`] }),
      runtime.invoke('git_push', { directory: repos.pusher, options: { '--receive-pack': `touch ${marker}` } }),
      runtime.invoke('git_pull', { directory: repos.pusher, remote: `--upload-pack=touch ${marker}` }),
      runtime.invoke('delete_remote_branch', {
        directory: repos.pusher,
        branch: 'x',
        remote: `--exec=touch ${marker}`,
      }),
    ];
    const outcomes = await Promise.allSettled(attempts);
    expect(outcomes.map((o) => o.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('never creates an option-named branch', async () => {
    expect(await failure(runtime.invoke('create_branch', { directory: repos.main, name: '--orphan=evil' }))).toEqual({
      status: 400,
      message: 'name must not start with "-" (git would read it as an option)',
    });
    expect(gitIn(repos.main, {}, 'branch', '--list', '*evil*').trim()).toBe('');
    expect(gitIn(repos.main, {}, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('main');
  });
});

describe('file arguments stay inside the repository', () => {
  beforeAll(() => {
    fs.mkdirSync(path.join(base, 'outside'));
    fs.writeFileSync(path.join(base, 'outside', 'secret.txt'), 'secret\n');
    fs.symlinkSync(path.join(base, 'outside'), path.join(repos.main, 'escape'));
  });

  it('refuses a path through a symlinked directory that leaves the repository', async () => {
    for (const [command, key] of [
      ['get_git_file_diff', 'pathStr'],
      ['get_git_diff', 'pathStr'],
      ['revert_git_file', 'filePath'],
    ] as const) {
      expect(await failure(runtime.invoke(command, { directory: repos.main, [key]: 'escape/secret.txt' }))).toEqual({
        status: 400,
        message: 'Invalid file path',
      });
    }
    expect(fs.readFileSync(path.join(base, 'outside', 'secret.txt'), 'utf8')).toBe('secret\n');
  });

  it('reverting an untracked symlink removes the link, never its target', async () => {
    expect(await runtime.invoke('revert_git_file', { directory: repos.main, filePath: 'escape' })).toEqual({
      success: true,
    });
    expect(fs.existsSync(path.join(repos.main, 'escape'))).toBe(false);
    expect(fs.readFileSync(path.join(base, 'outside', 'secret.txt'), 'utf8')).toBe('secret\n');
  });
});

describe('ensure_openchamber_ignored', () => {
  const exclude = () => fs.readFileSync(path.join(repos.wt, '.git', 'info', 'exclude'), 'utf8');

  it('appends /.openchamber/ once, on its own line', async () => {
    fs.writeFileSync(path.join(repos.wt, '.git', 'info', 'exclude'), '*.tmp');
    await runtime.invoke('ensure_openchamber_ignored', { directory: repos.wt });
    await runtime.invoke('ensure_openchamber_ignored', { directory: repos.wt });
    expect(exclude()).toBe('*.tmp\n/.openchamber/\n');
  });

  it('in a linked worktree writes the shared exclude file (the reference failed with ENOTDIR)', async () => {
    await runtime.invoke('ensure_openchamber_ignored', { directory: repos.wtLinked });
    expect(exclude()).toMatch(/\/\.openchamber\/\n$/);
    fs.mkdirSync(path.join(repos.wtLinked, '.openchamber'));
    fs.writeFileSync(path.join(repos.wtLinked, '.openchamber', 'x.txt'), 'x');
    const status = (await runtime.invoke('get_git_status', { directory: repos.wtLinked })) as {
      files: { path: string }[];
    };
    expect(status.files.map((f) => f.path)).toEqual(['untracked-in-linked.txt']);
  });

  it('outside a repository creates nothing', async () => {
    await runtime.invoke('ensure_openchamber_ignored', { directory: repos.plain });
    expect(fs.existsSync(path.join(repos.plain, '.git'))).toBe(false);
  });
});

describe('writes and locks', () => {
  it('waits for a lock held by a git process outside the runtime instead of failing', async () => {
    // A terminal's `git commit -a` holds index.lock while its editor is open (0.4 s here); the
    // empty message then aborts it, so it adds no commit.
    const lock = path.join(repos.concurrent, '.git', 'index.lock');
    const outside = spawn('git', ['commit', '-a', '--allow-empty'], {
      cwd: repos.concurrent,
      env: { ...process.env, ...pinnedGitEnv(home), GIT_EDITOR: 'sleep 0.4; : >' },
      stdio: 'ignore',
    });
    let closedAt = 0;
    const done = new Promise((resolve) => outside.on('close', resolve)).finally(() => (closedAt = Date.now()));
    for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 5));
    expect(fs.existsSync(lock)).toBe(true);
    const result = await runtime.invoke('create_git_commit', {
      directory: repos.concurrent,
      message: 'after the lock',
      files: ['c1.txt'],
    });
    expect(result).toMatchObject({ success: true, branch: 'main', summary: { changes: 1 } });
    // Ours waited for the outside commit to end: a live git's lock is never taken from it.
    expect(closedAt).toBeGreaterThan(0);
    expect(await done).toBe(1);
  });

  it('answers at once when git is killed mid-commit, and then removes the lock it left', async () => {
    const repo = path.join(base, 'killed');
    fs.mkdirSync(repo);
    const env = pinnedGitEnv(home);
    gitIn(repo, env, 'init', '-q', '-b', 'main');
    gitIn(repo, env, 'commit', '-q', '--allow-empty', '-m', 'base');
    fs.writeFileSync(path.join(repo, 'f.txt'), 'f\n');
    // A slow hook whose process outlives a killed git and keeps git's stderr open meanwhile.
    const pidFile = path.join(base, 'killed-git.pid');
    const hook = path.join(repo, '.git', 'hooks', 'pre-commit');
    fs.writeFileSync(hook, `#!/bin/sh\necho $PPID > '${pidFile}'\nsleep 20\n`, { mode: 0o755 });
    const lock = path.join(repo, '.git', 'index.lock');
    const commit = (message: string) =>
      runtime.invoke('create_git_commit', { directory: repo, message, files: ['f.txt'] });

    const killed = commit('killed').then(
      () => null,
      (error: { status: number }) => error,
    );
    for (let i = 0; i < 400 && !fs.existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 10));
    const gitPid = Number(fs.readFileSync(pidFile, 'utf8'));
    try {
      expect(fs.existsSync(lock)).toBe(true);
      let started = Date.now();
      process.kill(gitPid, 'SIGKILL');
      expect(await killed).toMatchObject({ status: 500 });
      expect(Date.now() - started).toBeLessThan(2_000); // not when the hook's sleep ends (20 s)
      expect(fs.existsSync(lock)).toBe(true); // what a killed git leaves

      fs.rmSync(hook);
      started = Date.now();
      expect(await commit('after the kill')).toMatchObject({ success: true, summary: { changes: 1 } });
      expect(await runtime.invoke('create_branch', { directory: repo, name: 'after' })).toEqual({
        success: true,
        branch: 'after',
      });
      expect(Date.now() - started).toBeLessThan(2_000); // no ~3 s of retries, no failure
      expect(fs.existsSync(lock)).toBe(false);
    } finally {
      // The hook (shell and sleep) still runs in the killed git's process group.
      try {
        process.kill(-gitPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('serialises commits to one repository and to its linked worktree', async () => {
    fs.writeFileSync(path.join(repos.wtLinked, 'l.txt'), 'linked\n');
    fs.writeFileSync(path.join(repos.wt, 'm.txt'), 'main\n');
    const results = await Promise.all([
      runtime.invoke('create_git_commit', { directory: repos.wt, message: 'main side', files: ['m.txt'] }),
      runtime.invoke('create_git_commit', { directory: repos.wtLinked, message: 'linked side', addAll: true }),
      ...[2, 3, 4].map((i) =>
        runtime.invoke('create_git_commit', { directory: repos.concurrent, message: `c${i}`, files: [`c${i}.txt`] }),
      ),
    ]);
    expect(results.every((r) => (r as { success: boolean }).success)).toBe(true);
    // base, the commit of the previous test, and these three
    expect(gitIn(repos.concurrent, {}, 'rev-list', '--count', 'HEAD').trim()).toBe('5');
  });
});

describe('events and caches', () => {
  it('keeps runtime.worktrees in step and emits git://worktrees on change only', async () => {
    const events: GitWorktreesEvent[] = [];
    runtime.events.subscribe((name, payload) => {
      if (name === 'git://worktrees') events.push(payload as GitWorktreesEvent);
    });
    await runtime.invoke('list_git_worktrees', { directory: repos.wt });
    await runtime.invoke('list_git_worktrees', { directory: repos.wt });
    expect(events).toHaveLength(1);
    expect(runtime.worktrees.get(repos.wt)).toEqual([
      { path: repos.wtLinked, projectDirectory: repos.wt, branch: 'side', label: 'side' },
    ]);
    await runtime.invoke('create_branch', { directory: repos.wtLinked, name: 'renamed-side' });
    expect(events).toHaveLength(2);
    expect(runtime.worktrees.list().map((w) => w.branch)).toEqual(['renamed-side']);
  });

  it('emits git://progress on the bus while pushing', async () => {
    const events: GitProgressEvent[] = [];
    runtime.events.subscribe((name, payload) => {
      if (name === 'git://progress') events.push(payload as GitProgressEvent);
    });
    await runtime.invoke('git_push', { directory: repos.main, branch: 'feature' });
    expect(
      events.some((e) => e.operation === 'push' && e.directory === repos.main && e.phase === 'Writing objects'),
    ).toBe(true);
  });
});
