/**
 * Terminal figures: PTY → client throughput over the web transport (our client on the multiplexed
 * SSE stream, and the reference's per-session SSE route) and over IPC frames (the runtime in a
 * child process), each as a ratio to the raw PTY read rate of node-pty measured in the same run;
 * keystroke → echo latency; memory per idle session.
 *
 * Throughput is the characters delivered divided by the time from sending the command to the
 * last `data` event (not to `exit`, which comes after the exit drain), the best of a few rounds
 * so that a neighbour's burst on a shared machine does not decide the figure. A web client runs
 * in its own process, as a browser does; the same client inside the server's process is shown
 * too, and so is the CPU time per MiB of the process that holds the PTY, which load on the
 * machine changes far less than the rates.
 *
 * The CPU ceiling says what the machine allows: the raw runs measure the CPU the rest of the
 * machine spends per MiB of a flood (the `yes | head` producer and the kernel's tty layer, from
 * /proc/stat), and a transport cannot beat its cores divided by that plus its own server and
 * client CPU per MiB. On 2 cores the producer alone takes about one and a half at the raw rate.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createRuntimeAPIs, type ChamberRuntimeAPIs } from '@chamber/client';
import type * as NodePty from '@lydell/node-pty';
import { createServer } from '@chamber/server';
import type { Page } from 'playwright-core';
import { buildWorkspaceFixture } from '../test/support/fixtures.js';
import { repoRoot } from '../test/support/paths.js';
import { openRuntimeOptions, startIpc, startWeb } from '../test/support/transports.js';
import { clientPageDir } from '../test/support/desktop.js';
import { launchChromium } from '../test/support/ui.js';
import { childNamed, processCpuMs, processTreeCpuMs, rssOf } from './proc.js';
import { fmt, percentile } from './stats.js';

export const BYTES = 32 * 1024 * 1024;
const ROUNDS = 5;
/** 32 MiB of 63-character lines (the tty turns each \n into \r\n: 64 bytes a line). */
export const COMMAND = `yes 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz' | head -c ${(BYTES / 64) * 63}`;
const tsxLoader = pathToFileURL(createRequire(path.join(repoRoot, 'package.json')).resolve('tsx')).href;

interface Rate {
  /** Characters (or raw bytes) per second. */
  rate: number;
  /** CPU time of the process holding the PTY, in ms per MiB delivered (NaN when not measured). */
  cpuPerMiB: number;
  /** CPU time of the client's process, in ms per MiB (NaN when it is the server's process too). */
  clientCpuPerMiB: number;
  /** Flow control during the run, when the session is in this process. */
  flow?: { pauses: number; pausedMs: number };
  /** Raw runs: CPU of everything else on the machine (the `yes | head` producer, the kernel's tty work), ms per MiB. */
  producerCpuPerMiB?: number;
}

/**
 * The fastest a transport can go on this machine: its cores divided by the CPU one MiB costs in
 * all (the producer's share, measured in the raw runs, plus the transport's own), never above
 * the raw rate. Bytes per second.
 */
export function cpuCeiling(rawRate: number, producerCpuPerMiB: number, transportCpuPerMiB: number): number {
  return Math.min(rawRate, ((os.availableParallelism() * 1000) / (producerCpuPerMiB + transportCpuPerMiB)) * 2 ** 20);
}

/** Busy CPU time of the whole machine so far, in ms (all cores; /proc/stat counts 10 ms ticks). */
function machineBusyMs(): number {
  const fields = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] as string).trim().split(/\s+/).slice(1, 9);
  const [user, nice, system, , , irq, softirq] = fields.map(Number) as number[];
  return ((user as number) + (nice as number) + (system as number) + (irq as number) + (softirq as number)) * 10;
}

type FlowOf = (sessionId: string) => { pauses: number; pausedMs: number } | undefined;

const wallClock = (): number => performance.timeOrigin + performance.now();

function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

