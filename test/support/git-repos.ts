/**
 * Real git repositories built by code, one set per call, byte-identical between calls: commit
 * dates, identities and config are pinned, so two copies (the parity suite's web side and IPC
 * side) have the same commit hashes and every answer compares equal after `relativize`.
 *
 * Layout under `root`:
 * - `remote.git`      bare remote of `main` (main, feature, topic pushed; `gone` deleted since)
 * - `main`            rich working tree: staged, unstaged, untracked, deleted, renamed files,
 *                     several branches, a stale remote-tracking branch, odd file names
 * - `empty`           `git init`, no commits, one untracked file
 * - `detached`        two commits, HEAD detached at the first
 * - `conflict`        a merge stopped on a conflict in `shared.txt`
 * - `wt` + `wt-linked` a repository with a linked worktree on branch `side`
 * - `up.git`, `pusher` a clone one commit behind its remote (someone else pushed) and one ahead
 * - `clash`           another clone of `up.git` whose own commit conflicts with the remote's
 * - `dirty`           local edits that a checkout of branch `other` would overwrite
 * - `switch-leave`, `switch-bring`, `switch-conflict` the same, for stash-and-switch
 * - `concurrent`      five untracked files for five concurrent commits
 * - `big`             (only with `bigFileBytes`) an untracked text file of that size
 * - `plain`           a directory that is not a repository
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Every commit, in fixtures and made by the runtime under test, carries this date. */
export const PINNED_DATE = '2025-01-02T03:04:05+00:00';

/** Environment that makes git deterministic and blind to the machine's configuration. */
export function pinnedGitEnv(home: string): Record<string, string> {
  return {
    GIT_AUTHOR_DATE: PINNED_DATE,
    GIT_COMMITTER_DATE: PINNED_DATE,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: path.join(home, '.gitconfig'),
    XDG_CONFIG_HOME: path.join(home, '.config'),
    HOME: home,
  };
}

export interface GitRepos {
  root: string;
  remote: string;
  main: string;
  empty: string;
  detached: string;
  conflict: string;
  wt: string;
  wtLinked: string;
  up: string;
  pusher: string;
  clash: string;
  dirty: string;
  switchLeave: string;
  switchBring: string;
  switchConflict: string;
  concurrent: string;
  big: string;
  plain: string;
  /** The HEAD commit of `main` (full hash) and of its first commit. */
  mainHead: string;
  mainFirst: string;
}

