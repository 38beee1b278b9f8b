import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger, silentLogger } from '../../src/logger.js';
import { FileIndex, searchFiles } from '../../src/files/search/index.js';

const hasRg = spawnSync('rg', ['--version']).status === 0;
const temps: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-search-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function write(root: string, rel: string, content = ''): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
}
function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    stdio: 'ignore',
  });
}
const sorted = (files: readonly string[]) => [...files].sort();
const WEIRD = ['with space.txt', 'new\nline.txt', 'ünï cødé.md', `quote's "dq".txt`, 'tab\there.txt'];

/** A plain (non-git) tree exercising every rule the rg and walker sources share. */
function plainTree(root: string): void {
  write(root, '.gitignore', '*.log\n!keep.log\n/rootonly.txt\nignored-dir/\n');
  for (const rel of ['a.txt', 'x.log', 'keep.log', 'rootonly.txt', 'sub/rootonly.txt', 'ignored-dir/f.txt', 'sub/b.ts'])
    write(root, rel);
  write(root, 'sub/.gitignore', 'secret.txt\n*.tmp\n!important.tmp\n');
  for (const rel of ['sub/secret.txt', 'sub/a.tmp', 'sub/important.tmp', 'other/secret.txt', 'sub/deeper/x.tmp'])
    write(root, rel);
  write(root, 'n/.ignore', 'by-dot-ignore.txt\n');
  write(root, 'n/by-dot-ignore.txt');
  for (const rel of [
    'node_modules/m/i.js',
    'Dist/d.js',
    'BUILD/b.js',
    'src/tmp/t.txt',
    'logs/l.txt',
    '.hidden/h.txt',
    '.env',
    'src/.secret.ts',
  ])
    write(root, rel);
  write(root, 'build'); // a *file* named like a skipped directory is kept
  write(root, 'a/b/c/d/e/f/g/h/deep-file.txt');
  for (const name of WEIRD) write(root, `weird/${name}`);
  fs.symlinkSync(path.join(root, 'a.txt'), path.join(root, 'link.txt'));
  fs.symlinkSync(path.join(root, 'sub'), path.join(root, 'linkdir'));
}
const PLAIN_EXPECTED = sorted([
  'a.txt',
  'keep.log',
  'sub/rootonly.txt',
  'sub/b.ts',
  'sub/important.tmp',
  'other/secret.txt',
  'build',
  'a/b/c/d/e/f/g/h/deep-file.txt',
  ...WEIRD.map((name) => `weird/${name}`),
]);

