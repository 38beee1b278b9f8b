import fuzzysort from 'fuzzysort';
import { describe, expect, it } from 'vitest';
import { rankFiles } from '../../src/files/search/index.js';
import { Ranking, scoreCeiling } from '../../src/files/search/rank.js';

describe('rankFiles: blank query', () => {
  it('lists every file, shallow first, then by path, up to limit', () => {
    const files = ['b/c/d.ts', 'z.ts', 'a/b.ts', 'a.ts', 'a/a.ts', 'B.ts'];
    expect(rankFiles(files, '', 10)).toEqual(['B.ts', 'a.ts', 'z.ts', 'a/a.ts', 'a/b.ts', 'b/c/d.ts']);
    expect(rankFiles(files, '   ', 3)).toEqual(['B.ts', 'a.ts', 'z.ts']);
  });

  it('returns nothing for an empty listing or a non-positive limit', () => {
    expect(rankFiles([], 'x', 10)).toEqual([]);
    expect(rankFiles(['a.ts'], 'a', 0)).toEqual([]);
  });
});

describe('rankFiles: fuzzy query', () => {
  it('puts an exact name match first', () => {
    const files = [
      'src/indexer/fooindex.ts.bak',
      'lib/reindex.ts',
      'src/index.tsx',
      'src/index.ts',
      'docs/index.ts.md',
    ];
    const ranked = rankFiles(files, 'index.ts', 10);
    expect(ranked[0]).toBe('src/index.ts');
    expect(ranked).toContain('src/indexer/fooindex.ts.bak');
  });

  it('ranks a name match above a path-only match', () => {
    const files = ['src/button/index.ts', 'src/components/Button.tsx'];
    expect(rankFiles(files, 'button', 10)).toEqual(['src/components/Button.tsx', 'src/button/index.ts']);
  });

  it('breaks ties by shorter path, then alphabetically', () => {
    const files = ['aa/x.ts', 'b/x.ts', 'a/x.ts'];
    expect(rankFiles(files, 'x.ts', 10)).toEqual(['a/x.ts', 'b/x.ts', 'aa/x.ts']);
  });

  it('finds a deep file among many shallow ones', () => {
    const files = Array.from({ length: 1000 }, (_, i) => `dir${i % 10}/file-${i}.txt`);
    files.push('a/b/c/d/e/f/g/h/deep-file.txt');
    expect(rankFiles(files, 'deep', 60)[0]).toBe('a/b/c/d/e/f/g/h/deep-file.txt');
  });

  it('matches queries containing "/" against the path', () => {
    const files = ['deep/notes.md', 'src/deep/file.ts', 'other/fileDeep.ts', 'x/d/e/e/p/f/i/l/e.ts'];
    const ranked = rankFiles(files, 'deep/file', 10);
    expect(ranked[0]).toBe('src/deep/file.ts');
    expect(ranked).not.toContain('deep/notes.md');
    expect(ranked).not.toContain('other/fileDeep.ts');
  });

  it('is case-insensitive and trims the query', () => {
    expect(rankFiles(['docs/readme.md', 'src/a.ts'], '  README ', 10)).toEqual(['docs/readme.md']);
    expect(rankFiles(['docs/README.md'], 'readme', 10)).toEqual(['docs/README.md']);
  });

  it('matches space-separated words independently', () => {
    const files = ['src/file/deep.ts', 'src/other.ts'];
    expect(rankFiles(files, 'deep file', 10)).toEqual(['src/file/deep.ts']);
  });

  it('returns nothing when nothing matches, and respects limit', () => {
    const files = Array.from({ length: 50 }, (_, i) => `src/mod${i}.ts`);
    expect(rankFiles(files, 'zzqqxx', 10)).toEqual([]);
    expect(rankFiles(files, 'mod', 7)).toHaveLength(7);
  });

  it('handles unicode, quotes and remapped characters', () => {
    const files = ['docs/café.md', 'docs/"quoted" name.txt', 'docs/ünï.txt', 'docs/plain.txt'];
    expect(rankFiles(files, 'café', 10)[0]).toBe('docs/café.md');
    expect(rankFiles(files, 'cafe', 10)[0]).toBe('docs/café.md'); // fuzzysort folds diacritics
    expect(rankFiles(files, 'ünï', 10)[0]).toBe('docs/ünï.txt');
    expect(rankFiles(files, '"quoted"', 10)[0]).toBe('docs/"quoted" name.txt');
  });

  it('scores one-character queries: name start > word start > in name > directory', () => {
    const files = ['x/y/qz.ts', 'q/zz.ts', 'x/aq.ts', 'x/foo_q.ts', 'x/q.ts', 'x/Q.md'];
    const ranked = rankFiles(files, 'q', 10);
    expect(ranked.slice(0, 2)).toEqual(['x/Q.md', 'x/q.ts']);
    expect(ranked.slice(2)).toEqual(['x/y/qz.ts', 'x/foo_q.ts', 'x/aq.ts', 'q/zz.ts']);
  });

  it('finds every file whose name or path contains the query (superset of the reference)', () => {
    const parts = ['src', 'lib', 'index', 'util', 'Button', 'deep', 'a', 'test', 'x-y', 'main'];
    const files: string[] = [];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % parts.length;
    for (let i = 0; i < 2000; i++) {
      const depth = 1 + (i % 5);
      const segments = Array.from({ length: depth }, () => parts[next()] as string);
      files.push(`${segments.join('/')}${i}.ts`);
    }
    for (const query of ['index', 'util/but', 'deep', 'x-y', 'test', 'in']) {
      const expected = files.filter((file) => file.toLowerCase().includes(query.toLowerCase()));
      const ranked = rankFiles(files, query, files.length);
      for (const file of expected) expect(ranked).toContain(file);
      const top = rankFiles(files, query, 20);
      expect(top).toEqual(ranked.slice(0, 20)); // pruning by score bound never changes the top
    }
  });

  it('gives the same results when the prepared listing is reused (warm)', () => {
    const files = Array.from({ length: 300 }, (_, i) => `pkg${i % 7}/src/file${i}.ts`);
    const cold = rankFiles(files, 'file1', 25);
    expect(rankFiles(files, 'file1', 25)).toEqual(cold);
    expect(rankFiles(files.slice(), 'file1', 25)).toEqual(cold);
  });
});

