/** Parity cases of the git working-tree views: check, status, diff, file-diff, worktree type. */
import type { GitFileDiffResponse, GitStatus } from '@chamber/contract';
import { expect } from 'vitest';
import { OUTSIDE, deniedWhenRestricted, expectError, ok, type Outcome, type ParityCase } from './case.js';
import {
  BIG,
  CONFLICT,
  DETACHED,
  DIRECTORY_REQUIRED,
  EMPTY,
  GIT,
  MAIN,
  MISSING,
  MISSING_DIR,
  NOT_A_REPO,
  PLAIN,
  WT,
  WT_LINKED,
} from './git-paths.js';

const diffOf = (o: Outcome) => ok<{ diff: string }>(o).diff;
const INVALID_PATH = expectError(400, 'Invalid file path');

export const gitInspectCases: ParityCase[] = [
  // -- check_is_git_repository ------------------------------------------------------------------
  ...(
    [
      ['a repository', MAIN, true],
      ['a linked worktree (.git is a file)', WT_LINKED, true],
      ['a plain directory', PLAIN, false],
      ['a subdirectory of a repository (as the reference: only <dir>/.git counts)', `${MAIN}/sub`, false],
      ['a missing directory (false, not an error)', MISSING_DIR, false],
    ] as const
  ).map(([what, directory, isGitRepository]): ParityCase => ({
    name: `check_is_git_repository of ${what}`,
    command: 'check_is_git_repository',
    args: { directory },
    expect: (o) => expect(ok(o)).toEqual({ isGitRepository }),
  })),
  {
    name: 'check_is_git_repository requires a directory',
    command: 'check_is_git_repository',
    args: { directory: '' },
    expect: expectError(400, DIRECTORY_REQUIRED),
  },
  {
    name: 'check_is_git_repository rejects NUL bytes',
    command: 'check_is_git_repository',
    args: { directory: `${MAIN}\0x` },
    expect: expectError(400, 'directory must not contain NUL bytes'),
  },
  {
    name: 'check_is_git_repository outside the sandbox is denied',
    command: 'check_is_git_repository',
    args: { directory: OUTSIDE },
    expect: deniedWhenRestricted((o) => expect(ok(o)).toEqual({ isGitRepository: false })),
  },

  // -- get_git_status -----------------------------------------------------------------------------
  {
    name: 'get_git_status lists staged, unstaged, untracked, deleted and renamed files with raw names',
    command: 'get_git_status',
    args: { directory: MAIN },
    expect: (o) => {
      const status = ok<GitStatus>(o);
      expect(status).toMatchObject({ current: 'main', tracking: 'origin/main', ahead: 0, behind: 0, isClean: false });
      expect(status.files).toEqual([
        { path: 'a.txt', index: ' ', working_dir: 'M' },
        { path: 'b.txt', index: 'M', working_dir: ' ' },
        { path: 'del.txt', index: ' ', working_dir: 'D' },
        { path: 'ren-dst.txt', index: 'R', working_dir: ' ' },
        { path: 'staged-del.txt', index: 'D', working_dir: ' ' },
        { path: 'staged-new.txt', index: 'A', working_dir: ' ' },
        { path: 'binary.bin', index: '?', working_dir: '?' },
        { path: 'new\nline.txt', index: '?', working_dir: '?' },
        { path: 'new.txt', index: '?', working_dir: '?' },
        { path: 'quote"s.txt', index: '?', working_dir: '?' },
        { path: 'sub/deep/untracked.txt', index: '?', working_dir: '?' },
        { path: 'with space.txt', index: '?', working_dir: '?' },
        { path: 'ünï cødé.txt', index: '?', working_dir: '?' },
      ]);
      expect(status.diffStats).toEqual({
        'a.txt': { insertions: 2, deletions: 1 },
        'b.txt': { insertions: 1, deletions: 0 },
        'del.txt': { insertions: 0, deletions: 1 },
        'ren-dst.txt': { insertions: 0, deletions: 0 },
        'staged-del.txt': { insertions: 0, deletions: 1 },
        'staged-new.txt': { insertions: 2, deletions: 0 },
        'binary.bin': { insertions: 0, deletions: 0 },
        'new\nline.txt': { insertions: 1, deletions: 0 },
        'new.txt': { insertions: 3, deletions: 0 },
        'quote"s.txt': { insertions: 1, deletions: 0 },
        'sub/deep/untracked.txt': { insertions: 2, deletions: 0 },
        'with space.txt': { insertions: 1, deletions: 0 },
        'ünï cødé.txt': { insertions: 1, deletions: 0 },
      });
    },
  },
  {
    name: 'get_git_status of a repository with no commits names the unborn branch',
    command: 'get_git_status',
    args: { directory: EMPTY },
    expect: (o) =>
      expect(ok(o)).toEqual({
        current: 'main',
        tracking: null,
        ahead: 0,
        behind: 0,
        files: [{ path: 'first.txt', index: '?', working_dir: '?' }],
        isClean: false,
        diffStats: { 'first.txt': { insertions: 2, deletions: 0 } },
      }),
  },
  {
    name: "get_git_status on a detached HEAD answers current 'HEAD'",
    command: 'get_git_status',
    args: { directory: DETACHED },
    expect: (o) =>
      expect(ok<GitStatus>(o)).toMatchObject({
        current: 'HEAD',
        tracking: null,
        files: [{ path: 'on-detached.txt', index: '?', working_dir: '?' }],
      }),
  },
  {
    name: 'get_git_status shows a merge conflict as U/U',
    command: 'get_git_status',
    args: { directory: CONFLICT },
    expect: (o) => expect(ok<GitStatus>(o).files).toEqual([{ path: 'shared.txt', index: 'U', working_dir: 'U' }]),
  },
  {
    name: 'get_git_status outside a repository passes git’s message through',
    command: 'get_git_status',
    args: { directory: PLAIN },
    expect: expectError(500, NOT_A_REPO),
  },
  {
    name: 'get_git_status of a missing directory is the reference 500',
    command: 'get_git_status',
    args: { directory: MISSING_DIR },
    expect: expectError(500, MISSING),
  },
  {
    name: 'get_git_status of a file is treated as a missing directory',
    command: 'get_git_status',
    args: { directory: `${PLAIN}/file.txt` },
    expect: expectError(500, MISSING),
  },
  {
    name: 'get_git_status requires a directory (blank counts as missing)',
    command: 'get_git_status',
    args: { directory: '   ' },
    expect: expectError(400, DIRECTORY_REQUIRED),
  },
  {
    name: 'get_git_status through a .. escape is denied when sandboxed',
    command: 'get_git_status',
    args: { directory: `${GIT}/../../outside` },
    expect: deniedWhenRestricted(expectError(500, NOT_A_REPO)),
  },

  // -- get_git_diff -------------------------------------------------------------------------------
  {
    name: 'get_git_diff answers the unstaged diff of a modified file',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'a.txt' },
    expect: (o) =>
      expect(diffOf(o)).toMatch(
        /^diff --git a\/a.txt b\/a.txt\n[\s\S]*@@ -1,3 \+1,4 @@\n a 1\n-a 2\n\+a two\n\+a 2b\n a 3\n$/,
      ),
  },
  {
    name: 'get_git_diff honours contextLines (0 = no context)',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'a.txt', contextLines: 0 },
    expect: (o) => {
      expect(diffOf(o)).toContain('@@ -2 +2,2 @@');
      expect(diffOf(o)).not.toMatch(/^ a 1$/m);
    },
  },
  {
    name: 'get_git_diff clamps a negative contextLines to 0',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'a.txt', contextLines: -5 },
    expect: (o) => expect(diffOf(o)).toContain('@@ -2 +2,2 @@'),
  },
  {
    name: 'get_git_diff of a fully staged file is empty unless staged is asked for',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'b.txt' },
    expect: (o) => expect(diffOf(o)).toBe(''),
  },
  {
    name: 'get_git_diff staged answers the index diff',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'b.txt', staged: true },
    expect: (o) => expect(diffOf(o)).toContain('+b 4\n'),
  },
  {
    name: 'get_git_diff of an untracked file shows it added against /dev/null',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'new.txt' },
    expect: (o) =>
      expect(diffOf(o)).toMatch(/new file mode 100644[\s\S]*--- \/dev\/null\n\+\+\+ b\/new.txt\n@@ -0,0 \+1,3 @@/),
  },
  {
    name: 'get_git_diff of an untracked file with a space and of a unicode name',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'ünï cødé.txt' },
    expect: (o) => expect(diffOf(o)).toContain('+unicode\n'),
  },
  {
    name: 'get_git_diff of an untracked binary file says so',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'binary.bin' },
    expect: (o) => expect(diffOf(o)).toContain('Binary files /dev/null and b/binary.bin differ'),
  },
  {
    name: 'get_git_diff of an unstaged deletion',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'del.txt' },
    expect: (o) => expect(diffOf(o)).toContain('deleted file mode'),
  },
  {
    name: 'get_git_diff of a staged deletion asked unstaged answers the staged diff (the reference: 500)',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'staged-del.txt' },
    expect: (o) => expect(diffOf(o)).toContain('-staged deletion\n'),
  },
  {
    name: 'get_git_diff of a file that exists nowhere is empty',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'nope.txt' },
    expect: (o) => expect(diffOf(o)).toBe(''),
  },
  {
    name: 'get_git_diff refuses a path that climbs out of the repository',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: '../plain/file.txt' },
    expect: INVALID_PATH,
  },
  {
    name: 'get_git_diff refuses an absolute path outside the repository',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: `${PLAIN}/file.txt` },
    expect: INVALID_PATH,
  },
  {
    name: 'get_git_diff reads a path that starts with a dash as a path',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: '--output=/tmp/chamber-pwned' },
    expect: (o) => expect(diffOf(o)).toBe(''),
  },
  {
    name: 'get_git_diff requires a path',
    command: 'get_git_diff',
    args: { directory: MAIN },
    expect: expectError(400, 'path parameter is required'),
  },
  {
    name: 'get_git_diff rejects NUL bytes in the path',
    command: 'get_git_diff',
    args: { directory: MAIN, pathStr: 'a\0.txt' },
    expect: expectError(400, 'pathStr must not contain NUL bytes'),
  },
  {
    name: 'get_git_diff of a 50 MB file is bounded and says it was truncated',
    command: 'get_git_diff',
    args: { directory: BIG, pathStr: 'big.txt' },
    modes: ['open'],
    expect: (o) => {
      const diff = diffOf(o);
      expect(diff.length).toBeLessThanOrEqual(4 * 1024 * 1024 + 200);
      expect(diff.startsWith('diff --git a/big.txt b/big.txt\n')).toBe(true);
      expect(diff.endsWith('\\ Output truncated by Chamber: only the first 4194304 bytes are shown\n')).toBe(true);
    },
  },

  // -- get_git_file_diff --------------------------------------------------------------------------
  {
    name: 'get_git_file_diff answers the HEAD text and the working-tree text',
    command: 'get_git_file_diff',
    args: { directory: MAIN, pathStr: 'a.txt' },
    expect: (o) =>
      expect(ok(o)).toEqual({ original: 'a 1\na 2\na 3\n', modified: 'a 1\na two\na 2b\na 3\n', path: 'a.txt' }),
  },
  {
    name: 'get_git_file_diff of a new file has no original; of a deleted file no modified',
    command: 'get_git_file_diff',
    args: { directory: MAIN, pathStr: 'del.txt' },
    expect: (o) =>
      expect(ok<GitFileDiffResponse>(o)).toEqual({ original: 'to be deleted\n', modified: '', path: 'del.txt' }),
  },
  {
    name: 'get_git_file_diff in a repository without commits',
    command: 'get_git_file_diff',
    args: { directory: EMPTY, pathStr: 'first.txt' },
    expect: (o) => expect(ok(o)).toEqual({ original: '', modified: 'first 1\nfirst 2\n', path: 'first.txt' }),
  },
  {
    name: 'get_git_file_diff refuses traversal',
    command: 'get_git_file_diff',
    args: { directory: MAIN, pathStr: '../../../outside/secret.txt' },
    expect: INVALID_PATH,
  },
  {
    name: 'get_git_file_diff requires a path',
    command: 'get_git_file_diff',
    args: { directory: MAIN, pathStr: '' },
    expect: expectError(400, 'path parameter is required'),
  },

  // -- is_linked_worktree -------------------------------------------------------------------------
  ...(
    [
      ['the main worktree', WT, false],
      ['a subdirectory of the main worktree (the reference said true)', `${WT}/src/inner`, false],
      ['a linked worktree', WT_LINKED, true],
      ['a plain directory', PLAIN, false],
    ] as const
  ).map(([what, directory, linked]): ParityCase => ({
    name: `is_linked_worktree of ${what}`,
    command: 'is_linked_worktree',
    args: { directory },
    expect: (o) => expect(ok(o)).toEqual({ linked }),
  })),
  {
    name: 'is_linked_worktree of a missing directory is the reference 500',
    command: 'is_linked_worktree',
    args: { directory: MISSING_DIR },
    expect: expectError(500, MISSING),
  },
];
