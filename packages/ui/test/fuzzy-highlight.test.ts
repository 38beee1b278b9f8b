import { describe, expect, it } from 'vitest';
import { highlightHit, matchRanges, splitByRanges } from '../src/lib/fuzzy-highlight.js';

describe('quick-open match highlighting', () => {
  it('highlights a contiguous match as one range, case-insensitively', () => {
    expect(matchRanges('DeepTarget.txt', 'target')).toEqual([[4, 10]]);
  });

  it('highlights scattered characters in order, preferring word starts', () => {
    expect(matchRanges('deep-target.txt', 'dtt')).toEqual([
      [0, 1],
      [5, 6],
      [12, 13],
    ]);
    expect(matchRanges('FileTreeModel.ts', 'ftm')).toEqual([
      [0, 1],
      [4, 5],
      [8, 9],
    ]);
  });

  it('answers null when the characters do not occur in order, [] for a blank query', () => {
    expect(matchRanges('readme.md', 'xyz')).toBeNull();
    expect(matchRanges('readme.md', '  ')).toEqual([]);
  });

  it('falls back to the directory when the query does not fit the name', () => {
    const hit = highlightHit('a/b/c/deep-target.txt', 'c/deep');
    expect(hit.name).toBe('deep-target.txt');
    expect(hit.directory).toBe('a/b/c');
    expect(hit.directoryRanges).toEqual([[4, 5]]);
    expect(hit.nameRanges).toEqual([[0, 4]]);
  });

  it('prefers the name when it matches', () => {
    const hit = highlightHit('src/target/deep-target.txt', 'target');
    expect(hit.nameRanges).toEqual([[5, 11]]);
    expect(hit.directoryRanges).toEqual([]);
  });

  it('cuts text into plain and matched pieces', () => {
    expect(splitByRanges('abcdef', [[1, 3]])).toEqual([
      { text: 'a', match: false },
      { text: 'bc', match: true },
      { text: 'def', match: false },
    ]);
    expect(splitByRanges('abc', [])).toEqual([{ text: 'abc', match: false }]);
  });
});