describe('git source', () => {
  it('lists tracked + untracked-not-ignored files, minus ignored and deleted ones', async () => {
    const root = tempDir();
    git(root, 'init', '-q');
    write(root, '.gitignore', '*.log\nbuild-out/\n');
    for (const rel of [
      'src/index.ts',
      'tracked.log',
      'gone.txt',
      '.github/ci.yml',
      'node_modules/vendored.js',
      ...WEIRD,
    ])
      write(root, rel);
    git(root, 'add', '-f', 'tracked.log', 'node_modules/vendored.js');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'init');
    fs.rmSync(path.join(root, 'gone.txt'));
    for (const rel of ['untracked.md', 'ignored.log', 'build-out/x.js', 'a/b/c/d/e/f/g/h/deep.txt']) write(root, rel);

    const expected = sorted([
      '.gitignore',
      '.github/ci.yml',
      'src/index.ts',
      'tracked.log',
      'node_modules/vendored.js',
      ...WEIRD,
      'untracked.md',
      'a/b/c/d/e/f/g/h/deep.txt',
    ]);
    const index = new FileIndex({ logger: silentLogger });
    const listing = await index.list(root);
    expect(listing.source).toBe('git');
    expect(listing.truncated).toBe(false);
    // Deleted tracked files are looked for only once a search would return one.
    expect(listing.unchecked).toBe(true);
    expect(sorted(listing.files)).toEqual(sorted([...expected, 'gone.txt']));
    const hits = await searchFiles(index, root, '', 100);
    expect(sorted(hits.map((hit) => hit.relativePath))).toEqual(expected);
    // The cached listing is now the checked one, and the root's next listings check too.
    expect(await index.list(root)).toEqual({
      files: listing.files.filter((f) => f !== 'gone.txt'),
      source: 'git',
      truncated: false,
    });
    index.invalidate(root);
    const again = await index.list(root);
    expect(again.unchecked).toBeUndefined();
    expect(sorted(again.files)).toEqual(expected);
  });

  it('lists a subdirectory relative to it, and skips submodules and nested repositories', async () => {
    const root = tempDir();
    git(root, 'init', '-q');
    write(root, 'pkg/src/a.ts');
    write(root, 'top.ts');
    write(root, 'pkg/embedded/inner.ts');
    git(path.join(root, 'pkg/embedded'), 'init', '-q');
    git(path.join(root, 'pkg/embedded'), 'add', '.');
    git(path.join(root, 'pkg/embedded'), 'commit', '-qm', 'inner');
    git(root, 'add', '.'); // records pkg/embedded as a gitlink
    git(root, 'commit', '-qm', 'outer');
    write(root, 'pkg/nested/n.ts');
    git(path.join(root, 'pkg/nested'), 'init', '-q'); // untracked nested repository

    const listing = await new FileIndex({ logger: silentLogger }).list(path.join(root, 'pkg'));
    expect(listing.source).toBe('git');
    expect(sorted(listing.files)).toEqual(['src/a.ts']);
  });

  it('collapses unmerged stages into one entry', async () => {
    const root = tempDir();
    git(root, 'init', '-q');
    write(root, 'f.txt', 'a');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'a');
    git(root, 'checkout', '-qb', 'other');
    write(root, 'f.txt', 'b');
    git(root, 'commit', '-qam', 'b');
    git(root, 'checkout', '-q', 'main');
    write(root, 'f.txt', 'c');
    git(root, 'commit', '-qam', 'c');
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', 'merge', 'other'], { cwd: root, stdio: 'ignore' });
    expect(execFileSync('git', ['ls-files', '-u'], { cwd: root, encoding: 'utf8' }).trim().split('\n')).toHaveLength(3);
    const listing = await new FileIndex({ logger: silentLogger }).list(root);
    expect(listing.files).toEqual(['f.txt']);
  });

  it('falls through when git is missing or the root is not a work tree', async () => {
    const root = tempDir();
    write(root, 'a.txt');
    const missing = await new FileIndex({ logger: silentLogger, tools: { git: path.join(root, 'no-such-git') } }).list(
      root,
    );
    expect(missing.source).toBe(hasRg ? 'rg' : 'walk');
    const notRepo = await new FileIndex({ logger: silentLogger }).list(root);
    expect(notRepo.source).toBe(hasRg ? 'rg' : 'walk');
    expect(notRepo.files).toEqual(['a.txt']);
  });
});

describe.skipIf(!hasRg)('rg source', () => {
  it('honours ignore files outside git and skips hidden, symlinked and skip-listed entries', async () => {
    const root = tempDir();
    plainTree(root);
    const listing = await new FileIndex({ logger: silentLogger, tools: { git: null } }).list(root);
    expect(listing.source).toBe('rg');
    expect(sorted(listing.files)).toEqual(PLAIN_EXPECTED);
  });

  it('returns an empty listing for an empty directory', async () => {
    const listing = await new FileIndex({ logger: silentLogger, tools: { git: null } }).list(tempDir());
    expect(listing).toEqual({ files: [], source: 'rg', truncated: false });
  });
});

describe('a listing followed while it grows (ranked during the listing)', () => {
  const follow = async (root: string, tools: { git?: string | null; rg?: string | null }) => {
    const index = new FileIndex({ logger: silentLogger, tools });
    const seen: (readonly string[])[] = [];
    const listing = await index.list(root, (files) => void seen.push(files));
    return { index, listing, seen };
  };

  it('git: the tracked files come first, in the array that becomes the listing', async () => {
    const root = tempDir();
    for (let i = 0; i < 50; i++) write(root, `tracked/t${i}.ts`);
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'x');
    write(root, 'untracked/u.ts');
    const { index, listing, seen } = await follow(root, { rg: null });
    expect(listing.source).toBe('git');
    expect(seen.length).toBeGreaterThan(0);
    for (const files of seen) expect(files).toBe(listing.files);
    expect(sorted(listing.files)).toEqual(
      sorted([...Array.from({ length: 50 }, (_, i) => `tracked/t${i}.ts`), 'untracked/u.ts']),
    );
    // A cached answer is not followed.
    const again: unknown[] = [];
    await index.list(root, (files) => void again.push(files));
    expect(again).toEqual([]);
  });

  it.skipIf(!hasRg)('rg: files as they stream, in the array that becomes the listing', async () => {
    const root = tempDir();
    for (let i = 0; i < 2_000; i++) write(root, `d${i % 20}/some-longer-file-name-${i}.txt`);
    const { listing, seen } = await follow(root, { git: null });
    expect(listing.source).toBe('rg');
    expect(seen.length).toBeGreaterThan(0);
    for (const files of seen) expect(files).toBe(listing.files);
    expect(listing.files).toHaveLength(2_000);
  });

  it('a follower that throws breaks neither the listing nor the other followers', async () => {
    const root = tempDir();
    for (let i = 0; i < 20; i++) write(root, `f${i}.ts`);
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'x');
    const index = new FileIndex({ logger: silentLogger, tools: { rg: null } });
    const seen: (readonly string[])[] = [];
    const first = index.list(root, () => {
      throw new Error('follower bug');
    });
    const second = index.list(root, (files) => void seen.push(files));
    const [a, b] = await Promise.all([first, second]);
    expect(a.files).toHaveLength(20);
    expect(b).toBe(a);
    expect(seen.at(-1)).toBe(a.files);
  });

  it('a cold search (ranked while listing) answers as a warm one', async () => {
    const root = tempDir();
    for (let i = 0; i < 300; i++) write(root, `p${i % 9}/index${i}.ts`);
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'x');
    for (let i = 0; i < 30; i++) write(root, `new/index-untracked${i}.ts`);
    for (const query of ['', 'index1', 'new/idx', 'untracked2']) {
      const cold = await searchFiles(new FileIndex({ logger: silentLogger }), root, query, 25);
      const warmIndex = new FileIndex({ logger: silentLogger });
      await warmIndex.list(root);
      expect(cold, query).toEqual(await searchFiles(warmIndex, root, query, 25));
    }
  });
});

