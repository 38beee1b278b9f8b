/**
 * The desktop pipe: invoke round trips timed *inside the window's page* (client → page binding →
 * DevTools pipe → IpcHost → runtime → back into the page), beside the same commands over HTTP on
 * loopback (from Node, and from a page of the same browser through the same client), over stdio
 * IPC frames, and the pipe's floor (a bare binding round trip: page → DevTools pipe → a host that
 * answers at once → page, no runtime, no client), all measured in this run against identical
 * fixtures; and terminal output throughput into the page (PTY → runtime → IpcHost → pipe → page),
 * as a ratio to the raw PTY read rate measured in the same run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CdpConnection, CdpSession, findBrowser } from '@chamber/desktop';
import { clientPageDir, startDesktopDriver, TEST_BROWSER_ARGS } from '../test/support/desktop.js';
import { processCpuMs, processTreeCpuMs } from './proc.js';
import { startInvokeBaselines } from './rpc.js';
import { fmt, percentile, summarize, trimmedMean } from './stats.js';
import { BYTES, cpuCeiling, inPageTerminalRate, type InPageResult, mebibytes, rawPtyRate } from './terminal.js';

const ROUNDS = 3;
/** Rounds of every invoke figure, interleaved; each figure is the median of its rounds' means. */
const INVOKE_ROUNDS = 3;

/**
 * Sequential invokes in the page, timed with the page's clock: per-call samples and the whole
 * loop, in µs. A page that is not cross-origin isolated gets a 100 µs clock, so the mean over the
 * loop is the precise figure and the per-call samples give the tail.
 */
const IN_PAGE_LOOP = (command: string, args: unknown, count: number, warmup: number) => `(async () => {
  const invoke = (c, a) => globalThis.__OPENCHAMBER_RUNTIME_APIS__.raw.invoke(c, a);
  const args = ${JSON.stringify(args)};
  for (let i = 0; i < ${warmup}; i++) await invoke(${JSON.stringify(command)}, args);
  const samples = [];
  const begin = performance.now();
  for (let i = 0; i < ${count}; i++) {
    const start = performance.now();
    await invoke(${JSON.stringify(command)}, args);
    samples.push((performance.now() - start) * 1000);
  }
  return { samples, totalMicros: (performance.now() - begin) * 1000 };
})()`;

/** The floor: one bare binding call per round trip, answered by the host with one `Runtime.evaluate`. */
const FLOOR_BINDING = '__benchFloorPost';
const FLOOR_LOOP = (count: number, warmup: number) => `(async () => {
  const post = globalThis.${FLOOR_BINDING};
  const pending = new Map();
  let next = 0;
  globalThis.__benchFloorDeliver = (frames) => {
    for (const frame of frames) { const resolve = pending.get(frame.id); pending.delete(frame.id); resolve?.(frame.result); }
  };
  const call = () => new Promise((resolve) => {
    const id = ++next;
    pending.set(id, resolve);
    post(JSON.stringify({ id, command: 'get_home_directory', args: {} }));
  });
  for (let i = 0; i < ${warmup}; i++) await call();
  const samples = [];
  const begin = performance.now();
  for (let i = 0; i < ${count}; i++) {
    const start = performance.now();
    await call();
    samples.push((performance.now() - start) * 1000);
  }
  return { samples, totalMicros: (performance.now() - begin) * 1000 };
})()`;

interface PageLoop {
  samples: number[];
  totalMicros: number;
}

/**
 * A plain headless page of the same browser (no host, no interception), at the web server's
 * origin: it runs the real client over HTTP (the web UI's path), and, through a bare binding
 * answered here at once, the pipe's floor.
 */