export function gitIn(cwd: string, env: Record<string, string>, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Lines `prefix 1` … `prefix n`, newline-terminated. */
export function lines(prefix: string, n: number): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}\n`).join('');
}

/**
 * Build every repository under `root`. `home` is the HOME git sees (its `.gitconfig` gets a
 * global identity, as a user's machine would have).
 */
export function buildGitRepos(root: string, home: string, options: { bigFileBytes?: number } = {}): GitRepos {
  const env = pinnedGitEnv(home);
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  write(
    path.join(home, '.gitconfig'),
    '[user]\n\tname = Global Person\n\temail = global@example.com\n[init]\n\tdefaultBranch = main\n',
  );
  const g = (cwd: string, ...args: string[]) => gitIn(cwd, env, ...args);
  const init = (dir: string) => {
    fs.mkdirSync(dir, { recursive: true });
    g(dir, 'init', '-q', '-b', 'main');
    g(dir, 'config', 'user.name', 'Fixture Author');
    g(dir, 'config', 'user.email', 'author@example.com');
  };
  const commitAll = (dir: string, message: string) => {
    g(dir, 'add', '-A');
    g(dir, 'commit', '-q', '-m', message);
  };
  const p = (...parts: string[]) => path.join(root, ...parts);
  /** A repository on main whose `file` reads `base`, plus `branch` where it reads `branchText`. */
  const withSideBranch = (dir: string, file: string, base: string, branch: string, branchText: string) => {
    init(dir);
    write(path.join(dir, file), `${base}\n`);
    commitAll(dir, base);
    g(dir, 'checkout', '-q', '-b', branch);
    write(path.join(dir, file), `${branchText}\n`);
    commitAll(dir, branchText);
    g(dir, 'checkout', '-q', 'main');
  };

  // -- main + remote.git ---------------------------------------------------------------------------
  const remote = p('remote.git');
  g(root, 'init', '-q', '--bare', '-b', 'main', remote);
  const main = p('main');
  init(main);
  write(path.join(main, 'a.txt'), lines('a', 3));
  write(path.join(main, 'b.txt'), lines('b', 2));
  write(path.join(main, 'del.txt'), 'to be deleted\n');
  write(path.join(main, 'ren-src.txt'), lines('rename me', 4));
  write(path.join(main, 'sub/d.txt'), lines('d', 2));
  write(path.join(main, 'README.md'), '# main\n');
  write(path.join(main, 'staged-del.txt'), 'staged deletion\n');
  commitAll(main, 'initial');
  const mainFirst = g(main, 'rev-parse', 'HEAD').trim();
  write(path.join(main, 'b.txt'), lines('b', 3));
  g(main, 'add', '-A');
  g(main, 'commit', '-q', '-m', 'second: grow b', '-m', 'The body explains why.');
  g(main, 'remote', 'add', 'origin', remote);
  g(main, 'push', '-q', '-u', 'origin', 'main');
  g(main, 'branch', 'feature');
  g(main, 'branch', 'topic');
  g(main, 'branch', 'gone');
  g(main, 'push', '-q', 'origin', 'feature', 'gone');
  // `gone` disappears on the remote, its remote-tracking ref stays behind: a stale remote branch.
  g(remote, 'branch', '-D', 'gone');
  g(main, 'checkout', '-q', 'feature');
  write(path.join(main, 'feature.txt'), 'feature work\n');
  commitAll(main, 'feature work');
  g(main, 'checkout', '-q', 'main');
  const mainHead = g(main, 'rev-parse', 'HEAD').trim();
  // Working-tree state: every kind of change the status view shows.
  write(path.join(main, 'a.txt'), lines('a', 3).replace('a 2\n', 'a two\na 2b\n')); // unstaged M
  write(path.join(main, 'b.txt'), lines('b', 4));
  g(main, 'add', 'b.txt'); // staged M
  fs.rmSync(path.join(main, 'del.txt')); // unstaged D
  g(main, 'mv', 'ren-src.txt', 'ren-dst.txt'); // staged R
  write(path.join(main, 'staged-new.txt'), lines('staged', 2));
  g(main, 'add', 'staged-new.txt'); // staged A
  g(main, 'rm', '-q', 'staged-del.txt'); // staged D
  write(path.join(main, 'new.txt'), lines('new', 3)); // untracked, 3 lines
  write(path.join(main, 'with space.txt'), 'spaced\n');
  write(path.join(main, 'ünï cødé.txt'), 'unicode\n');
  write(path.join(main, 'new\nline.txt'), 'newline in name\n');
  write(path.join(main, 'quote"s.txt'), 'no newline at end');
  write(path.join(main, 'sub/deep/untracked.txt'), lines('deep', 2));
  write(path.join(main, 'binary.bin'), 'bin\0ary');

  // -- empty, detached, plain ----------------------------------------------------------------------
  const empty = p('empty');
  init(empty);
  write(path.join(empty, 'first.txt'), lines('first', 2));
  const detached = p('detached');
  init(detached);
  write(path.join(detached, 'x.txt'), 'one\n');
  commitAll(detached, 'one');
  write(path.join(detached, 'x.txt'), 'two\n');
  commitAll(detached, 'two');
  g(detached, 'checkout', '-q', '--detach', 'HEAD~1');
  write(path.join(detached, 'on-detached.txt'), 'committed on a detached HEAD\n');
  const dirty = p('dirty');
  withSideBranch(dirty, 'x.txt', 'one', 'other', 'two');
  write(path.join(dirty, 'x.txt'), 'local edit\n');
  // Checkouts that local changes block, for checkout_branch_with_changes: leave them, bring them
  // (they merge cleanly: other changes line 1, the local edit line 5), bring them into a conflict.
  const switchLeave = p('switch-leave');
  withSideBranch(switchLeave, 'x.txt', 'one', 'other', 'two');
  write(path.join(switchLeave, 'x.txt'), 'local edit\n');
  write(path.join(switchLeave, 'new.txt'), 'untracked\n');
  const switchBring = p('switch-bring');
  withSideBranch(switchBring, 'x.txt', 'a\nb\nc\nd\ne', 'other', 'A\nb\nc\nd\ne');
  write(path.join(switchBring, 'x.txt'), 'a\nb\nc\nd\nE\n');
  const switchConflict = p('switch-conflict');
  withSideBranch(switchConflict, 'x.txt', 'one', 'other', 'two');
  write(path.join(switchConflict, 'x.txt'), 'local edit\n');
  const concurrent = p('concurrent');
  init(concurrent);
  write(path.join(concurrent, 'base.txt'), 'base\n');
  commitAll(concurrent, 'base');
  for (let i = 1; i <= 5; i++) write(path.join(concurrent, `c${i}.txt`), `concurrent ${i}\n`);
  const big = p('big');
  init(big);
  if (options.bigFileBytes) {
    const line = `${'x'.repeat(99)}\n`;
    fs.writeFileSync(path.join(big, 'big.txt'), line.repeat(Math.ceil(options.bigFileBytes / line.length)));
  }
  const plain = p('plain');
  write(path.join(plain, 'file.txt'), 'not in a repository\n');

  // -- conflict ------------------------------------------------------------------------------------
  const conflict = p('conflict');
  withSideBranch(conflict, 'shared.txt', 'base', 'theirs', 'theirs');
  write(path.join(conflict, 'shared.txt'), 'ours\n');
  commitAll(conflict, 'ours');
  try {
    g(conflict, 'merge', '-q', 'theirs');
  } catch {
    // the conflict is the point
  }

  // -- worktrees -----------------------------------------------------------------------------------
  const wt = p('wt');
  init(wt);
  write(path.join(wt, 'w.txt'), 'w\n');
  commitAll(wt, 'w');
  const wtLinked = p('wt-linked');
  g(wt, 'worktree', 'add', '-q', '-b', 'side', wtLinked);
  fs.mkdirSync(path.join(wt, 'src/inner'), { recursive: true });
  write(path.join(wtLinked, 'untracked-in-linked.txt'), 'keeps the linked worktree dirty\n');

  // -- up.git + pusher: diverged from its remote ---------------------------------------------------
  const up = p('up.git');
  g(root, 'init', '-q', '--bare', '-b', 'main', up);
  const seed = p('seed');
  init(seed);
  write(path.join(seed, 'shared.txt'), lines('shared', 3));
  commitAll(seed, 'seed');
  g(seed, 'remote', 'add', 'origin', up);
  g(seed, 'push', '-q', 'origin', 'main');
  const pusher = p('pusher');
  g(root, 'clone', '-q', up, pusher);
  g(pusher, 'config', 'user.name', 'Fixture Author');
  g(pusher, 'config', 'user.email', 'author@example.com');
  g(pusher, 'remote', 'add', 'nowhere', p('no-such-remote.git'));
  const clash = p('clash');
  g(root, 'clone', '-q', up, clash);
  g(clash, 'config', 'user.name', 'Fixture Author');
  g(clash, 'config', 'user.email', 'author@example.com');
  // Someone else pushes; pusher and clash have not fetched yet and commit on their own.
  write(path.join(seed, 'theirs.txt'), lines('theirs', 2));
  write(path.join(seed, 'shared.txt'), lines('shared', 3).replace('shared 1', 'shared one (theirs)'));
  commitAll(seed, 'their change');
  g(seed, 'push', '-q', 'origin', 'main');
  write(path.join(pusher, 'mine.txt'), lines('mine', 2));
  commitAll(pusher, 'my change');
  write(path.join(clash, 'shared.txt'), lines('shared', 3).replace('shared 1', 'shared one (mine)'));
  commitAll(clash, 'clashing change');
  fs.rmSync(seed, { recursive: true, force: true });

  return {
    root,
    remote,
    main,
    empty,
    detached,
    conflict,
    wt,
    wtLinked,
    up,
    pusher,
    clash,
    dirty,
    switchLeave,
    switchBring,
    switchConflict,
    concurrent,
    big,
    plain,
    mainHead,
    mainFirst,
  };
}
