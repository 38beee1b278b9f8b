import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger, silentLogger } from '../../src/logger.js';
import { SettingsStore } from '../../src/settings/store.js';

const DEFAULTS = {
  approvedDirectories: [],
  securityScopedBookmarks: [],
  pinnedDirectories: [],
  showReasoningTraces: false,
};
const isRoot = process.getuid?.() === 0;
const fixedNow = () => new Date('2024-05-06T07:08:09.123Z');

let dataDir: string;
let store: SettingsStore;

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'chamber-settings-'));
  store = new SettingsStore({ dataDir, logger: silentLogger });
});

afterEach(async () => {
  await fs.chmod(path.join(dataDir, 'settings.json'), 0o600).catch(() => undefined);
  await fs.rm(dataDir, { recursive: true, force: true });
});

const settingsFile = () => path.join(dataDir, 'settings.json');
const readFileJson = async () => JSON.parse(await fs.readFile(settingsFile(), 'utf8')) as Record<string, unknown>;

describe('SettingsStore', () => {
  it('stores its file at <dataDir>/settings.json', () => {
    expect(store.filePath).toBe(settingsFile());
  });

  it('load answers the defaults for a missing file and creates nothing', async () => {
    expect(await store.load()).toEqual(DEFAULTS);
    expect(await store.readRaw()).toEqual({});
    expect(await fs.readdir(dataDir)).toEqual([]);
  });

  it('the file has no trailing newline and two-space indent, and no temp or lock file is left', async () => {
    await store.save({ themeId: 'flexoki' });
    const text = await fs.readFile(settingsFile(), 'utf8');
    expect(text).toBe(
      JSON.stringify({ themeId: 'flexoki', approvedDirectories: [], securityScopedBookmarks: [] }, null, 2),
    );
    expect(text.endsWith('\n')).toBe(false);
    expect(await fs.readdir(dataDir)).toEqual(['settings.json']);
  });

  it('creates the data directory on first save', async () => {
    const nested = new SettingsStore({ dataDir: path.join(dataDir, 'deep', 'er'), logger: silentLogger });
    await nested.save({ uiFont: 'Inter' });
    expect((await nested.load()).uiFont).toBe('Inter');
  });

  it('save keeps first-seen order when de-duplicating', async () => {
    const saved = await store.save({ pinnedDirectories: ['/c', '/a', '/c', '', '/b', '/a'] });
    expect(saved.pinnedDirectories).toEqual(['/c', '/a', '/b']);
    expect((await readFileJson()).pinnedDirectories).toEqual(['/c', '/a', '/b']);
  });

  it('setting lastDirectory approves it, and homeDirectory too', async () => {
    await store.save({ approvedDirectories: ['/a'] });
    await store.save({ lastDirectory: '/work' });
    const saved = await store.save({ homeDirectory: '/home/me' });
    expect(saved).toMatchObject({ lastDirectory: '/work', homeDirectory: '/home/me' });
    expect(saved.approvedDirectories).toEqual(['/a', '/work', '/home/me']);
  });

  it('an empty save rewrites the file with normalised arrays', async () => {
    await fs.writeFile(
      settingsFile(),
      JSON.stringify({
        approvedDirectories: ['/a', '/a', 1],
        securityScopedBookmarks: 'x',
        pinnedDirectories: ['/p', '/p'],
      }),
    );
    const saved = await store.save({});
    expect(saved).toEqual({ ...DEFAULTS, approvedDirectories: ['/a'], pinnedDirectories: ['/p'] });
    // The file now holds the normalised two arrays; pinnedDirectories on disk is left as found.
    expect(await fs.readFile(settingsFile(), 'utf8')).toBe(
      JSON.stringify(
        { approvedDirectories: ['/a'], securityScopedBookmarks: [], pinnedDirectories: ['/p', '/p'] },
        null,
        2,
      ),
    );
  });

  it('wrong types and unknown keys are dropped but unknown keys already on disk survive', async () => {
    await fs.writeFile(settingsFile(), JSON.stringify({ futureFeature: { on: true }, themeId: 'kept' }));
    const saved = await store.save({ bogus: 1, themeId: 7, useSystemTheme: 'true', showReasoningTraces: true });
    expect(saved).toEqual({ ...DEFAULTS, themeId: 'kept', showReasoningTraces: true });
    const raw = await store.readRaw();
    expect(raw).toMatchObject({ futureFeature: { on: true }, themeId: 'kept', showReasoningTraces: true });
    expect(raw).not.toHaveProperty('bogus');
    expect(await store.load()).not.toHaveProperty('futureFeature');
  });

  it('typographySizes is shallow-merged and re-emitted in fixed order', async () => {
    await store.save({ typographySizes: { micro: '10px', code: '13px' } });
    const saved = await store.save({ typographySizes: { markdown: '15px', code: '14px', meta: 3 } });
    expect(saved.typographySizes).toEqual({ markdown: '15px', code: '14px', micro: '10px' });
    expect(Object.keys(saved.typographySizes ?? {})).toEqual(['markdown', 'code', 'micro']);
  });

  it('a corrupt settings.json is moved aside, logged, and defaults are returned', async () => {
    const logger = createMemoryLogger();
    const logged = new SettingsStore({ dataDir, logger, now: fixedNow });
    await fs.writeFile(settingsFile(), '{"themeId": "half-writ');
    expect(await logged.load()).toEqual(DEFAULTS);

    const movedTo = `${settingsFile()}.corrupt-2024-05-06T07-08-09-123Z`;
    expect(await fs.readFile(movedTo, 'utf8')).toBe('{"themeId": "half-writ');
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ file: settingsFile(), movedTo }) }),
    ]);

    // The next save starts from defaults and the user's old bytes are still there to recover.
    await logged.save({ themeId: 'fresh' });
    expect((await logged.load()).themeId).toBe('fresh');
    expect(await fs.readFile(movedTo, 'utf8')).toBe('{"themeId": "half-writ');
  });

  it('a settings.json holding an array is moved aside, even when found by save', async () => {
    const logger = createMemoryLogger();
    const logged = new SettingsStore({ dataDir, logger, now: fixedNow });
    await fs.writeFile(settingsFile(), '["not", "settings"]');
    expect(await logged.save({ uiFont: 'Inter' })).toEqual({ ...DEFAULTS, uiFont: 'Inter' });
    const entries = (await fs.readdir(dataDir)).sort();
    expect(entries).toEqual(['settings.json', 'settings.json.corrupt-2024-05-06T07-08-09-123Z']);
    expect(logger.lines).toHaveLength(1);
  });

  it('an unreadable settings.json (a directory) makes load and save throw and is left untouched', async () => {
    await fs.mkdir(settingsFile());
    await expect(store.load()).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(store.save({ themeId: 'x' })).rejects.toMatchObject({ code: 'EISDIR' });
    expect((await fs.stat(settingsFile())).isDirectory()).toBe(true);
    expect(await fs.readdir(dataDir)).toEqual(['settings.json']);
  });

  it.skipIf(isRoot)(
    'an unreadable settings.json (chmod 000) makes load throw rather than return defaults',
    async () => {
      await fs.writeFile(settingsFile(), '{"themeId":"mine"}');
      await fs.chmod(settingsFile(), 0o000);
      await expect(store.load()).rejects.toMatchObject({ code: 'EACCES' });
      await expect(store.save({ uiFont: 'x' })).rejects.toMatchObject({ code: 'EACCES' });
      await fs.chmod(settingsFile(), 0o600);
      expect(await fs.readFile(settingsFile(), 'utf8')).toBe('{"themeId":"mine"}');
    },
  );

  it('a save that cannot write throws the fs error', async () => {
    const blocker = path.join(dataDir, 'not-a-dir');
    await fs.writeFile(blocker, '');
    const broken = new SettingsStore({ dataDir: blocker, logger: silentLogger });
    await expect(broken.save({ themeId: 'x' })).rejects.toMatchObject({
      code: expect.stringMatching(/^(ENOTDIR|EEXIST)$/),
    });
  });

  it('100 concurrent partial saves lose no update', async () => {
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.save({ lastDirectory: `/p/${i}` })));
    expect(results).toHaveLength(100);
    const raw = await readFileJson();
    expect(new Set(raw.approvedDirectories as string[])).toEqual(
      new Set(Array.from({ length: 100 }, (_, i) => `/p/${i}`)),
    );
    expect(await fs.readdir(dataDir)).toEqual(['settings.json']);
  });

  it('concurrent saves of different keys all land', async () => {
    await Promise.all([
      store.save({ themeId: 't' }),
      store.save({ uiFont: 'Inter' }),
      store.save({ pinnedDirectories: ['/p'] }),
      store.save({ showReasoningTraces: true }),
      store.save({ typographySizes: { code: '12px' } }),
      store.save({ typographySizes: { meta: '11px' } }),
    ]);
    expect(await store.load()).toEqual({
      ...DEFAULTS,
      themeId: 't',
      uiFont: 'Inter',
      pinnedDirectories: ['/p'],
      showReasoningTraces: true,
      typographySizes: { code: '12px', meta: '11px' },
    });
  });

  it('two SettingsStore instances on the same file serialise their saves', async () => {
    const other = new SettingsStore({ dataDir, logger: silentLogger });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? store : other).save({ lastDirectory: `/s/${i}` })),
    );
    expect((await other.load()).approvedDirectories.length).toBe(40);
  });

  it('a save waits while another process holds settings.json.lock', async () => {
    await fs.writeFile(`${settingsFile()}.lock`, '424242\n');
    let done = false;
    const pending = store.save({ themeId: 'after-lock' }).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(done).toBe(false);
    await expect(fs.access(settingsFile())).rejects.toThrow();
    await fs.rm(`${settingsFile()}.lock`);
    await pending;
    expect((await store.load()).themeId).toBe('after-lock');
  });

  it('a stale lock file older than 10 s is taken over', async () => {
    await fs.writeFile(`${settingsFile()}.lock`, '424242\n');
    const old = new Date(Date.now() - 11_000);
    await fs.utimes(`${settingsFile()}.lock`, old, old);
    await store.save({ themeId: 'recovered' });
    expect((await store.load()).themeId).toBe('recovered');
    expect(await fs.readdir(dataDir)).toEqual(['settings.json']);
  });

  it('two real processes saving concurrently lose no update', async () => {
    const storeModule = fileURLToPath(new URL('../../src/settings/store.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    const child = path.join(dataDir, 'child.mts');
    await fs.writeFile(
      child,
      `import { SettingsStore } from ${JSON.stringify(storeModule)};
const store = new SettingsStore({ dataDir: process.argv[2], logger: { log() {} } });
const tag = process.argv[3];
for (let i = 0; i < 15; i++) await store.save({ lastDirectory: '/' + tag + '/' + i });
`,
    );
    const data = path.join(dataDir, 'shared');
    const run = (tag: string) =>
      promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', child, data, tag], {
        cwd: repoRoot,
      });
    await Promise.all([run('a'), run('b'), run('c')]);
    const approved = (await new SettingsStore({ dataDir: data, logger: silentLogger }).load()).approvedDirectories;
    expect(approved).toHaveLength(45);
    expect(await fs.readdir(data)).toEqual(['settings.json']);
  });
});