async function startBarePage(origin: string) {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-bench-bare-'));
  const child = spawn(
    findBrowser(),
    [
      '--remote-debugging-pipe',
      '--headless=new',
      `--user-data-dir=${profileDir}`,
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-extensions',
      ...TEST_BROWSER_ARGS,
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connection = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  let targetId: string | undefined;
  for (let i = 0; i < 100 && !targetId; i++) {
    const { targetInfos } = await connection.send<{ targetInfos: { targetId: string; type: string }[] }>(
      'Target.getTargets',
    );
    targetId = targetInfos.find((target) => target.type === 'page')?.targetId;
    if (!targetId) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!targetId) throw new Error('The bare browser opened no page');
  const { sessionId } = await connection.send<{ sessionId: string }>('Target.attachToTarget', {
    targetId,
    flatten: true,
  });
  const page = new CdpSession(connection, sessionId);
  page.on<{ name: string; payload: string; executionContextId: number }>('Runtime.bindingCalled', (call) => {
    if (call.name !== FLOOR_BINDING) return;
    const { id } = JSON.parse(call.payload) as { id: number };
    void page.send('Runtime.evaluate', {
      expression: `globalThis.__benchFloorDeliver(${JSON.stringify([{ id, result: null }])})`,
      contextId: call.executionContextId,
      returnByValue: true,
    });
  });
  await page.send('Runtime.enable');
  await page.send('Page.enable');
  await page.send('Runtime.addBinding', { name: FLOOR_BINDING });
  const loaded = new Promise<void>((resolve) => {
    const stop = page.on('Page.loadEventFired', () => (stop(), resolve()));
  });
  await page.send('Page.navigate', { url: `${origin}/health` });
  await loaded;
  const evaluate = async <T>(expression: string): Promise<T> => {
    const answer = await page.send<{ result: { value?: unknown }; exceptionDetails?: { text: string } }>(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
    );
    if (answer.exceptionDetails) throw new Error(answer.exceptionDetails.text);
    return answer.result.value as T;
  };
  // The real client, over HTTP to the origin it was loaded from, exactly as the web UI starts it.
  await evaluate(fs.readFileSync(path.join(await clientPageDir(), 'client.js'), 'utf8'));
  return {
    evaluate,
    async close() {
      await connection.send('Browser.close').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

export async function benchDesktop(log: (line: string) => void): Promise<void> {
  const baselines = await startInvokeBaselines('chamber-bench-desktop-');
  const { fixture, options } = baselines;
  const pipe = await startDesktopDriver({
    ...options,
    dataDir: path.join(fixture.base, 'desktop-data'),
    uiDir: await clientPageDir(),
  });
  try {
    const bare = await startBarePage(baselines.webUrl);
    try {
      for (const invokeCase of baselines.cases) {
        const { label, command, args, count } = invokeCase;
        const figures = { pipe: [] as number[], pageHttp: [] as number[], http: [] as number[], stdio: [] as number[] };
        const floor: number[] = [];
        const tails = { pipe: [] as number[], http: [] as number[] };
        const means = { pipe: [] as number[], http: [] as number[] };
        const httpMedian: number[] = [];
        for (let round = 0; round < INVOKE_ROUNDS; round++) {
          const http = await baselines.http(invokeCase);
          const stdio = await baselines.ipc(invokeCase);
          const loop = await pipe.request<PageLoop>('evaluate', { expression: IN_PAGE_LOOP(command, args, count, 50) });
          const pageHttp = await bare.evaluate<PageLoop>(IN_PAGE_LOOP(command, args, count, 50));
          const bareLoop = await bare.evaluate<PageLoop>(FLOOR_LOOP(count, 50));
          figures.pipe.push(trimmedMean(loop.samples));
          figures.pageHttp.push(trimmedMean(pageHttp.samples));
          figures.http.push(http.trimmed);
          figures.stdio.push(stdio.trimmed);
          floor.push(trimmedMean(bareLoop.samples));
          means.pipe.push(loop.totalMicros / count);
          means.http.push(http.mean);
          httpMedian.push(http.median);
          tails.pipe.push(summarize(loop.samples).p99);
          tails.http.push(http.p99);
        }
        const pipeMean = median(figures.pipe);
        const httpMean = median(figures.http);
        const pageHttpMean = median(figures.pageHttp);
        const floorMean = median(floor);
        log(
          `invoke ${label} (µs per call: mean of the fastest 90%, median of ${INVOKE_ROUNDS} rounds): ` +
            `pipe (in the window) ${fmt(pipeMean)} (mean ${fmt(median(means.pipe))}, p99 ${fmt(median(tails.pipe))}) | ` +
            `HTTP from a page ${fmt(pageHttpMean)} | HTTP from Node ${fmt(httpMean)} (mean ${fmt(median(means.http))}, ` +
            `median ${fmt(median(httpMedian))}, p99 ${fmt(median(tails.http))}) | stdio IPC ${fmt(median(figures.stdio))} | ` +
            `pipe floor (bare binding round trip) ${fmt(floorMean)} | pipe/HTTP(Node) ${fmt(pipeMean / httpMean, 2)} ` +
            `pipe/HTTP(page) ${fmt(pipeMean / pageHttpMean, 2)} floor/HTTP(Node) ${fmt(floorMean / httpMean, 2)} ` +
            `| rounds pipe/HTTP(Node) ${figures.pipe.map((v, i) => fmt(v / (figures.http[i] as number), 2)).join(' ')}`,
        );
      }
    } finally {
      await bare.close();
    }
    const rounds: { raw: number; producer: number; inPage: number; host: number; browser: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { rate: raw, producerCpuPerMiB: producer = 0 } = await rawPtyRate(fixture.work);
      const before = { host: processCpuMs(pipe.info.pid), browser: processTreeCpuMs(pipe.info.browserPid) };
      const { rate: inPage } = await pipe.request<InPageResult>('evaluate', {
        expression: inPageTerminalRate(fixture.work),
      });
      const mib = BYTES / 2 ** 20;
      rounds.push({
        raw,
        producer,
        inPage,
        host: (processCpuMs(pipe.info.pid) - before.host) / mib,
        browser: (processTreeCpuMs(pipe.info.browserPid) - before.browser) / mib,
      });
    }
    const best = rounds.reduce((a, b) => (b.inPage > a.inPage ? b : a));
    const bestRaw = Math.max(...rounds.map((r) => r.raw));
    const ratios = rounds.map((r) => r.inPage / r.raw).sort((a, b) => a - b);
    const producer = percentile(
      rounds.map((r) => r.producer).sort((a, b) => a - b),
      50,
    );
    const ceiling = cpuCeiling(bestRaw, producer, best.host + best.browser);
    log(
      `terminal throughput (${BYTES / 1024 / 1024} MiB of output, best of ${ROUNDS}): raw node-pty ${mebibytes(bestRaw)} MiB/s | ` +
        `pipe (into the window's page) ${mebibytes(best.inPage)} MiB/s (ratio ${fmt(best.inPage / bestRaw, 2)}; ` +
        `median of the rounds' ratios ${fmt(percentile(ratios, 50), 2)}; CPU ms/MiB: host ${fmt(best.host, 0)}, ` +
        `browser ${fmt(best.browser, 0)}, producer ${fmt(producer, 0)}; CPU ceiling ${mebibytes(ceiling)} MiB/s = ratio ` +
        `${fmt(ceiling / bestRaw, 2)}, reached ${fmt((100 * best.inPage) / ceiling, 0)}%)`,
    );
  } finally {
    await pipe.stop();
    await baselines.close();
  }
}
