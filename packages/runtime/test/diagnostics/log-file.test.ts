/** The desktop log file: appends, rotation, and what fetch_desktop_logs answers. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogFile, readDesktopLogs } from '../../src/index.js';

let base: string;
let file: string;

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-logs-')));
  file = path.join(base, 'data', 'logs', 'desktop.log');
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

describe('LogFile', () => {
  it('creates its directory and appends lines in order', async () => {
    const log = new LogFile({ path: file });
    log.write('one\n');
    log.write('two\n');
    log.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('one\ntwo\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotates to desktop.log.1 past its limit and the download carries both, oldest first', async () => {
    const log = new LogFile({ path: file, maxBytes: 10 });
    for (const line of ['aaaa\n', 'bbbb\n', 'cccc\n']) log.write(line);
    log.close();
    expect(fs.readFileSync(`${file}.1`, 'utf8')).toBe('aaaa\nbbbb\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('cccc\n');
    expect(await readDesktopLogs(file)).toEqual({ fileName: 'desktop.log', content: 'aaaa\nbbbb\ncccc\n' });
  });

  it('never throws, even when the log directory cannot be created', () => {
    fs.writeFileSync(path.join(base, 'blocker'), '');
    const log = new LogFile({ path: path.join(base, 'blocker', 'desktop.log') });
    expect(() => log.write('lost\n')).not.toThrow();
  });
});

describe('readDesktopLogs', () => {
  it('answers an empty log before anything was written', async () => {
    expect(await readDesktopLogs(file)).toEqual({ fileName: 'desktop.log', content: '' });
  });

  it('decodes a torn character leniently instead of failing', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.from([0x6f, 0x6b, 0x0a, 0xe2, 0x82]));
    expect((await readDesktopLogs(file)).content).toBe('ok\n\ufffd');
  });

  it('keeps the newest 2 MiB, starting at a line', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const line = `${'x'.repeat(1023)}\n`;
    fs.writeFileSync(file, `first\n${line.repeat(3 * 1024)}last\n`);
    const { content } = await readDesktopLogs(file);
    expect(content.length).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(content.startsWith('x')).toBe(true);
    expect(content.endsWith('last\n')).toBe(true);
  });

  it('reports what it cannot read with the reference prefix', async () => {
    fs.mkdirSync(file, { recursive: true }); // a directory where the file should be
    await expect(readDesktopLogs(file)).rejects.toMatchObject({
      status: 500,
      message: expect.stringMatching(/^Failed to read log file: EISDIR/),
    });
  });
});
