/**
 * `createRuntimeAPIs(transport).git` on both transports against real repositories: the UI-facing
 * `GitAPI` answers the same shapes on web and desktop, `git://progress` reaches subscribers of
 * either transport during a push, and `git://worktrees` keeps `RuntimeAPIs.worktrees` fresh.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitProgressEvent, GitWorktreesEvent } from '@chamber/contract';
import { createRuntimeAPIs, type ChamberRuntimeAPIs } from '@chamber/client';
import { buildGitRepos, pinnedGitEnv, type GitRepos } from './support/git-repos.js';
import { makeTempDir } from './support/fixtures.js';
import { startIpc, startWeb, type RunningTransport } from './support/transports.js';

/** Poll a condition every 10 ms for at most 5 s. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= 5_000) throw new Error('condition not met within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(['web', 'ipc'] as const)('GitAPI over the %s transport', (label) => {
  let base: string;
  let repos: GitRepos;
  let running: RunningTransport;
  let apis: ChamberRuntimeAPIs;

  beforeAll(async () => {
    base = makeTempDir(`chamber-git-client-${label}-`);
    const home = path.join(base, 'home');
    repos = buildGitRepos(path.join(base, 'git'), home);
    const options = { homeDir: home, dataDir: path.join(base, 'data'), cwd: base, git: { env: pinnedGitEnv(home) } };
    running = label === 'web' ? await startWeb(options) : await startIpc(options);
    apis = createRuntimeAPIs(running.transport);
  });

  afterAll(async () => {
    await running.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('unwraps the wire answers into the GitAPI shapes', async () => {
    expect(await apis.git.checkIsGitRepository(repos.main)).toBe(true);
    expect(await apis.git.checkIsGitRepository(repos.plain)).toBe(false);
    expect(await apis.git.isLinkedWorktree(repos.wtLinked)).toBe(true);
    const status = await apis.git.getGitStatus(repos.main);
    expect(status.files.find((f) => f.path === 'a.txt')).toEqual({ path: 'a.txt', index: ' ', working_dir: 'M' });
    expect((await apis.git.getGitDiff(repos.main, { path: 'b.txt', staged: true })).diff).toContain('+b 4');
    expect(await apis.git.getGitFileDiff(repos.main, { path: 'del.txt' })).toEqual({
      original: 'to be deleted\n',
      modified: '',
      path: 'del.txt',
    });
    expect((await apis.git.getGitLog(repos.main, { maxCount: 1 })).latest?.author_name).toBe('Fixture Author');
    expect(await apis.git.createBranch(repos.detached, 'from-detached')).toEqual({
      success: true,
      branch: 'from-detached',
    });
    expect(await apis.git.checkoutBranch(repos.detached, 'main')).toEqual({ success: true, branch: 'main' });
    expect(await apis.git.deleteGitBranch(repos.detached, { branch: 'from-detached' })).toEqual({ success: true });
  });

  it('rejects with the runtime’s exact message and status', async () => {
    await expect(apis.git.getGitStatus(repos.plain)).rejects.toMatchObject({
      message: 'fatal: not a git repository (or any of the parent directories): .git\n',
      status: 500,
    });
    await expect(apis.git.revertGitFile(repos.main, '../plain/file.txt')).rejects.toMatchObject({
      message: 'Invalid file path',
      status: 400,
    });
    await expect(apis.git.generateCommitMessage(repos.main, [])).rejects.toThrow('At least one file is required');
  });

  it('answers no identity for an empty directory without asking the runtime', async () => {
    expect(await apis.git.getCurrentGitIdentity('')).toBeNull();
    expect(await apis.git.getGlobalGitIdentity()).toEqual({
      userName: 'Global Person',
      userEmail: 'global@example.com',
      sshCommand: null,
    });
  });

  it('round-trips identities', async () => {
    const created = await apis.git.createGitIdentity({
      id: 'p1',
      name: '',
      userName: 'P One',
      userEmail: 'p@example.com',
    });
    expect(created).toMatchObject({ id: 'p1', name: 'P One', color: 'keyword', icon: 'branch', sshKey: null });
    expect(await apis.git.updateGitIdentity('p1', { ...created, color: 'string' })).toMatchObject({ color: 'string' });
    expect(await apis.git.setGitIdentity(repos.main, 'p1')).toMatchObject({ success: true, profile: { id: 'p1' } });
    expect(await apis.git.getCurrentGitIdentity(repos.main)).toMatchObject({ userName: 'P One' });
    await apis.git.deleteGitIdentity('p1');
    expect(await apis.git.getGitIdentities()).toEqual([]);
  });

  it('delivers git://progress while a push runs, then the push result', async () => {
    const events: GitProgressEvent[] = [];
    const stop = await apis.git.onProgress((event) => events.push(event), { directory: repos.main });
    try {
      const result = await apis.git.gitPush(repos.main, { remote: 'origin', branch: 'feature' });
      expect(result.pushed).toEqual([expect.objectContaining({ local: 'refs/heads/feature', new: false })]);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.operation === 'push' && e.directory === repos.main)).toBe(true);
      const writing = events.filter((e) => e.phase === 'Writing objects');
      expect(writing.at(-1)).toMatchObject({ percent: 100, done: true, remote: false });
    } finally {
      stop();
    }
  });

  it('keeps RuntimeAPIs.worktrees fresh from listings and git://worktrees events', async () => {
    await apis.git.listGitWorktrees(repos.wt);
    expect(apis.worktrees).toEqual([
      { path: repos.wtLinked, projectDirectory: repos.wt, branch: 'side', label: 'side' },
    ]);
    const events: GitWorktreesEvent[] = [];
    const stop = await apis.git.watchWorktrees((event) => events.push(event));
    try {
      const target = path.join(repos.wt, '.openchamber', 'feature-b');
      await apis.git.addGitWorktree(repos.wt, { path: target, branch: 'feature-b', createBranch: true });
      // Over HTTP the event rides the SSE stream, which may arrive after the command's answer.
      await waitFor(() => events.length === 1);
      expect(events[0]?.worktrees.map((w) => w.branch).sort()).toEqual(['feature-b', 'side']);
      expect(apis.worktrees.find((w) => w.branch === 'feature-b')).toEqual({
        path: target,
        projectDirectory: repos.wt,
        branch: 'feature-b',
        label: 'feature-b',
        relativePath: '.openchamber/feature-b',
      });
      await apis.git.removeGitWorktree(repos.wt, { path: target });
      await waitFor(() => events.length === 2);
      expect(apis.worktrees.map((w) => w.branch)).toEqual(['side']);
    } finally {
      stop();
    }
  });
});
