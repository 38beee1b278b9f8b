/** The IPC host's per-command log lines (the IPC counterpart of the HTTP server's request log). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonLogger, createRuntime, LogFile } from '@chamber/runtime';
import { IpcHost } from '../src/ipc/host.js';

let base: string;
let file: string;

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-ipc-logs-')));
  file = path.join(base, 'data', 'logs', 'desktop.log');
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

describe('per-command log lines', () => {
  it('the IPC host logs each command with its status and duration, never its arguments', async () => {
    const runtime = createRuntime({ homeDir: base, dataDir: path.join(base, 'data'), logFile: file, env: {} });
    const log = new LogFile({ path: file });
    const frames: unknown[] = [];
    const host = new IpcHost({
      runtime,
      send: (frame) => frames.push(frame),
      logger: createJsonLogger((line) => log.write(line)),
    });
    await host.receive({ id: 1, command: 'list_directory', args: { path: path.join(base, 'secret-name') } });
    await host.receive({ id: 2, command: 'get_home_directory' });
    await host.receive({ id: 3, command: 'fetch_desktop_logs' });
    host.close();
    log.close();
    await runtime.close();

    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map(({ level, message, command, status }) => ({ level, message, command, status }))).toEqual([
      { level: 'warn', message: 'command', command: 'list_directory', status: 404 },
      { level: 'info', message: 'command', command: 'get_home_directory', status: 200 },
      { level: 'info', message: 'command', command: 'fetch_desktop_logs', status: 200 },
    ]);
    expect(lines[0]).toMatchObject({ error: 'Directory not found', durationMs: expect.any(Number) });
    expect(JSON.stringify(lines)).not.toContain('secret-name');
    // The third answer is the log itself, holding the two earlier lines.
    const logs = (frames[2] as { result: { fileName: string; content: string } }).result;
    expect(logs.fileName).toBe('desktop.log');
    expect(logs.content.split('\n').filter(Boolean)).toHaveLength(2);
  });
});
