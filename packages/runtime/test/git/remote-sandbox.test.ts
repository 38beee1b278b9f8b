/**
 * `remote` of pull, push, fetch and remote branch deletion under `--root`: a configured remote, a
 * network URL and a repository inside the roots work; a local path or `file://` URL that leads
 * outside (directly, relatively, through a symlink, a `.git` file, `~` or an `insteadOf`
 * rewrite) and remote helpers are refused before git runs, with nothing read or written outside.
 * Before, pulling an outside repository made its files readable in the workspace and a push
 * wrote into it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/index.js';
import { gitIn, pinnedGitEnv } from '../../../../test/support/git-repos.js';

let base: string;
let home: string;
let root: string;
let work: string;
let outside: string;
let outsideTarget: string;
let secretCommit: string;
let runtime: Runtime;
let env: Record<string, string>;

const g = (cwd: string, ...args: string[]) => gitIn(cwd, env, ...args).trim();

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-remote-sandbox-')));
  home = path.join(base, 'home');
  root = path.join(base, 'root');
  fs.mkdirSync(home);
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(home, '.gitconfig'), '[user]\n\tname = T\n\temail = t@example.com\n');
  env = pinnedGitEnv(home);

  // Outside the root: a repository with a secret, and one a push must not write into.
  const secretWork = path.join(base, 'secret-work');
  fs.mkdirSync(secretWork);
  g(secretWork, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(secretWork, 'secret.txt'), 'secret\n');
  g(secretWork, 'add', '-A');
  g(secretWork, 'commit', '-q', '-m', 'secret');
  secretCommit = g(secretWork, 'rev-parse', 'HEAD');
  outside = path.join(base, 'outside', 'secret.git');
  g(base, 'clone', '-q', '--bare', secretWork, outside);
  outsideTarget = path.join(base, 'outside', 'target.git');
  g(base, 'init', '-q', '--bare', '-b', 'main', outsideTarget);

  // Inside the root: the workspace, cloned from a bare remote that is inside too.
  const inside = path.join(root, 'inside.git');
  g(base, 'init', '-q', '--bare', '-b', 'main', inside);
  work = path.join(root, 'work');
  g(root, 'clone', '-q', inside, work);
  fs.writeFileSync(path.join(work, 'a.txt'), 'a\n');
  g(work, 'add', '-A');
  g(work, 'commit', '-q', '-m', 'a');
  g(work, 'push', '-q', 'origin', 'main');
  // The owner's own configuration: a remote that happens to live outside, and a URL rewrite.
  g(work, 'remote', 'add', 'configured-outside', outside);
  g(work, 'config', `url.file://${path.dirname(outside)}/.insteadOf`, 'sneaky:');

  // Ways out planted inside the root: a symlink and a `.git` file pointing to the outside repository.
  fs.symlinkSync(outside, path.join(root, 'link.git'));
  fs.mkdirSync(path.join(root, 'gitfile'));
  fs.writeFileSync(path.join(root, 'gitfile', '.git'), `gitdir: ${outside}\n`);

  runtime = createRuntime({
    homeDir: home,
    dataDir: path.join(base, 'data'),
    cwd: root,
    env: {},
    sandbox: { mode: 'roots', roots: [root] },
    git: { env },
  });
});
afterAll(async () => {
  await runtime.close();
  fs.rmSync(base, { recursive: true, force: true });
});

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    (ok: unknown) => ({ ok }),
    (error: { status: number; message: string }) => ({ status: error.status, message: error.message }),
  );
const refused = (remote: string) => ({
  status: 403,
  message: `Remote not allowed: ${remote} (use a configured remote name, a network URL, or a path inside the allowed directories)`,
});
const hasObject = (repo: string, hash: string) => {
  try {
    g(repo, 'cat-file', '-e', hash);
    return true;
  } catch {
    return false;
  }
};

describe('remote under --root', () => {
  it('refuses every way to a repository outside the roots, and nothing leaves or enters it', async () => {
    const ways = [
      outside,
      `file://${outside}`,
      `file://localhost${outside}`,
      `file://${outside.replaceAll('/', '%2F')}`,
      path.relative(work, outside),
      path.join(root, 'link.git'),
      path.join(root, 'gitfile'),
      'sneaky:secret.git',
      `~/../outside/secret.git`,
      `ext::sh -c touch% ${path.join(base, 'pwned')}`,
      'fd::0',
      'testgit::/tmp/x',
    ];
    for (const remote of ways) {
      expect(await outcome(runtime.invoke('git_fetch', { directory: work, remote })), remote).toEqual(refused(remote));
      expect(await outcome(runtime.invoke('git_pull', { directory: work, remote, branch: 'main' })), remote).toEqual(
        refused(remote),
      );
    }
    expect(hasObject(work, secretCommit)).toBe(false);
    expect(fs.existsSync(path.join(work, 'secret.txt'))).toBe(false);

    for (const remote of [outsideTarget, `file://${outsideTarget}`]) {
      expect(await outcome(runtime.invoke('git_push', { directory: work, remote, branch: 'main' }))).toEqual(
        refused(remote),
      );
      expect(
        await outcome(runtime.invoke('delete_remote_branch', { directory: work, remote, branch: 'main' })),
      ).toEqual(refused(remote));
    }
    expect(g(outsideTarget, 'for-each-ref')).toBe('');
    expect(fs.existsSync(path.join(base, 'pwned'))).toBe(false);
  });

  it('allows configured remotes, repositories inside the roots and network URLs', async () => {
    expect(await outcome(runtime.invoke('git_fetch', { directory: work }))).toEqual({ ok: { success: true } });
    expect(await outcome(runtime.invoke('git_fetch', { directory: work, remote: 'origin' }))).toEqual({
      ok: { success: true },
    });
    // Relative to the repository, as git reads it, and as a file:// URL.
    for (const remote of ['../inside.git', `file://${path.join(root, 'inside.git')}`]) {
      expect(await outcome(runtime.invoke('git_fetch', { directory: work, remote })), remote).toEqual({
        ok: { success: true },
      });
    }
    // A remote the repository's owner configured is theirs to use, wherever it points.
    expect(await outcome(runtime.invoke('git_fetch', { directory: work, remote: 'configured-outside' }))).toEqual({
      ok: { success: true },
    });
    // The network is not the file system: git runs (and fails to connect), no 403.
    const network = await outcome(runtime.invoke('git_fetch', { directory: work, remote: 'http://127.0.0.1:1/x.git' }));
    expect(network).toMatchObject({ status: 500 });
  });
});

describe('remote in the open sandbox', () => {
  it('is passed to git as the reference did', async () => {
    const open = createRuntime({
      homeDir: home,
      dataDir: path.join(base, 'data-open'),
      cwd: root,
      env: {},
      git: { env },
    });
    try {
      const copy = path.join(base, 'open-copy');
      g(base, 'clone', '-q', path.join(root, 'inside.git'), copy);
      expect(await outcome(open.invoke('git_fetch', { directory: copy, remote: outside, branch: 'main' }))).toEqual({
        ok: { success: true },
      });
      expect(hasObject(copy, secretCommit)).toBe(true);
    } finally {
      await open.close();
    }
  });
});
