import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRepository, GitRepo, RepoLocks } from '../../src/git/repo.js';
import { GitRunner } from '../../src/git/runner.js';
import { gitIn } from '../../../../test/support/git-repos.js';

let base: string;
let repo: string;
let linked: string;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-repo-')));
  repo = path.join(base, 'repo');
  fs.mkdirSync(path.join(repo, 'sub/deeper'), { recursive: true });
  gitIn(repo, {}, 'init', '-q', '-b', 'main');
  gitIn(repo, {}, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'x');
  linked = path.join(base, 'linked');
  gitIn(repo, {}, 'worktree', 'add', '-q', '-b', 'l', linked);
  fs.mkdirSync(path.join(base, 'elsewhere'));
  fs.symlinkSync(path.join(base, 'elsewhere'), path.join(repo, 'out-link'));
  fs.symlinkSync(path.join(repo, 'sub'), path.join(repo, 'in-link'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('findRepository', () => {
  it('finds the top, git dir and common dir from a subdirectory', async () => {
    expect(await findRepository(path.join(repo, 'sub/deeper'))).toEqual({
      topLevel: repo,
      gitDir: path.join(repo, '.git'),
      commonDir: path.join(repo, '.git'),
      gitFile: false,
    });
  });

  it('follows a linked worktree’s .git file to the shared common dir', async () => {
    expect(await findRepository(linked)).toEqual({
      topLevel: linked,
      gitDir: path.join(repo, '.git', 'worktrees', 'linked'),
      commonDir: path.join(repo, '.git'),
      gitFile: true,
    });
  });

  it('answers null outside any repository', async () => {
    expect(await findRepository(path.join(base, 'elsewhere'))).toBeNull();
  });
});

describe('GitRepo.resolveFile', () => {
  const open = (cwd: string) => GitRepo.open(cwd, new GitRunner({ homeDir: base }), new RepoLocks());

  it('resolves relative to the directory git runs in and reports the path from the top', async () => {
    const r = await open(path.join(repo, 'sub'));
    expect(await r.resolveFile('deeper/f.txt')).toEqual({
      absolute: path.join(repo, 'sub/deeper/f.txt'),
      relative: 'deeper/f.txt',
      fromTop: 'sub/deeper/f.txt',
    });
    expect((await r.resolveFile('../top.txt')).fromTop).toBe('top.txt');
    expect((await r.resolveFile(path.join(repo, 'abs.txt'))).relative).toBe('../abs.txt');
  });

  it('refuses .. escapes, absolute paths elsewhere, the top itself, and symlinked directories leading out', async () => {
    const r = await open(repo);
    for (const input of ['../x', '/etc/passwd', '.', '', 'out-link/f.txt', `${base}/repo_evil/x`]) {
      await expect(r.resolveFile(input), input).rejects.toMatchObject({ status: 400, message: 'Invalid file path' });
    }
    expect((await r.resolveFile('.', { allowTop: true })).relative).toBe('.');
    expect((await r.resolveFile('in-link/f.txt')).fromTop).toBe('in-link/f.txt');
    expect((await r.resolveFile('out-link')).fromTop).toBe('out-link'); // the link itself is inside
  });
});

describe('RepoLocks', () => {
  it('runs work for one key strictly one after another, in order', async () => {
    const locks = new RepoLocks();
    const log: string[] = [];
    const step = (name: string, ms: number) =>
      locks.withLock('k', async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}-`);
      });
    await Promise.all([step('a', 30), step('b', 1), step('c', 10)]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });
});
