import type { GitProgressEvent, GitStatus } from '@chamber/contract';
import { describe, expect, it } from 'vitest';
import {
  branchItems,
  branchSlug,
  changeEntries,
  commitMessageText,
  filterBranches,
  progressText,
  refLabels,
  shortRef,
} from '../src/git/git-model.js';
import { nextIndex } from '../src/git/list-keys.js';

const status: GitStatus = {
  current: 'main',
  tracking: 'origin/main',
  ahead: 1,
  behind: 0,
  isClean: false,
  files: [
    { path: 'a.txt', index: ' ', working_dir: 'M' },
    { path: 'staged.txt', index: 'A', working_dir: ' ' },
    { path: 'new.txt', index: '?', working_dir: '?' },
    { path: 'both.txt', index: 'U', working_dir: 'U' },
    { path: 'gone.txt', index: 'D', working_dir: ' ' },
  ],
  diffStats: { 'a.txt': { insertions: 2, deletions: 1 }, 'new.txt': { insertions: 3, deletions: 0 } },
};

describe('changes from a status', () => {
  it('gives each file its letter, its stats (0 when git has none) and which diff to show', () => {
    expect(changeEntries(status).map((e) => [e.path, e.letter, e.insertions, e.deletions, e.staged])).toEqual([
      ['a.txt', 'M', 2, 1, false],
      ['staged.txt', 'A', 0, 0, true],
      ['new.txt', 'U', 3, 0, false],
      ['both.txt', '!', 0, 0, false],
      ['gone.txt', 'D', 0, 0, true],
    ]);
  });

  it('keeps the status letters as git printed them', () => {
    expect(changeEntries(status)[0]).toMatchObject({ index: ' ', workingDir: 'M' });
  });
});

describe('branches', () => {
  const branches = {
    all: ['main', 'topic', 'remotes/origin/HEAD', 'remotes/origin/main', 'remotes/origin/feat/x'],
    current: 'main',
    branches: {
      main: { current: true, linkedWorkTree: false, name: 'main', commit: 'abc1234', label: 'Initial' },
      topic: { current: false, linkedWorkTree: true, name: 'topic', commit: 'def5678', label: 'Work' },
      'remotes/origin/feat/x': {
        current: false,
        linkedWorkTree: false,
        name: 'remotes/origin/feat/x',
        commit: '0000111',
        label: 'Feat',
      },
    },
  };

  it('splits local and remote branches, drops origin/HEAD and names the remote branch', () => {
    const { local, remote } = branchItems(branches);
    expect(local.map((b) => [b.label, b.current, b.elsewhere])).toEqual([
      ['main', true, false],
      ['topic', false, true],
    ]);
    expect(remote.map((b) => [b.label, b.remote, b.remoteBranch, b.subject])).toEqual([
      ['origin/main', 'origin', 'main', ''],
      ['origin/feat/x', 'origin', 'feat/x', 'Feat'],
    ]);
  });

  it('filters by a case-insensitive substring', () => {
    const { remote } = branchItems(branches);
    expect(filterBranches(remote, 'FEAT').map((b) => b.label)).toEqual(['origin/feat/x']);
    expect(filterBranches(remote, '  ')).toHaveLength(2);
  });
});

describe('text helpers', () => {
  const event: GitProgressEvent = {
    operation: 'push',
    directory: '/r',
    phase: 'Writing objects',
    remote: false,
    percent: 60,
    current: 3,
    total: 5,
    done: false,
    line: 'Writing objects:  60% (3/5)',
  };

  it('progress: phase, percent and counts; remote phases say so; finished phases say done', () => {
    expect(progressText(event)).toBe('Writing objects 60% (3/5)');
    expect(progressText({ ...event, remote: true, phase: 'Resolving deltas', percent: null, total: null })).toBe(
      'remote: Resolving deltas 3',
    );
    expect(progressText({ ...event, done: true })).toBe('Writing objects, done');
  });

  it('the AI message: subject, a blank line, one bullet per highlight', () => {
    expect(commitMessageText({ subject: ' fix: a ', highlights: ['one', ' ', 'two'] })).toBe('fix: a\n\n- one\n- two');
    expect(commitMessageText({ subject: 'only', highlights: [] })).toBe('only');
  });

  it('worktree folder names, short refs and log decorations', () => {
    expect(branchSlug(' feat/new thing ')).toBe('feat-new-thing');
    expect(branchSlug('///')).toBe('worktree');
    expect(shortRef('refs/heads/side')).toBe('side');
    expect(shortRef(undefined)).toBeNull();
    expect(refLabels('HEAD -> main, origin/main, tag: v1')).toEqual(['main', 'origin/main', 'v1']);
    expect(refLabels('')).toEqual([]);
  });

  it('list keys: arrows stop at the ends, Home/End jump, nothing happens in an empty list', () => {
    expect(nextIndex('ArrowDown', -1, 3)).toBe(0);
    expect(nextIndex('ArrowDown', 2, 3)).toBe(2);
    expect(nextIndex('ArrowUp', -1, 3)).toBe(2);
    expect(nextIndex('ArrowUp', 0, 3)).toBe(0);
    expect(nextIndex('End', 0, 3)).toBe(2);
    expect(nextIndex('PageDown', 0, 30)).toBe(10);
    expect(nextIndex('ArrowDown', 0, 0)).toBeNull();
    expect(nextIndex('x', 0, 3)).toBeNull();
  });
});
