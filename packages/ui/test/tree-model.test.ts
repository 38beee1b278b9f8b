import { describe, expect, it } from 'vitest';
import {
  findByPrefix,
  flattenTree,
  rowIndexOf,
  sortEntries,
  type DirectoryState,
  type TreeEntry,
} from '../src/files/tree-model.js';

function entry(path: string, isDirectory = false): TreeEntry {
  return {
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    isDirectory,
    isSymbolicLink: false,
    size: null,
    modifiedTime: null,
  };
}

const loaded = (...entries: TreeEntry[]): DirectoryState => ({ status: 'loaded', entries: sortEntries(entries) });

describe('file tree model', () => {
  it('sorts directories first, then names in natural, case-insensitive order', () => {
    const sorted = sortEntries([entry('/w/file-10'), entry('/w/B'), entry('/w/file-2'), entry('/w/a', true)]);
    expect(sorted.map((e) => e.name)).toEqual(['a', 'B', 'file-2', 'file-10']);
  });

  it('shows the children of expanded directories only, one level deeper each', () => {
    const dirs = new Map<string, DirectoryState>([
      ['/w', loaded(entry('/w/src', true), entry('/w/docs', true), entry('/w/README.md'))],
      ['/w/src', loaded(entry('/w/src/index.ts'))],
      ['/w/docs', loaded(entry('/w/docs/guide.md'))],
    ]);
    const rows = flattenTree('/w', dirs, new Set(['/w/src']));
    expect(rows.map((r) => (r.kind === 'entry' ? `${r.depth}:${r.entry.name}` : r.kind))).toEqual([
      '0:docs',
      '0:src',
      '1:index.ts',
      '0:README.md',
    ]);
    expect(rowIndexOf(rows, '/w/src/index.ts')).toBe(2);
  });

  it('marks directories that are loading, empty or failed with a row of their own', () => {
    const dirs = new Map<string, DirectoryState>([
      ['/w', loaded(entry('/w/a', true), entry('/w/b', true), entry('/w/c', true))],
      ['/w/a', { status: 'loading' }],
      ['/w/b', loaded()],
      ['/w/c', { status: 'error', message: 'Access to directory denied' }],
    ]);
    const rows = flattenTree('/w', dirs, new Set(['/w/a', '/w/b', '/w/c']));
    expect(rows.map((r) => r.kind)).toEqual(['entry', 'loading', 'entry', 'empty', 'entry', 'error']);
    expect(rows[5]).toMatchObject({ depth: 1, message: 'Access to directory denied' });
  });

  it('flattens a 10k-entry directory and a very deep chain without recursion', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => entry(`/w/f${i}`));
    expect(flattenTree('/w', new Map([['/w', loaded(...many)]]), new Set())).toHaveLength(10_000);

    const dirs = new Map<string, DirectoryState>();
    const expanded = new Set<string>();
    let path = '/w';
    for (let depth = 0; depth < 5_000; depth++) {
      const child = `${path}/d`;
      dirs.set(path, loaded(entry(child, true)));
      expanded.add(child);
      path = child;
    }
    dirs.set(path, loaded());
    const rows = flattenTree('/w', dirs, expanded);
    expect(rows).toHaveLength(5_001);
    expect(rows[rows.length - 1]).toMatchObject({ kind: 'empty', depth: 5_000 });
  });

  it('type-ahead finds the next entry by prefix, wrapping around', () => {
    const rows = flattenTree(
      '/w',
      new Map([['/w', loaded(entry('/w/alpha'), entry('/w/beta'), entry('/w/bravo'))]]),
      new Set(),
    );
    expect(findByPrefix(rows, 'b', 0)).toBe(1);
    expect(findByPrefix(rows, 'b', 2)).toBe(2);
    expect(findByPrefix(rows, 'A', 1)).toBe(0);
    expect(findByPrefix(rows, 'z', 0)).toBe(-1);
  });
});
