/** Parity cases of the files commands: home, list, search, mkdir, with good and hostile input. */
import type { FsListResponse, FsSearchResponse } from '@chamber/contract';
import { expect } from 'vitest';
import { HOME, OUTSIDE, REPO, WORK, deniedWhenRestricted, expectError, ok, type ParityCase } from './case.js';

function entry(list: FsListResponse, name: string) {
  const found = list.entries.find((e) => e.name === name);
  expect(found, `entry ${name}`).toBeDefined();
  return found!;
}

function paths(result: FsSearchResponse): string[] {
  return result.files.map((f) => f.relativePath);
}

export const fileCases: ParityCase[] = [
  // -- get_home_directory -----------------------------------------------------------------------
  {
    name: 'get_home_directory answers the runtime home',
    command: 'get_home_directory',
    args: {},
    expect: (o) => expect(ok(o)).toEqual({ home: HOME }),
  },
  {
    name: 'get_home_directory ignores unknown arguments',
    command: 'get_home_directory',
    args: { bogus: 1 },
    expect: (o) => expect(ok(o)).toEqual({ home: HOME }),
  },

  // -- list_directory ---------------------------------------------------------------------------
  {
    name: 'list_directory lists every entry with the superset shape',
    command: 'list_directory',
    args: { path: WORK },
    expect: (o) => {
      const list = ok<FsListResponse>(o);
      expect(list.directory).toBe(WORK);
      expect(list.path).toBe(WORK);
      expect(list.entries.map((e) => e.name)).toEqual([...list.entries.map((e) => e.name)].sort());
      expect(entry(list, '.hidden')).toMatchObject({ isDirectory: true, isFile: false, isSymbolicLink: false });
      expect(entry(list, 'notes.txt')).toEqual({
        name: 'notes.txt',
        path: `${WORK}/notes.txt`,
        isDirectory: false,
        isFile: true,
        isSymbolicLink: false,
        size: 12,
        modifiedTime: Date.parse('2025-01-02T03:04:05.000Z'),
      });
      expect(entry(list, 'link-to-src')).toMatchObject({ isDirectory: true, isFile: false, isSymbolicLink: true });
      expect(entry(list, 'broken-link')).toMatchObject({
        isDirectory: false,
        isFile: false,
        isSymbolicLink: true,
        size: null,
        modifiedTime: null,
      });
    },
  },
  {
    name: 'list_directory with a blank path lists home (open) or the workspace root (sandboxed)',
    command: 'list_directory',
    args: { path: '   ' },
    expect: (o, mode) => expect(ok<FsListResponse>(o).path).toBe(mode === 'open' ? HOME : WORK),
  },
  {
    name: 'list_directory resolves a relative path against the cwd or the workspace root',
    command: 'list_directory',
    args: { path: 'src' },
    expect: (o) => expect(ok<FsListResponse>(o).entries.map((e) => e.name)).toEqual(['index.ts', 'util']),
  },
  {
    name: 'list_directory trims the path and drops a trailing slash',
    command: 'list_directory',
    args: { path: `  ${WORK}/src/  ` },
    expect: (o) => expect(ok<FsListResponse>(o).path).toBe(`${WORK}/src`),
  },
  {
    name: 'list_directory follows a symlink that stays inside the root',
    command: 'list_directory',
    args: { path: `${WORK}/link-to-src` },
    expect: (o) => expect(ok<FsListResponse>(o).path).toBe(`${WORK}/link-to-src`),
  },
  {
    name: 'list_directory rejects a path outside the roots',
    command: 'list_directory',
    args: { path: OUTSIDE },
    expect: deniedWhenRestricted((o) =>
      expect(ok<FsListResponse>(o).entries.map((e) => e.name)).toEqual(['secret.txt']),
    ),
  },
  {
    name: 'list_directory rejects a symlink that escapes the root',
    command: 'list_directory',
    args: { path: `${WORK}/link-out` },
    expect: deniedWhenRestricted((o) => expect(ok<FsListResponse>(o).entries).toHaveLength(1)),
  },
  {
    name: 'list_directory rejects a sibling that merely shares the root prefix (/work_evil)',
    command: 'list_directory',
    args: { path: `${HOME}/work_evil` },
    expect: deniedWhenRestricted((o) => expect(ok<FsListResponse>(o).entries).toHaveLength(1)),
  },
  {
    name: 'list_directory rejects a .. escape',
    command: 'list_directory',
    args: { path: `${WORK}/../../outside` },
    expect: deniedWhenRestricted((o) => expect(ok<FsListResponse>(o).path).toBe(OUTSIDE)),
  },
  {
    name: 'list_directory of a missing directory inside the root is 404',
    command: 'list_directory',
    args: { path: `${WORK}/missing` },
    expect: expectError(404, 'Directory not found'),
  },
  {
    name: 'list_directory of a missing directory outside the roots is denied (no existence oracle)',
    command: 'list_directory',
    args: { path: `${OUTSIDE}/missing` },
    expect: deniedWhenRestricted(expectError(404, 'Directory not found')),
  },
  {
    name: 'list_directory of a file is 400',
    command: 'list_directory',
    args: { path: `${WORK}/notes.txt` },
    expect: expectError(400, 'Specified path is not a directory'),
  },
  {
    name: 'list_directory below a file is 404',
    command: 'list_directory',
    args: { path: `${WORK}/notes.txt/x` },
    expect: expectError(404, 'Directory not found'),
  },
  {
    name: 'list_directory rejects NUL bytes',
    command: 'list_directory',
    args: { path: `${WORK}\0/etc` },
    expect: expectError(400, 'path must not contain NUL bytes'),
  },
  {
    name: 'list_directory rejects a path longer than PATH_MAX',
    command: 'list_directory',
    args: { path: `/${'x'.repeat(5000)}` },
    expect: expectError(400, 'path is too long (at most 4096 characters)'),
  },

  // -- search_files -----------------------------------------------------------------------------
  {
    name: 'search_files finds a file at any depth (the reference stops after 60 shallow hits)',
    command: 'search_files',
    args: { directory: WORK, query: 'deep-target' },
    expect: (o) => {
      const result = ok<FsSearchResponse>(o);
      expect(result.root).toBe(WORK);
      expect(result.files[0]).toEqual({
        name: 'deep-target.txt',
        path: `${WORK}/a/b/c/d/e/f/g/h/deep-target.txt`,
        relativePath: 'a/b/c/d/e/f/g/h/deep-target.txt',
        extension: 'txt',
      });
      expect(result.count).toBe(result.files.length);
    },
  },
  {
    name: 'search_files is fuzzy',
    command: 'search_files',
    args: { directory: WORK, query: 'srcidx' },
    expect: (o) => expect(paths(ok(o))[0]).toBe('src/index.ts'),
  },
  {
    name: 'search_files skips hidden files, node_modules and gitignored files outside git',
    command: 'search_files',
    args: { directory: WORK, query: '', maxResults: 400 },
    expect: (o) => {
      const found = paths(ok(o));
      expect(found).toContain('README.md');
      expect(found.some((p) => p.startsWith('.hidden/') || p.startsWith('node_modules/'))).toBe(false);
      expect(found).not.toContain('ignored.log');
      expect(found.some((p) => p.startsWith('link-to-src/'))).toBe(false);
    },
  },
  {
    name: 'search_files in a git repository lists tracked and untracked files, not ignored or deleted ones',
    command: 'search_files',
    args: { directory: REPO, query: '' },
    expect: (o) => {
      expect(paths(ok(o)).sort()).toEqual(['.gitignore', 'lib/nested/tracked-deep.ts', 'tracked.ts', 'untracked.ts']);
    },
  },
  {
    name: 'search_files lower-cases the extension',
    command: 'search_files',
    args: { directory: WORK, query: 'Upper' },
    expect: (o) => expect(ok<FsSearchResponse>(o).files[0]).toMatchObject({ name: 'Upper.TXT', extension: 'txt' }),
  },
  {
    name: 'search_files omits extension for names without a dot',
    command: 'search_files',
    args: { directory: WORK, query: 'Makefile' },
    expect: (o) =>
      expect(ok<FsSearchResponse>(o).files[0]).toEqual({
        name: 'Makefile',
        path: `${WORK}/Makefile`,
        relativePath: 'Makefile',
      }),
  },
  {
    name: 'search_files honours maxResults',
    command: 'search_files',
    args: { directory: WORK, query: 'file', maxResults: 5 },
    expect: (o) => expect(ok<FsSearchResponse>(o).count).toBe(5),
  },
  {
    name: 'search_files clamps a negative limit to 1',
    command: 'search_files',
    args: { directory: WORK, query: '', maxResults: -3 },
    expect: (o) => expect(ok<FsSearchResponse>(o).count).toBe(1),
  },
  {
    name: 'search_files clamps a huge limit to 400',
    command: 'search_files',
    args: { directory: WORK, query: '', maxResults: 1e12 },
    expect: (o) => expect(ok<FsSearchResponse>(o).count).toBe(207),
  },
  {
    name: 'search_files without a directory searches home (open) or the workspace root (sandboxed)',
    command: 'search_files',
    args: { query: 'deep-target' },
    expect: (o, mode) => expect(ok<FsSearchResponse>(o).root).toBe(mode === 'open' ? HOME : WORK),
  },
  {
    name: 'search_files of a file root is 400',
    command: 'search_files',
    args: { directory: `${WORK}/notes.txt` },
    expect: expectError(400, 'Specified root is not a directory'),
  },
  {
    name: 'search_files of a missing root is 404',
    command: 'search_files',
    args: { directory: `${WORK}/missing` },
    expect: expectError(404, 'Directory not found'),
  },
  {
    name: 'search_files outside the roots is denied',
    command: 'search_files',
    args: { directory: OUTSIDE, query: 'secret' },
    expect: deniedWhenRestricted((o) => expect(paths(ok(o))).toEqual(['secret.txt'])),
  },
  {
    name: 'search_files through an escaping symlink is denied',
    command: 'search_files',
    args: { directory: `${WORK}/link-out` },
    expect: deniedWhenRestricted((o) => expect(ok<FsSearchResponse>(o).count).toBe(1)),
  },

  // -- create_directory -------------------------------------------------------------------------
  {
    name: 'create_directory creates missing parents and answers the absolute path',
    command: 'create_directory',
    args: { path: `${WORK}/made/by/test` },
    expect: (o) => expect(ok(o)).toEqual({ success: true, path: `${WORK}/made/by/test` }),
  },
  {
    name: 'create_directory of an existing directory succeeds',
    command: 'create_directory',
    args: { path: `${WORK}/src` },
    expect: (o) => expect(ok(o)).toEqual({ success: true, path: `${WORK}/src` }),
  },
  {
    name: 'create_directory resolves a relative path against the cwd or the workspace root',
    command: 'create_directory',
    args: { path: '  relative-dir ' },
    expect: (o) => expect(ok(o)).toEqual({ success: true, path: `${WORK}/relative-dir` }),
  },
  {
    name: 'list_directory sees a directory right after create_directory made it',
    command: 'list_directory',
    args: { path: `${WORK}/made/by` },
    expect: (o) => expect(ok<FsListResponse>(o).entries.map((e) => e.name)).toEqual(['test']),
  },
  {
    name: 'create_directory requires a path',
    command: 'create_directory',
    args: {},
    expect: expectError(400, 'Path is required'),
  },
  {
    name: 'create_directory rejects a blank path',
    command: 'create_directory',
    args: { path: '   ' },
    expect: expectError(400, 'Path is required'),
  },
  {
    name: 'create_directory rejects a non-string path',
    command: 'create_directory',
    args: { path: 123 },
    expect: expectError(400, 'path must be a string, not a number'),
  },
  {
    name: 'create_directory rejects a relative path that climbs out',
    command: 'create_directory',
    args: { path: '../escape' },
    expect: expectError(400, 'Invalid path: path traversal not allowed'),
  },
  {
    name: 'create_directory outside the roots is denied',
    command: 'create_directory',
    args: { path: `${OUTSIDE}/new-dir` },
    expect: deniedWhenRestricted((o) => expect(ok(o)).toEqual({ success: true, path: `${OUTSIDE}/new-dir` })),
  },
  {
    name: 'create_directory through an escaping symlink is denied',
    command: 'create_directory',
    args: { path: `${WORK}/link-out/via-link` },
    expect: deniedWhenRestricted((o) => expect(ok(o)).toEqual({ success: true, path: `${WORK}/link-out/via-link` })),
  },
  {
    name: 'create_directory in a sibling that shares the root prefix is denied',
    command: 'create_directory',
    args: { path: `${HOME}/work_evil/x` },
    expect: deniedWhenRestricted((o) => expect(ok(o)).toMatchObject({ success: true })),
  },
  {
    name: 'create_directory where a file is in the way is 400 with the system message',
    command: 'create_directory',
    args: { path: `${WORK}/notes.txt` },
    expect: expectError(400, `EEXIST: file already exists, mkdir '${WORK}/notes.txt'`),
  },
  {
    name: 'create_directory below a file is 400 with the system message',
    command: 'create_directory',
    args: { path: `${WORK}/notes.txt/sub` },
    expect: expectError(400, /^ENOTDIR: not a directory, mkdir/),
  },
  {
    name: 'create_directory rejects NUL bytes',
    command: 'create_directory',
    args: { path: `${WORK}/a\0b` },
    expect: expectError(400, 'path must not contain NUL bytes'),
  },
];
