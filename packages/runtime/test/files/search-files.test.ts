import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { FileIndex, searchFiles, toSearchHit } from '../../src/files/search/index.js';

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-search-files-'));
  temps.push(dir);
  return dir;
}
function write(root: string, rel: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), '');
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('toSearchHit', () => {
  it('builds name, platform path, "/" relative path and the lower-cased last extension', () => {
    const root = path.join(os.tmpdir(), 'root');
    expect(toSearchHit(root, 'src/A.TAR.GZ')).toEqual({
      name: 'A.TAR.GZ',
      path: path.join(root, 'src', 'A.TAR.GZ'),
      relativePath: 'src/A.TAR.GZ',
      extension: 'gz',
    });
    expect(toSearchHit(root, 'x.').extension).toBe('');
    expect(toSearchHit(root, '.env').extension).toBe('env');
    const bare = toSearchHit(root, 'bin/Makefile');
    expect(bare).toEqual({ name: 'Makefile', path: path.join(root, 'bin', 'Makefile'), relativePath: 'bin/Makefile' });
    expect('extension' in bare).toBe(false);
  });
});

describe('searchFiles', () => {
  it('finds a deep file the reference (BFS, first 60 hits) would miss', async () => {
    const root = tempDir();
    // Half the shallow names contain "deep" too, so the deep file also has to win the ranking.
    for (let i = 0; i < 1000; i++)
      write(root, i % 2 ? `dir${i % 20}/deep-shallow-${i}.txt` : `dir${i % 20}/shallow-${i}.txt`);
    write(root, 'a/b/c/d/e/f/g/h/deep-file.txt');
    const hits = await searchFiles(new FileIndex({ logger: silentLogger }), root, 'deep-file', 60);
    expect(hits[0]).toEqual({
      name: 'deep-file.txt',
      path: path.join(root, 'a/b/c/d/e/f/g/h/deep-file.txt'),
      relativePath: 'a/b/c/d/e/f/g/h/deep-file.txt',
      extension: 'txt',
    });
    const all = await searchFiles(new FileIndex({ logger: silentLogger }), root, 'deep', 400);
    expect(all.map((hit) => hit.relativePath)).toContain('a/b/c/d/e/f/g/h/deep-file.txt');
  });

  it('respects .gitignore in a git repository and lists shallow files first for a blank query', async () => {
    const root = tempDir();
    execFileSync('git', ['init', '-q'], { cwd: root });
    fs.writeFileSync(path.join(root, '.gitignore'), 'secret/\n');
    for (const rel of ['README.md', 'src/main.ts', 'secret/key.ts', 'src/lib/util.ts']) write(root, rel);
    const index = new FileIndex({ logger: silentLogger });
    expect((await searchFiles(index, root, '', 10)).map((hit) => hit.relativePath)).toEqual([
      '.gitignore',
      'README.md',
      'src/main.ts',
      'src/lib/util.ts',
    ]);
    expect(await searchFiles(index, root, 'key', 10)).toEqual([]);
    expect((await searchFiles(index, root, 'main', 1)).map((hit) => hit.name)).toEqual(['main.ts']);
  });

  it('round-trips names with spaces, newlines, quotes and unicode', async () => {
    const root = tempDir();
    const names = ['with space.ts', 'new\nline.ts', `it's "q".ts`, 'ünïcødé.ts'];
    for (const name of names) write(root, `d/${name}`);
    const hits = await searchFiles(new FileIndex({ logger: silentLogger }), root, '', 10);
    expect(hits.map((hit) => hit.name).sort()).toEqual([...names].sort());
    for (const hit of hits) expect(fs.existsSync(hit.path)).toBe(true);
  });
});
