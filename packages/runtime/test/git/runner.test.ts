/**
 * The git runner, driven through a stand-in `git` executable (a small Node script) where git
 * itself cannot show the behaviour (environment, session, timeouts, floods), and through real git
 * where it can.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLineSplitter, GitRunner, GIT_SPAWN_FAILED } from '../../src/git/runner.js';
import { isAlive } from '../../../../test/support/sockets.js';

const FAKE_GIT = `#!${process.execPath}
const fs = require('node:fs');
const { spawn } = require('node:child_process');
const args = process.argv.slice(2);
// The runner always prepends "-c color.ui=false".
if (args[0] !== '-c' || args[1] !== 'color.ui=false') { console.error('missing -c color.ui=false'); process.exit(3); }
const [command, arg] = args.slice(2);
if (command === 'env') {
  const keys = ['GIT_OPTIONAL_LOCKS', 'LC_ALL', 'GIT_TERMINAL_PROMPT', 'GIT_LITERAL_PATHSPECS', 'GIT_PAGER', 'GIT_EDITOR', 'HOME', 'EXTRA'];
  let tty = true;
  try { fs.openSync('/dev/tty', 'r'); } catch { tty = false; }
  process.stdout.write(JSON.stringify({ env: Object.fromEntries(keys.map((k) => [k, process.env[k]])), tty, cwd: process.cwd() }));
} else if (command === 'hang') {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  fs.writeFileSync(arg, String(child.pid));
  setInterval(() => {}, 1000);
} else if (command === 'flood') {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const write = () => { while (process.stdout.write(chunk)) {} process.stdout.once('drain', write); };
  write();
} else if (command === 'stdin') {
  process.stdin.pipe(process.stdout);
} else if (command === 'progress') {
  process.stderr.write('Phase: 10% (1/10)\\rPhase: 100% (10/10), done.\\nlast line');
  process.stdout.write('out');
} else if (command === 'burst') {
  fs.writeSync(1, Buffer.alloc(1024 * 1024, 'y'));
  process.exit(0);
} else if (command === 'orphan') {
  // A hook's background job: it inherits git's stdout and stderr and outlives git.
  const child = spawn('sleep', ['20'], { stdio: ['ignore', 'inherit', 'inherit'] });
  fs.writeFileSync(arg, String(child.pid));
  process.stdout.write('done');
  process.stderr.write('warning: left a job behind\\n');
  process.exit(3);
} else if (command === 'exit') {
  process.stderr.write('failed\\n');
  process.exit(Number(arg));
}
`;

let dir: string;
let fakeGit: string;

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-runner-')));
  fakeGit = path.join(dir, 'git');
  fs.writeFileSync(fakeGit, FAKE_GIT, { mode: 0o755 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const runner = (options: Partial<ConstructorParameters<typeof GitRunner>[0]> = {}) =>
  new GitRunner({ homeDir: dir, gitPath: fakeGit, ...options });

describe('GitRunner', () => {
  it('runs git with a hardened environment, the runtime home and no controlling terminal', async () => {
    const result = await runner({ env: { EXTRA: 'yes' } }).run(['env'], { cwd: dir });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      env: {
        GIT_OPTIONAL_LOCKS: '0',
        LC_ALL: 'C',
        GIT_TERMINAL_PROMPT: '0',
        GIT_LITERAL_PATHSPECS: '1',
        GIT_PAGER: 'cat',
        GIT_EDITOR: 'true',
        HOME: dir,
        EXTRA: 'yes',
      },
      tty: false,
      cwd: dir,
    });
  });

  it('resolves with the exit code and both outputs instead of throwing on failure', async () => {
    expect(await runner().run(['exit', '7'], { cwd: dir })).toMatchObject({
      exitCode: 7,
      stdout: '',
      stderr: 'failed\n',
    });
  });

  it('kills git and everything it started when the timeout passes', async () => {
    const pidFile = path.join(dir, 'grandchild.pid');
    await expect(runner().run(['hang', pidFile], { cwd: dir, timeoutMs: 500 })).rejects.toMatchObject({
      status: 504,
      message: 'git hang timed out after 1 s',
    });
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    // The whole process group got SIGKILL; give the kernel a moment to reap it.
    for (let i = 0; i < 50 && isAlive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(grandchild)).toBe(false);
  });

  it('bounds stdout, says so, and stops git instead of reading the rest', async () => {
    const result = await runner().run(['flood'], { cwd: dir, maxOutputBytes: 100_000, timeoutMs: 10_000 });
    expect(result.truncated).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBe(100_000);
  });

  it('answers when git exits, not when a process it left behind closes the pipes', async () => {
    const pidFile = path.join(dir, 'orphan.pid');
    const started = Date.now();
    try {
      const result = await runner().run(['orphan', pidFile], { cwd: dir, timeoutMs: 10_000 });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(result).toMatchObject({ exitCode: 3, stdout: 'done', stderr: 'warning: left a job behind\n' });
    } finally {
      process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGKILL');
    }
  });

  it('still reads everything git wrote right before exiting', async () => {
    const result = await runner().run(['burst'], { cwd: dir, timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 0, truncated: false, stdoutBytes: 1024 * 1024 });
    expect(result.stdout).toBe('y'.repeat(1024 * 1024));
  });

  it('writes input to stdin', async () => {
    expect((await runner().run(['stdin'], { cwd: dir, input: 'message\nbody' })).stdout).toBe('message\nbody');
  });

  it('reports stderr lines split on CR and LF, the last unterminated one included', async () => {
    const lines: string[] = [];
    const result = await runner().run(['progress'], { cwd: dir, onStderrLine: (line) => lines.push(line) });
    expect(lines).toEqual(['Phase: 10% (1/10)', 'Phase: 100% (10/10), done.', 'last line']);
    expect(result.stdout).toBe('out');
  });

  it('rejects with the desktop reference message when git cannot be started', async () => {
    await expect(
      runner({ gitPath: path.join(dir, 'no-such-git') }).run(['status'], { cwd: dir }),
    ).rejects.toMatchObject({
      status: 500,
      message: GIT_SPAWN_FAILED,
    });
  });

  it('queues runs beyond maxConcurrent', async () => {
    const limited = runner({ maxConcurrent: 1 });
    const results = await Promise.all([1, 2, 3].map(() => limited.run(['stdin'], { cwd: dir, input: 'x' })));
    expect(results.map((r) => r.stdout)).toEqual(['x', 'x', 'x']);
  });

  it('runs the real git in English whatever the locale', async () => {
    const real = new GitRunner({ homeDir: dir, env: { LANG: 'de_DE.UTF-8' } });
    const result = await real.run(['status'], { cwd: dir });
    expect(result.exitCode).toBe(128);
    expect(result.stderr).toBe('fatal: not a git repository (or any of the parent directories): .git\n');
  });
});

describe('createLineSplitter', () => {
  it('joins lines split across chunks', () => {
    const lines: string[] = [];
    const splitter = createLineSplitter((line) => lines.push(line));
    splitter.push('ab');
    splitter.push('c\r\nde');
    splitter.push('f\n');
    splitter.flush();
    expect(lines).toEqual(['abc', 'def']);
  });
});
