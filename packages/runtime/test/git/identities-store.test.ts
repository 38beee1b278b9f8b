import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitIdentityStore } from '../../src/git/identities-store.js';
import { createMemoryLogger } from '../../src/logger.js';

let dataDir: string;
let logger: ReturnType<typeof createMemoryLogger>;
let store: GitIdentityStore;
const profile = (id: string) => ({ id, userName: `User ${id}`, userEmail: `${id}@example.com` });

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-identities-'));
  logger = createMemoryLogger();
  store = new GitIdentityStore({ dataDir, logger, now: () => new Date('2025-01-02T03:04:05.000Z') });
});
afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const file = () => path.join(dataDir, 'git-identities.json');

describe('git-identities.json', () => {
  it('is written as the reference wrote it: { profiles }, two-space JSON, no trailing newline', async () => {
    await store.create(profile('a'));
    const text = fs.readFileSync(file(), 'utf8');
    expect(text.endsWith('}')).toBe(true);
    expect(text).toBe(
      JSON.stringify(
        {
          profiles: [
            {
              id: 'a',
              name: 'User a',
              userName: 'User a',
              userEmail: 'a@example.com',
              sshKey: null,
              color: 'keyword',
              icon: 'branch',
            },
          ],
        },
        null,
        2,
      ),
    );
  });

  it('reads a missing file, and a file without profiles, as no profiles', async () => {
    expect(await store.list()).toEqual([]);
    fs.writeFileSync(file(), '{"other": 1}');
    expect(await store.list()).toEqual([]);
  });

  it('moves a corrupt file aside instead of overwriting it on the next write', async () => {
    fs.writeFileSync(file(), '{"profiles": [ broken');
    expect(await store.list()).toEqual([]);
    const aside = path.join(dataDir, 'git-identities.json.corrupt-2025-01-02T03-04-05-000Z');
    expect(fs.readFileSync(aside, 'utf8')).toBe('{"profiles": [ broken');
    expect(
      logger.lines.some((l) => l.level === 'warn' && l.message === 'Corrupt git identities file moved aside'),
    ).toBe(true);
    await store.create(profile('b'));
    expect((await store.list()).map((p) => p.id)).toEqual(['b']);
  });

  it('treats `null`, non-objects and a non-array `profiles` as corrupt', async () => {
    for (const text of ['null', '[1]', '{"profiles": {"id": "x"}}']) {
      fs.writeFileSync(file(), text);
      expect(await store.list()).toEqual([]);
      expect(fs.existsSync(file())).toBe(false);
    }
    expect(fs.readdirSync(dataDir).filter((n) => n.includes('.corrupt-'))).toHaveLength(3);
  });

  it('loses nothing under concurrent writes', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(profile(`p${i}`))));
    expect((await store.list()).map((p) => p.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`).sort());
  });

  it('merges updates, keeps the id and refuses unknown ids with 400', async () => {
    await store.create(profile('a'));
    expect(await store.update('a', { id: 'b', name: 'Renamed' })).toMatchObject({ id: 'a', name: 'Renamed' });
    await expect(store.update('zz', {})).rejects.toMatchObject({
      status: 400,
      message: 'Profile with ID "zz" not found',
    });
    await expect(store.remove('zz')).rejects.toMatchObject({ status: 400, message: 'Profile with ID "zz" not found' });
  });

  it('keeps only the profile fields of an update, as create does (no __proto__, no extra keys)', async () => {
    const created = await store.create(profile('a'));
    // As a JSON body arrives: `__proto__` is an own property after JSON.parse.
    const updates = JSON.parse(
      '{"__proto__": {"polluted": true}, "extra": [1], "constructor": "x", "name": "Renamed"}',
    );
    const updated = await store.update('a', updates as Record<string, unknown>);
    expect(updated).toEqual({ ...created, name: 'Renamed' });
    expect(Object.keys(updated)).toEqual(Object.keys(created));
    expect(Object.getPrototypeOf(updated)).toBe(Object.prototype);
    const text = fs.readFileSync(file(), 'utf8');
    expect(text).not.toContain('__proto__');
    expect(text).not.toContain('extra');
    expect(text).not.toContain('constructor');
    expect(await store.list()).toEqual([{ ...created, name: 'Renamed' }]);
  });
});
