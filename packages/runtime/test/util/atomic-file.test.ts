import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../src/logger.js';
import { readJsonFileOrQuarantine, withFileLock, writeFileAtomic } from '../../src/util/atomic-file.js';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'chamber-atomic-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;
const fixedNow = () => new Date('2024-05-06T07:08:09.123Z');

describe('writeFileAtomic', () => {
  it('creates missing directories, writes the exact bytes and leaves no temp file behind', async () => {
    const file = path.join(dir, 'a', 'b', 'data.json');
    await writeFileAtomic(file, '{"x":1}');
    await writeFileAtomic(file, '{"x":2}');
    expect(await fs.readFile(file, 'utf8')).toBe('{"x":2}');
    expect(await fs.readdir(path.dirname(file))).toEqual(['data.json']);
  });

  it('removes its temp file when the final rename fails (target is a directory)', async () => {
    const file = path.join(dir, 'occupied');
    await fs.mkdir(file);
    await expect(writeFileAtomic(file, 'data')).rejects.toThrow();
    expect(await fs.readdir(dir)).toEqual(['occupied']);
  });

  it('fails without leaving anything when the parent path is a file', async () => {
    await fs.writeFile(path.join(dir, 'plain'), 'x');
    await expect(writeFileAtomic(path.join(dir, 'plain', 'data.json'), 'data')).rejects.toThrow();
    expect(await fs.readdir(dir)).toEqual(['plain']);
  });

  it('leaves the old file byte-identical when the write fails partway (file size limit in a child process)', async () => {
    // A kill or a full disk mid-save must not cost the user the settings they had. RLIMIT_FSIZE
    // makes a real write stop partway, deterministically and wherever the bytes go: a save that
    // truncates and rewrites the target in place loses the old content, a temp + rename cannot.
    const atomicModule = fileURLToPath(new URL('../../src/util/atomic-file.ts', import.meta.url));
    const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
    const file = path.join(dir, 'settings.json');
    const old = `${JSON.stringify({ themeId: 'old-theme', typographySizes: { ui: 14 } }, null, 2)}\n`;
    await fs.writeFile(file, old);
    const child = path.join(dir, 'child.mts');
    await fs.writeFile(
      child,
      `import { writeFileAtomic } from ${JSON.stringify(atomicModule)};
// 8 MiB of settings against a 1 MiB file size limit: the write cannot complete.
await writeFileAtomic(process.argv[2], JSON.stringify({ themeId: 'new-theme', blob: 'x'.repeat(8 * 1024 * 1024) }));
`,
    );
    // dash counts `ulimit -f` in 512-byte blocks: 2048 = 1 MiB, above what tsx caches while loading
    // the modules. Node ignores SIGXFSZ, so the write fails with EFBIG instead of killing the child.
    const run = promisify(execFile)(
      '/bin/sh',
      [
        '-c',
        'ulimit -f 2048 && exec "$@"',
        'sh',
        process.execPath,
        '--conditions=source',
        '--import',
        'tsx',
        child,
        file,
      ],
      { cwd: repoRoot },
    );
    await expect(run).rejects.toMatchObject({ stderr: expect.stringContaining('EFBIG') as unknown });
    expect(await fs.readFile(file, 'utf8')).toBe(old);
    // The failed attempt's temp file is gone too.
    expect((await fs.readdir(dir)).sort()).toEqual(['child.mts', 'settings.json']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const file = path.join(dir, 'private.json');
    await fs.writeFile(file, 'old', { mode: 0o600 });
    await fs.chmod(file, 0o600);
    await writeFileAtomic(file, 'new');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });
});

describe('withFileLock', () => {
  it('runs critical sections one at a time, in FIFO order, and removes the lock file afterwards', async () => {
    const file = path.join(dir, 'f.json');
    const events: string[] = [];
    let active = 0;
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        withFileLock(file, async () => {
          active++;
          expect(active).toBe(1);
          events.push(`start ${i}`);
          await new Promise((resolve) => setTimeout(resolve, 2));
          events.push(`end ${i}`);
          active--;
        }),
      ),
    );
    expect(events).toEqual(Array.from({ length: 10 }, (_, i) => [`start ${i}`, `end ${i}`]).flat());
    await expect(fs.access(`${file}.lock`)).rejects.toThrow();
  });

  it('writes the holder pid into <file>.lock while held', async () => {
    const file = path.join(dir, 'f.json');
    const content = await withFileLock(file, () => fs.readFile(`${file}.lock`, 'utf8'));
    expect(content.trim()).toBe(String(process.pid));
  });

  it('releases the lock when the critical section throws', async () => {
    const file = path.join(dir, 'f.json');
    await expect(withFileLock(file, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(fs.access(`${file}.lock`)).rejects.toThrow();
    expect(await withFileLock(file, async () => 'again')).toBe('again');
  });

  it('waits for a lock held by another process and proceeds once it is released', async () => {
    const file = path.join(dir, 'f.json');
    await fs.writeFile(`${file}.lock`, '999999\n');
    let ran = false;
    const pending = withFileLock(file, async () => {
      ran = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ran).toBe(false);
    await fs.rm(`${file}.lock`);
    await pending;
    expect(ran).toBe(true);
  });

  it('times out with a clear error when the lock is never released', async () => {
    const file = path.join(dir, 'f.json');
    await fs.writeFile(`${file}.lock`, '999999\n');
    await expect(withFileLock(file, async () => 'never', { timeoutMs: 150 })).rejects.toThrow(
      `Timed out waiting for lock on ${file}`,
    );
    // Someone else's lock is left alone.
    expect(await fs.readFile(`${file}.lock`, 'utf8')).toBe('999999\n');
  });

  it('takes over a stale lock file older than 10 s', async () => {
    const file = path.join(dir, 'f.json');
    await fs.writeFile(`${file}.lock`, '999999\n');
    const old = new Date(Date.now() - 11_000);
    await fs.utimes(`${file}.lock`, old, old);
    expect(await withFileLock(file, async () => 'took over', { timeoutMs: 1_000 })).toBe('took over');
    expect(await fs.readdir(dir)).toEqual([]);
  });
});

describe('readJsonFileOrQuarantine', () => {
  it('returns {} for a missing file', async () => {
    const logger = createMemoryLogger();
    expect(await readJsonFileOrQuarantine(path.join(dir, 'nope.json'), logger)).toEqual({ value: {} });
    expect(logger.lines).toEqual([]);
  });

  it('returns the parsed object (a UTF-8 BOM is tolerated)', async () => {
    const file = path.join(dir, 'ok.json');
    await fs.writeFile(file, '\uFEFF{"a": [1, 2]}');
    expect(await readJsonFileOrQuarantine(file, createMemoryLogger(), { expect: 'object' })).toEqual({
      value: { a: [1, 2] },
    });
  });

  it('moves unparsable JSON aside to <file>.corrupt-<timestamp> and logs a warning', async () => {
    const file = path.join(dir, 'bad.json');
    await fs.writeFile(file, '{"truncated": ');
    const logger = createMemoryLogger();
    const result = await readJsonFileOrQuarantine(file, logger, { now: fixedNow, label: 'settings' });
    const movedTo = `${file}.corrupt-2024-05-06T07-08-09-123Z`;
    expect(result).toEqual({ value: {}, quarantinedTo: movedTo });
    expect(await fs.readFile(movedTo, 'utf8')).toBe('{"truncated": ');
    await expect(fs.access(file)).rejects.toThrow();
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatchObject({
      level: 'warn',
      message: 'Corrupt settings file moved aside',
      fields: { file, movedTo },
    });
    expect(String(logger.lines[0]?.fields?.reason)).toMatch(/invalid JSON/);
  });

  it('adds a counter when the quarantine name is already taken', async () => {
    const file = path.join(dir, 'bad.json');
    const taken = `${file}.corrupt-2024-05-06T07-08-09-123Z`;
    await fs.writeFile(taken, 'earlier');
    await fs.writeFile(file, 'garbage');
    const result = await readJsonFileOrQuarantine(file, createMemoryLogger(), { now: fixedNow });
    expect(result.quarantinedTo).toBe(`${taken}-1`);
    expect(await fs.readFile(taken, 'utf8')).toBe('earlier');
  });

  it.each([
    ['an array', '[1, 2]'],
    ['a number', '42'],
    ['a string', '"text"'],
    ['null', 'null'],
  ])('with expect "object", moves aside a file holding %s', async (_label, content) => {
    const file = path.join(dir, 'shape.json');
    await fs.writeFile(file, content);
    const logger = createMemoryLogger();
    const result = await readJsonFileOrQuarantine(file, logger, { now: fixedNow, expect: 'object' });
    expect(result.value).toEqual({});
    expect(result.quarantinedTo).toBeDefined();
    expect(await fs.readFile(result.quarantinedTo ?? '', 'utf8')).toBe(content);
    expect(String(logger.lines[0]?.fields?.reason)).toMatch(/expected a JSON object/);
  });

  it('throws, rather than returning {}, when the path cannot be read as a file', async () => {
    const file = path.join(dir, 'is-a-dir.json');
    await fs.mkdir(file);
    await expect(readJsonFileOrQuarantine(file, createMemoryLogger())).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it.skipIf(isRoot)('throws EACCES for an unreadable file and leaves it in place', async () => {
    const file = path.join(dir, 'locked.json');
    await fs.writeFile(file, '{"a":1}');
    await fs.chmod(file, 0o000);
    await expect(readJsonFileOrQuarantine(file, createMemoryLogger())).rejects.toMatchObject({ code: 'EACCES' });
    await fs.chmod(file, 0o600);
    expect(await fs.readFile(file, 'utf8')).toBe('{"a":1}');
  });
});