describe('Ranking: a listing ranked while it grows', () => {
  /** A deterministic listing: names that tie, nest, repeat and match the queries below partly. */
  const listing = Array.from({ length: 3_000 }, (_, i) => {
    const dirs = ['src', 'lib/deep', 'pkg' + (i % 13), 'a/b/c/d'][i % 4] as string;
    return `${dirs}/${['index', 'Index', 'file', 'reducer', 'x'][i % 5]}${i % 17}.${['ts', 'tsx', 'md'][i % 3]}`;
  });

  it('ranks exactly as rankFiles of the whole listing, whatever the chunks (every query kind)', () => {
    for (const query of ['', 'i', 'index', 'deep/file', 'idx ts', 'zzqq', 'Ind3']) {
      for (const chunk of [1, 7, 250, 2_999, 3_000]) {
        const growing: string[] = [];
        let ranking: Ranking | undefined;
        for (let at = 0; at < listing.length; at += chunk) {
          for (const file of listing.slice(at, at + chunk)) growing.push(file);
          if (ranking) ranking.extend();
          else ranking = new Ranking(growing, query, 40);
        }
        expect(ranking!.result(), `query ${JSON.stringify(query)} in chunks of ${chunk}`).toEqual(
          rankFiles(listing.slice(), query, 40),
        );
      }
    }
  });

  it('ranks what was appended since the last step when the result is asked for', () => {
    const growing = listing.slice(0, 100);
    const ranking = new Ranking(growing, 'reducer', 10);
    for (const file of listing.slice(100)) growing.push(file);
    expect(ranking.result()).toEqual(rankFiles(listing.slice(), 'reducer', 10));
  });
});

describe('scoreCeiling', () => {
  it('bounds fuzzysort scores from above', () => {
    const targets = ['src/index.ts', 'a/b/c/deep-file.txt', 'index', 'IndexTs', 'x-index-y.ts', 'in/dex', 'i_n_d_e_x'];
    for (const search of ['index', 'in', 'idx', 'i', 'dex', 'deep', 'index.ts', 'inde']) {
      for (const target of targets) {
        const result = fuzzysort.single(search, target);
        if (result) expect(result.score).toBeLessThanOrEqual(scoreCeiling(search.length, target.length) + 1e-12);
      }
    }
    // Random pairs over a small alphabet (many matches, separators, capitals).
    const alphabet = 'abcdeABC/-._ ';
    let seed = 11;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const word = (length: number) =>
      Array.from({ length }, () => alphabet[random(alphabet.length)])
        .join('')
        .trim();
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      const search = word(1 + random(5)).replaceAll(' ', '');
      const target = word(1 + random(40));
      if (!search || !target) continue;
      const result = fuzzysort.single(search, target);
      if (!result) continue;
      checked++;
      expect(result.score).toBeLessThanOrEqual(scoreCeiling(search.length, target.length) + 1e-12);
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
