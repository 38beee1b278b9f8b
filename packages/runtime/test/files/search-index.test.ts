import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { FileIndex } from '../../src/files/search/index.js';
import type { FileIndexOptions } from '../../src/files/search/index.js';

const temps: string[] = [];
function tempTree(...files: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-search-index-'));
  temps.push(dir);
  for (const file of files) touch(dir, file);
  return dir;
}
function touch(root: string, rel: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), '');
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** An index on an injected clock; the walker keeps these tests independent of git/rg. */
function makeIndex(options: Partial<FileIndexOptions> = {}) {
  const clock = { now: 1_000 };
  const index = new FileIndex({
    logger: silentLogger,
    now: () => clock.now,
    tools: { git: null, rg: null },
    ...options,
  });
  return { index, clock };
}

describe('FileIndex cache', () => {
  it('returns a fresh cached listing without listing again, and re-lists after invalidate()', async () => {
    const root = tempTree('a.txt');
    const { index } = makeIndex();
    const first = await index.list(root);
    touch(root, 'new.txt');
    const second = await index.list(root);
    expect(second).toBe(first);
    expect(second.files).not.toContain('new.txt');
    expect(index.listingCount).toBe(1);

    index.invalidate(path.join(root, 'new.txt'));
    expect((await index.list(root)).files).toContain('new.txt');
    expect(index.listingCount).toBe(2);
  });

  it('invalidates roots containing the path or inside it, and nothing else', async () => {
    const parent = tempTree('p.txt', 'child/c.txt');
    const other = tempTree('o.txt');
    const child = path.join(parent, 'child');
    const { index } = makeIndex();
    for (const root of [parent, child, other]) await index.list(root);
    expect(index.listingCount).toBe(3);

    index.invalidate(path.join(child, 'c.txt')); // inside both parent and child
    for (const root of [parent, child, other]) await index.list(root);
    expect(index.listingCount).toBe(5);

    index.invalidate(parent); // contains parent and child, not other
    for (const root of [parent, child, other]) await index.list(root);
    expect(index.listingCount).toBe(7);

    index.invalidate(`${other}-sibling`); // a name sharing the prefix is not inside
    index.invalidate(`${parent}x`);
    for (const root of [parent, child, other]) await index.list(root);
    expect(index.listingCount).toBe(7);
  });

  it('serves a stale listing while revalidating in the background', async () => {
    const root = tempTree('a.txt');
    const { index, clock } = makeIndex({ freshMs: 2_000, staleMs: 30_000 });
    const first = await index.list(root);
    touch(root, 'b.txt');

    clock.now += 1_999;
    expect(await index.list(root)).toBe(first);
    expect(index.listingCount).toBe(1);

    clock.now += 5_000; // stale but usable: cached answer now, refresh behind it
    expect(await index.list(root)).toBe(first);
    expect(index.listingCount).toBe(2);
    await vi.waitFor(async () => expect((await index.list(root)).files).toContain('b.txt'));
    expect(index.listingCount).toBe(2);
  });

  it('waits for a new listing once the cached one is older than staleMs', async () => {
    const root = tempTree('a.txt');
    const { index, clock } = makeIndex({ freshMs: 2_000, staleMs: 30_000 });
    await index.list(root);
    touch(root, 'b.txt');
    clock.now += 30_000;
    expect(sortedFiles(await index.list(root))).toEqual(['a.txt', 'b.txt']);
    expect(index.listingCount).toBe(2);
  });

  it('shares one in-flight listing between concurrent callers', async () => {
    const root = tempTree('a.txt', 'b/c.txt');
    const { index } = makeIndex();
    const results = await Promise.all([index.list(root), index.list(root), index.list(`${root}${path.sep}`)]);
    expect(index.listingCount).toBe(1);
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
  });

  it('does not cache a listing that was in flight when its root was invalidated', async () => {
    const root = tempTree('a.txt');
    const { index } = makeIndex();
    const inFlight = index.list(root);
    index.invalidate(root);
    await inFlight;
    await index.list(root);
    expect(index.listingCount).toBe(2);
  });

  it('keeps the same files array when a refresh finds the same files', async () => {
    const root = tempTree('a.txt');
    const { index, clock } = makeIndex();
    const first = await index.list(root);
    clock.now += 60_000;
    const second = await index.list(root);
    expect(index.listingCount).toBe(2);
    expect(second.files).toBe(first.files);
  });

  it('keeps at most maxRoots roots (least recently used dropped)', async () => {
    const roots = [tempTree('1'), tempTree('2'), tempTree('3')];
    const { index } = makeIndex({ maxRoots: 2 });
    await index.list(roots[0] as string);
    await index.list(roots[1] as string);
    await index.list(roots[0] as string); // touch: roots[1] is now the oldest
    await index.list(roots[2] as string);
    expect(index.listingCount).toBe(3);
    await index.list(roots[0] as string);
    expect(index.listingCount).toBe(3);
    await index.list(roots[1] as string);
    expect(index.listingCount).toBe(4);
  });

  it('clear() drops everything', async () => {
    const root = tempTree('a.txt');
    const { index } = makeIndex();
    await index.list(root);
    index.clear();
    await index.list(root);
    expect(index.listingCount).toBe(2);
  });
});

function sortedFiles(listing: { files: readonly string[] }): string[] {
  return [...listing.files].sort();
}