export async function rawPtyRate(cwd: string): Promise<Rate> {
  const pty = createRequire(import.meta.url)('@lydell/node-pty') as typeof NodePty;
  const cpu = process.cpuUsage();
  const machine = machineBusyMs();
  const started = performance.now();
  let bytes = 0;
  let last = started;
  await new Promise<void>((resolve) => {
    const term = pty.spawn('/bin/bash', ['-c', COMMAND], {
      cols: 120,
      rows: 40,
      cwd,
      env: process.env as Record<string, string>,
      encoding: null,
    });
    term.onData((chunk) => {
      bytes += (chunk as unknown as Buffer).length;
      last = performance.now();
    });
    term.onExit(() => resolve());
  });
  const mebibytesRead = bytes / 2 ** 20;
  const readerCpu = cpuMs(process.cpuUsage(cpu));
  return {
    rate: bytes / ((last - started) / 1000),
    cpuPerMiB: readerCpu / mebibytesRead,
    clientCpuPerMiB: Number.NaN,
    producerCpuPerMiB: Math.max(0, machineBusyMs() - machine - readerCpu) / mebibytesRead,
  };
}

/**
 * Characters per second from the shell running `command` to this client, to its last data event.
 * `onStart` runs just before the command is sent (to take CPU readings). Self-contained (only its
 * parameters and globals both Node and a page have), so the desktop benchmark runs the very same
 * function inside the window's page, from its source text.
 */
export async function transportRate(
  apis: ChamberRuntimeAPIs,
  cwd: string,
  command: string,
  onStart?: () => void,
): Promise<{ rate: number; chars: number; sessionId: string }> {
  const { sessionId } = await apis.terminal.createSession({ cwd, cols: 120, rows: 40 });
  let chars = 0;
  let last = 0;
  let connected!: () => void;
  let exited!: () => void;
  const ready = new Promise<void>((r) => (connected = r));
  const done = new Promise<void>((r) => (exited = r));
  const subscription = apis.terminal.connect(sessionId, {
    onEvent(event) {
      if (event.type === 'connected') connected();
      if (event.type === 'data') {
        chars += event.data?.length ?? 0;
        last = performance.now();
      }
      if (event.type === 'exit') exited();
    },
  });
  await ready;
  await new Promise((r) => setTimeout(r, 300)); // let the prompt arrive
  const marked = chars;
  onStart?.();
  const started = performance.now();
  await apis.terminal.sendInput(sessionId, `exec bash -c "${command}"\r`);
  await done;
  subscription.close();
  const delivered = chars - marked;
  return { rate: delivered / ((last - started) / 1000), chars: delivered, sessionId };
}

/**
 * `transportRate` run in a page, from its own source text, against the page's RuntimeAPIs
 * (the desktop window's, or a web page's). `__name` is the helper the TypeScript loader wraps
 * named functions with; the page lacks it.
 */
export type InPageResult = Awaited<ReturnType<typeof transportRate>>;
export const inPageTerminalRate = (cwd: string): string => `(async () => {
  const __name = (fn) => fn;
  const transportRate = ${transportRate.toString()};
  return await transportRate(globalThis.__OPENCHAMBER_RUNTIME_APIS__, ${JSON.stringify(cwd)}, ${JSON.stringify(COMMAND)});
})()`;

/**
 * Our client in a Chromium page served by our server (the web UI's situation): the page's CPU is
 * Chromium's, all its processes.
 */
async function chromiumPageRate(page: Page, cwd: string, browserPid: number, flowOf: FlowOf): Promise<Rate> {
  const cpu = process.cpuUsage();
  const browserCpu = processTreeCpuMs(browserPid);
  const { rate, chars, sessionId } = (await page.evaluate(inPageTerminalRate(cwd))) as InPageResult;
  const mebibytesDelivered = chars / 2 ** 20;
  return {
    rate,
    cpuPerMiB: cpuMs(process.cpuUsage(cpu)) / mebibytesDelivered,
    clientCpuPerMiB: (processTreeCpuMs(browserPid) - browserCpu) / mebibytesDelivered,
    flow: flowOf(sessionId),
  };
}

