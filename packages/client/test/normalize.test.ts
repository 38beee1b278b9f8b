import type { CommandName } from '@chamber/contract';
import { describe, expect, it } from 'vitest';
import { RuntimeCallError } from '../src/errors.js';
import {
  normalizeFsList,
  toCreateDirectoryResult,
  toDirectoryListResult,
  toFileSearchResults,
  toSettingsPayload,
} from '../src/normalize.js';
import { createRuntimeAPIs } from '../src/runtime-apis.js';
import type { Transport } from '../src/transport.js';

describe('normalisation', () => {
  it('maps a listing to the RuntimeAPIs shape with / separators and without wire-only fields', () => {
    const wire = {
      directory: 'C:\\work',
      path: 'C:\\work',
      entries: [
        {
          name: 'src',
          path: 'C:\\work\\src',
          isDirectory: true,
          isFile: false,
          isSymbolicLink: false,
          size: null,
          modifiedTime: 1700000000000,
        },
        { name: 'a.txt', path: 'C:\\work\\a.txt', isDirectory: false, isFile: true, size: 12, modifiedTime: null },
      ],
    };
    expect(toDirectoryListResult(wire)).toEqual({
      directory: 'C:/work',
      entries: [
        { name: 'src', path: 'C:/work/src', isDirectory: true, modifiedTime: 1700000000000 },
        { name: 'a.txt', path: 'C:/work/a.txt', isDirectory: false, size: 12 },
      ],
    });
    // The wire view keeps every field, paths normalised.
    expect(normalizeFsList(wire).entries[1]).toEqual({
      name: 'a.txt',
      path: 'C:/work/a.txt',
      isDirectory: false,
      isFile: true,
      isSymbolicLink: false,
      size: 12,
      modifiedTime: null,
    });
  });

  it('fills missing fields: directory from path, then empty; entries default', () => {
    expect(toDirectoryListResult({ path: '/p' })).toEqual({ directory: '/p', entries: [] });
    expect(toDirectoryListResult({ directory: '', path: '/p' }).directory).toBe('');
    expect(toDirectoryListResult(null)).toEqual({ directory: '', entries: [] });
    expect(toDirectoryListResult({ entries: [{}, 'junk'] }).entries).toEqual([
      { name: '', path: '', isDirectory: false },
      { name: '', path: '', isDirectory: false },
    ]);
  });

  it('maps search hits to { path, preview: [relativePath] }, omitting an empty preview', () => {
    const wire = {
      root: '/r',
      count: 3,
      files: [
        { name: 'a.ts', path: '/r/src/a.ts', relativePath: 'src/a.ts', extension: 'ts' },
        { name: 'b', path: 'C:\\r\\b', relativePath: '' },
        { name: 'c', path: '/r/c' },
      ],
    };
    expect(toFileSearchResults(wire)).toEqual([
      { path: '/r/src/a.ts', preview: ['src/a.ts'] },
      { path: 'C:/r/b' },
      { path: '/r/c' },
    ]);
    expect(toFileSearchResults({})).toEqual([]);
  });

  it('coerces createDirectory and settings answers', () => {
    expect(toCreateDirectoryResult({ success: true, path: 'C:\\new' }, 'x')).toEqual({ success: true, path: 'C:/new' });
    expect(toCreateDirectoryResult(null, '/asked')).toEqual({ success: false, path: '/asked' });
    expect(toSettingsPayload({ themeId: 't' })).toEqual({ themeId: 't' });
    for (const junk of [null, 'x', 3, [1]]) expect(toSettingsPayload(junk)).toEqual({});
  });
});

/** A transport that answers from a table and records calls, standing in for either kind. */
function fakeTransport(kind: 'web' | 'desktop', answers: Partial<Record<CommandName, unknown>>) {
  const calls: [string, unknown][] = [];
  const transport: Transport = {
    kind,
    invoke(name, args) {
      calls.push([name, args]);
      const answer = answers[name];
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer as never);
    },
    listen: async () => () => {},
  };
  return { transport, calls };
}

describe('createRuntimeAPIs', () => {
  it('describes the runtime from the transport kind', () => {
    expect(createRuntimeAPIs(fakeTransport('web', {}).transport).runtime).toEqual({
      platform: 'web',
      isDesktop: false,
      label: 'web',
    });
    expect(createRuntimeAPIs(fakeTransport('desktop', {}).transport).runtime).toMatchObject({
      platform: 'desktop',
      isDesktop: true,
    });
  });

  it('calls the commands with their argument names and normalises the answers', async () => {
    const { transport, calls } = fakeTransport('desktop', {
      list_directory: { directory: '/d', path: '/d', entries: [] },
      search_files: { root: '/d', count: 1, files: [{ name: 'x', path: '/d/x', relativePath: 'x' }] },
      create_directory: { success: true, path: '/d/new' },
      get_home_directory: { home: '/home/u' },
      load_settings: { themeId: 'a' },
      save_settings: 'not an object',
      get_data_directory: { dataDirectory: 'C:\\data', settingsFile: 'C:\\data\\settings.json' },
    });
    const apis = createRuntimeAPIs(transport);
    await expect(apis.files.listDirectory('/d')).resolves.toEqual({ directory: '/d', entries: [] });
    await expect(apis.files.search({ directory: '/d', query: 'x', maxResults: 40 })).resolves.toEqual([
      { path: '/d/x', preview: ['x'] },
    ]);
    await expect(apis.files.searchFiles({ directory: '/d', limit: 5 })).resolves.toMatchObject({ count: 1 });
    await expect(apis.files.createDirectory('/d/new')).resolves.toEqual({ success: true, path: '/d/new' });
    await expect(apis.files.home()).resolves.toBe('/home/u');
    await expect(apis.settings.load()).resolves.toEqual({ settings: { themeId: 'a' }, source: 'desktop' });
    await expect(apis.settings.save({ themeId: 'b' })).resolves.toEqual({});
    await expect(apis.settings.dataDirectory()).resolves.toEqual({
      dataDirectory: 'C:/data',
      settingsFile: 'C:/data/settings.json',
    });
    expect(calls).toEqual([
      ['list_directory', { path: '/d' }],
      ['search_files', { directory: '/d', query: 'x', maxResults: 40 }],
      ['search_files', { directory: '/d', query: undefined, maxResults: 5 }],
      ['create_directory', { path: '/d/new' }],
      ['get_home_directory', {}],
      ['load_settings', {}],
      ['save_settings', { changes: { themeId: 'b' } }],
      ['get_data_directory', {}],
    ]);
    expect(apis.raw).toBe(transport);
  });

  it('propagates the runtime error untouched (no prefix, no fallback)', async () => {
    const failure = new RuntimeCallError(500, 'Failed to load settings');
    const apis = createRuntimeAPIs(fakeTransport('web', { load_settings: failure }).transport);
    await expect(apis.settings.load()).rejects.toBe(failure);
  });
});