describe('walker source', () => {
  it('is used when git and rg are unavailable and gives the same set as rg', async () => {
    const root = tempDir();
    plainTree(root);
    const walked = await new FileIndex({ logger: silentLogger, tools: { git: null, rg: null } }).list(root);
    expect(walked.source).toBe('walk');
    expect(sorted(walked.files)).toEqual(PLAIN_EXPECTED);
    if (hasRg) {
      const viaRg = await new FileIndex({ logger: silentLogger, tools: { git: null } }).list(root);
      expect(sorted(walked.files)).toEqual(sorted(viaRg.files));
    }
  });

  it('falls back to the walker when rg cannot be spawned', async () => {
    const root = tempDir();
    write(root, 'x/y.txt');
    const listing = await new FileIndex({
      logger: silentLogger,
      tools: { git: null, rg: path.join(root, 'no-rg') },
    }).list(root);
    expect(listing).toEqual({ files: ['x/y.txt'], source: 'walk', truncated: false });
  });
});

describe('maxFiles', () => {
  const cases = [
    { source: 'git', tools: {} },
    { source: 'rg', tools: { git: null } },
    { source: 'walk', tools: { git: null, rg: null } },
  ] as const;
  for (const { source, tools } of cases) {
    it.skipIf(source === 'rg' && !hasRg)(`truncates the ${source} listing and logs it once`, async () => {
      const root = tempDir();
      for (let i = 0; i < 40; i++) write(root, `d${i % 4}/f${i}.txt`);
      if (source === 'git') {
        git(root, 'init', '-q');
        git(root, 'add', '.');
      }
      const logger = createMemoryLogger();
      const index = new FileIndex({ logger, maxFiles: 10, tools });
      const listing = await index.list(root);
      expect(listing.source).toBe(source);
      expect(listing.truncated).toBe(true);
      expect(listing.files).toHaveLength(10);
      index.invalidate(root);
      expect((await index.list(root)).truncated).toBe(true);
      expect(logger.lines.filter((line) => line.message === 'file listing truncated')).toHaveLength(1);
    });
  }
});

describe.skipIf(process.platform === 'win32')('listTimeoutMs', () => {
  /** A stand-in `git` that prints `output` (unless listing deletions) and then hangs. */
  function hangingGit(output: string): string {
    const script = path.join(tempDir(), 'fake-git');
    const body = `#!/bin/sh\ncase "$*" in *--deleted*) exec sleep 30;; esac\nprintf '${output}'\nexec sleep 30\n`;
    fs.writeFileSync(script, body, { mode: 0o755 });
    return script;
  }

  it('kills a hanging listing process and keeps what it listed so far', async () => {
    const root = tempDir();
    write(root, 'a.txt');
    const logger = createMemoryLogger();
    const index = new FileIndex({ logger, listTimeoutMs: 300, tools: { git: hangingGit('? partial.txt\\0') } });
    expect(await index.list(root)).toEqual({ files: ['partial.txt'], source: 'git', truncated: true, unchecked: true });
    expect(logger.lines.some((line) => line.message === 'file listing timed out')).toBe(true);
  });

  it('falls through to the next source when the hanging process listed nothing', async () => {
    const root = tempDir();
    write(root, 'a.txt');
    const index = new FileIndex({ logger: silentLogger, listTimeoutMs: 300, tools: { git: hangingGit(''), rg: null } });
    expect(await index.list(root)).toEqual({ files: ['a.txt'], source: 'walk', truncated: false });
  });
});
