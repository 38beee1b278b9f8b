/**
 * Terminal figures: PTY → client throughput over the web transport (HTTP + the multiplexed SSE
 * stream) and over IPC frames (a child process), each as a ratio to the raw PTY read rate of
 * node-pty measured in the same run; keystroke → echo latency; memory per idle session.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { createRuntimeAPIs, type ChamberRuntimeAPIs } from '@chamber/client';
import type * as NodePty from '@lydell/node-pty';
import { buildWorkspaceFixture } from '../test/support/fixtures.js';
import { startIpc, startWeb } from '../test/support/transports.js';
import { fmt, percentile } from './stats.js';

export const BYTES = 32 * 1024 * 1024;
/** 32 MiB of 63-character lines (the tty turns each \n into \r\n: 64 bytes a line). */
export const COMMAND = `yes 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz' | head -c ${(BYTES / 64) * 63}`;

export async function rawPtyRate(cwd: string): Promise<number> {
  const pty = createRequire(import.meta.url)('@lydell/node-pty') as typeof NodePty;
  const started = performance.now();
  let bytes = 0;
  await new Promise<void>((resolve) => {
    const term = pty.spawn('/bin/bash', ['-c', COMMAND], {
      cols: 120,
      rows: 40,
      cwd,
      env: process.env as Record<string, string>,
      encoding: null,
    });
    term.onData((chunk) => (bytes += (chunk as unknown as Buffer).length));
    term.onExit(() => resolve());
  });
  return bytes / ((performance.now() - started) / 1000);
}

/**
 * Characters per second from the shell running `command` to this client. Self-contained (only its
 * parameters and globals both Node and a page have), so the desktop benchmark runs the very same
 * function inside the window's page, from its source text.
 */
export async function transportRate(apis: ChamberRuntimeAPIs, cwd: string, command: string): Promise<number> {
  const { sessionId } = await apis.terminal.createSession({ cwd, cols: 120, rows: 40 });
  let chars = 0;
  let connected!: () => void;
  let exited!: () => void;
  const ready = new Promise<void>((r) => (connected = r));
  const done = new Promise<void>((r) => (exited = r));
  const subscription = apis.terminal.connect(sessionId, {
    onEvent(event) {
      if (event.type === 'connected') connected();
      if (event.type === 'data') chars += event.data?.length ?? 0;
      if (event.type === 'exit') exited();
    },
  });
  await ready;
  await new Promise((r) => setTimeout(r, 300)); // let the prompt arrive
  const marked = chars;
  const started = performance.now();
  await apis.terminal.sendInput(sessionId, `exec bash -c "${command}"\r`);
  await done;
  const seconds = (performance.now() - started) / 1000;
  subscription.close();
  return (chars - marked) / seconds;
}

async function echoLatency(apis: ChamberRuntimeAPIs, cwd: string, count = 300): Promise<number[]> {
  const { sessionId } = await apis.terminal.createSession({ cwd });
  let waiting: ((text: string) => void) | null = null;
  let ready!: () => void;
  const connected = new Promise<void>((r) => (ready = r));
  const subscription = apis.terminal.connect(sessionId, {
    onEvent(event) {
      if (event.type === 'connected') ready();
      if (event.type === 'data' && waiting) waiting(event.data ?? '');
    },
  });
  await connected;
  await apis.terminal.sendInput(sessionId, 'stty raw -echo; cat -u\r');
  await new Promise((r) => setTimeout(r, 400));
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const key = String.fromCharCode(97 + (i % 26));
    const echoed = new Promise<void>((resolve) => {
      waiting = (text) => {
        if (text.includes(key)) resolve();
      };
    });
    const start = performance.now();
    await apis.terminal.sendInput(sessionId, key);
    await echoed;
    samples.push(performance.now() - start);
    waiting = null;
  }
  subscription.close();
  await apis.terminal.close(sessionId);
  return samples.sort((a, b) => a - b);
}

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

export const mebibytes = (rate: number) => fmt(rate / 1024 / 1024);

export async function benchTerminal(log: (line: string) => void): Promise<void> {
  const fixture = buildWorkspaceFixture('chamber-bench-terminal-');
  const options = {
    homeDir: fixture.home,
    dataDir: fixture.dataDir,
    cwd: fixture.work,
    sandbox: { mode: 'open' as const },
  };
  const web = await startWeb(options);
  const ipc = await startIpc(options);
  try {
    const webApis = createRuntimeAPIs(web.transport);
    const ipcApis = createRuntimeAPIs(ipc.transport);
    const raw = await rawPtyRate(fixture.work);
    const overWeb = await transportRate(webApis, fixture.work, COMMAND);
    const overIpc = await transportRate(ipcApis, fixture.work, COMMAND);
    log(
      `throughput (${BYTES / 1024 / 1024} MiB of output): raw node-pty ${mebibytes(raw)} MiB/s | web ${mebibytes(overWeb)} MiB/s ` +
        `(ratio ${fmt(overWeb / raw, 2)}) | IPC ${mebibytes(overIpc)} MiB/s (ratio ${fmt(overIpc / raw, 2)})`,
    );
    for (const [label, apis] of [
      ['web', webApis],
      ['IPC', ipcApis],
    ] as const) {
      const samples = await echoLatency(apis, fixture.work);
      log(
        `keystroke → echo (${label}, ${samples.length} keys): p50 ${fmt(percentile(samples, 50), 2)} ms p99 ${fmt(percentile(samples, 99), 2)} ms`,
      );
    }
    const runtime = web.runtime!;
    const sessions = 20;
    global.gc?.();
    const before = process.memoryUsage();
    const ids: string[] = [];
    for (let i = 0; i < sessions; i++)
      ids.push((await webApis.terminal.createSession({ cwd: fixture.work })).sessionId);
    await new Promise((r) => setTimeout(r, 1000));
    global.gc?.();
    const after = process.memoryUsage();
    const shells = ids
      .map((id) => runtime.terminals.session(id)?.pid)
      .filter((pid): pid is number => pid !== undefined);
    const shellRss = shells.reduce((sum, pid) => sum + rssOf(pid), 0) / shells.length;
    const kib = (n: number) => fmt(n / 1024, 0);
    log(
      `memory per idle session (${sessions} sessions): server RSS +${kib((after.rss - before.rss) / sessions)} KiB, ` +
        `heap +${kib((after.heapUsed - before.heapUsed) / sessions)} KiB; the shell itself ${kib(shellRss)} KiB RSS`,
    );
    for (const id of ids) await webApis.terminal.close(id);
  } finally {
    await web.close();
    await ipc.close();
    fs.rmSync(fixture.base, { recursive: true, force: true });
  }
}