/**
 * Our client in this process. IPC: the runtime is in the child, whose CPU `cpuOf` reads, and this
 * process is the client's; web: the server is here too (`clientCpu` false).
 */
async function inProcessRate(
  apis: ChamberRuntimeAPIs,
  cwd: string,
  cpuOf: () => number,
  clientCpu: boolean,
  flowOf: FlowOf = () => undefined,
): Promise<Rate> {
  let cpu = 0;
  let ownCpu = process.cpuUsage();
  const { rate, chars, sessionId } = await transportRate(apis, cwd, COMMAND, () => {
    cpu = cpuOf();
    ownCpu = process.cpuUsage();
  });
  const mebibytesDelivered = chars / 2 ** 20;
  return {
    rate,
    cpuPerMiB: (cpuOf() - cpu) / mebibytesDelivered,
    clientCpuPerMiB: clientCpu ? cpuMs(process.cpuUsage(ownCpu)) / mebibytesDelivered : Number.NaN,
    flow: flowOf(sessionId),
  };
}

/** A web client in its own process (bench/terminal-client.ts); the server's CPU is this process's. */
async function childClientRate(
  apis: ChamberRuntimeAPIs,
  baseUrl: string,
  cwd: string,
  mode: 'stream' | 'route',
  flowOf: FlowOf,
): Promise<Rate> {
  const { sessionId } = await apis.terminal.createSession({ cwd, cols: 120, rows: 40 });
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', tsxLoader, path.join(repoRoot, 'bench/terminal-client.ts')],
    {
      cwd,
      env: { ...process.env, CHAMBER_BENCH_CLIENT: JSON.stringify({ baseUrl, sessionId, mode }) },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    messages.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = async (key: string): Promise<Record<string, unknown>> => {
    for (;;) {
      const found = messages.find((message) => key in message);
      if (found) return found;
      await Promise.race([
        new Promise<void>((resolve) => waiters.push(resolve)),
        exited.then(() => Promise.reject(new Error(`bench client exited before "${key}"`))),
      ]);
    }
  };
  try {
    await next('connected');
    await new Promise((r) => setTimeout(r, 300)); // let the prompt arrive
    child.stdin.write('mark\n');
    await next('marked');
    const cpu = process.cpuUsage();
    const started = wallClock();
    await apis.terminal.sendInput(sessionId, `exec bash -c "${COMMAND}"\r`);
    const result = (await next('chars')) as { chars: number; lastDataAt: number; cpuMs: number };
    const { chars, lastDataAt } = result;
    return {
      rate: chars / ((lastDataAt - started) / 1000),
      cpuPerMiB: cpuMs(process.cpuUsage(cpu)) / (chars / 2 ** 20),
      clientCpuPerMiB: result.cpuMs / (chars / 2 ** 20),
      flow: flowOf(sessionId),
    };
  } finally {
    // The client exits by itself after its report; a stuck one is ended.
    const timer = setTimeout(() => child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export const mebibytes = (rate: number) => fmt(rate / 1024 / 1024);

function best(rates: Rate[]): Rate {
  return rates.reduce((a, b) => (b.rate > a.rate ? b : a));
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

export async function benchTerminal(log: (line: string) => void): Promise<void> {
  const fixture = buildWorkspaceFixture('chamber-bench-terminal-');
  const options = openRuntimeOptions(fixture);
  const web = await startWeb(options);
  const ipc = await startIpc(options);
  // The same runtime behind a second server that serves a page holding just the client.
  const pageServer = createServer({ runtime: web.runtime!, staticDir: await clientPageDir() });
  const pageUrl = (await pageServer.listen(0, '127.0.0.1')).url;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    await page.waitForFunction(() => '__OPENCHAMBER_RUNTIME_APIS__' in globalThis);
    const browserPid = childNamed(process.pid, 'chromium');
    const webApis = createRuntimeAPIs(web.transport);
    const ipcApis = createRuntimeAPIs(ipc.transport);
    const ipcPid = ipc.pid;
    const measured: Record<'raw' | 'web' | 'chromium' | 'webSameProcess' | 'route' | 'ipc', Rate[]> = {
      raw: [],
      web: [],
      chromium: [],
      webSameProcess: [],
      route: [],
      ipc: [],
    };
    const ownCpu = () => cpuMs(process.cpuUsage());
    // Sessions that exited stay readable for a while: their flow statistics are final.
    const flowOf: FlowOf = (id) => web.runtime!.terminals.session(id)?.flow;
    for (let round = 0; round < ROUNDS; round++) {
      measured.raw.push(await rawPtyRate(fixture.work));
      measured.web.push(await childClientRate(webApis, web.baseUrl!, fixture.work, 'stream', flowOf));
      measured.chromium.push(await chromiumPageRate(page, fixture.work, browserPid, flowOf));
      measured.route.push(await childClientRate(webApis, web.baseUrl!, fixture.work, 'route', flowOf));
      measured.webSameProcess.push(await inProcessRate(webApis, fixture.work, ownCpu, false, flowOf));
      measured.ipc.push(
        await inProcessRate(
          ipcApis,
          fixture.work,
          () => (ipcPid === undefined ? Number.NaN : processCpuMs(ipcPid)),
          true,
        ),
      );
    }
    const raw = best(measured.raw);
    const mb = (rate: number) => fmt(rate / 1024 / 1024);
    // What this machine allows: its cores divided by the CPU one MiB costs in all (the producer,
    // as measured in the raw runs, plus the server and the client), and never above the raw rate.
    const producer = percentile(
      measured.raw.map((r) => r.producerCpuPerMiB ?? 0).sort((a, b) => a - b),
      50,
    );
    const figure = (label: string, rates: Rate[]) => {
      const { rate, cpuPerMiB, clientCpuPerMiB, flow } = best(rates);
      const client = Number.isNaN(clientCpuPerMiB) ? '' : `, client ${fmt(clientCpuPerMiB, 0)}`;
      const paused = flow ? `; PTY paused ${flow.pauses}× for ${fmt(flow.pausedMs, 0)} ms in all` : '';
      // Each round's rate against the raw rate of the same round: load that comes and goes on a
      // shared machine moves both, so the median of these pairs is the steadier figure.
      const paired = rates.map((r, i) => r.rate / (measured.raw[i] as Rate).rate).sort((a, b) => a - b);
      const ceiling = cpuCeiling(raw.rate, producer, cpuPerMiB + (Number.isNaN(clientCpuPerMiB) ? 0 : clientCpuPerMiB));
      return (
        `${label} ${mb(rate)} MiB/s (ratio ${fmt(rate / raw.rate, 2)}, median of the rounds' ratios ` +
        `${fmt(percentile(paired, 50), 2)}; CPU ms/MiB: server ${fmt(cpuPerMiB, 0)}${client}${paused}; ` +
        `CPU ceiling ${mb(ceiling)} MiB/s = ratio ${fmt(ceiling / raw.rate, 2)}, reached ${fmt((100 * rate) / ceiling, 0)}%)`
      );
    };
    log(
      `throughput (${BYTES / 1024 / 1024} MiB of output, best of ${ROUNDS}, ratio to the best raw rate; "server" is the process holding the PTY): ` +
        `raw node-pty ${mb(raw.rate)} MiB/s (CPU ms/MiB: reader ${fmt(raw.cpuPerMiB, 0)}, the rest of the machine ` +
        `${fmt(producer, 0)}: the producer and the kernel; ${os.availableParallelism()} cores)`,
    );
    log(`  ${figure('web, multiplexed SSE stream', measured.web)}`);
    log(
      `  ${figure("web, multiplexed SSE stream into a Chromium page (client = Chromium's processes)", measured.chromium)}`,
    );
    log(`  ${figure('web, per-session SSE route', measured.route)}`);
    log(`  ${figure('IPC frames (runtime in a child)', measured.ipc)}`);
    log(`  ${figure('web, client in the server process', measured.webSameProcess)}`);
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
    await browser.close();
    await pageServer.close();
    await web.close();
    await ipc.close();
    fs.rmSync(fixture.base, { recursive: true, force: true });
  }
}
