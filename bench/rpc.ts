/** Invoke round trip: the same command through HTTP (fetch on loopback) and through IPC frames. */
import { performance } from 'node:perf_hooks';
import { buildWorkspaceFixture, type WorkspaceFixture } from '../test/support/fixtures.js';
import { openRuntimeOptions, startIpc, startWeb, type RunningTransport } from '../test/support/transports.js';
import { fmt, percentile, type Timing } from './stats.js';

export interface InvokeCase {
  label: string;
  command: string;
  args: Record<string, unknown>;
  count: number;
}

export interface LoopTiming extends Timing {
  /** Mean over the whole loop, µs. */
  mean: number;
  /** Mean of the fastest 90% of the calls, µs: robust to a loaded machine's stalls, and not quantised like a median of a coarse clock. */
  trimmed: number;
}

/** Mean of the fastest `keep` share of `samples`. */
export function trimmedMean(samples: readonly number[], keep = 0.9): number {
  const sorted = [...samples].sort((a, b) => a - b).slice(0, Math.max(1, Math.floor(samples.length * keep)));
  return sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
}

/** `count` sequential calls after a warm-up, timed one by one and as a whole, in µs. */
export async function timeLoop(
  fn: () => Promise<unknown>,
  count: number,
  warmup = Math.min(50, count),
): Promise<LoopTiming> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const begin = performance.now();
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    samples.push((performance.now() - start) * 1000);
  }
  const mean = ((performance.now() - begin) * 1000) / count;
  samples.sort((a, b) => a - b);
  return {
    median: percentile(samples, 50),
    p99: percentile(samples, 99),
    samples: count,
    mean,
    trimmed: trimmedMean(samples),
  };
}

/** The HTTP and stdio-IPC baselines on one fixture, and the commands every invoke figure uses. */
export async function startInvokeBaselines(prefix: string) {
  const fixture: WorkspaceFixture = buildWorkspaceFixture(prefix);
  const options = openRuntimeOptions(fixture);
  const web = await startWeb(options);
  const ipc = await startIpc(options);
  const cases: InvokeCase[] = [
    { label: 'get_home_directory', command: 'get_home_directory', args: {}, count: 2000 },
    { label: 'list_directory (220 entries)', command: 'list_directory', args: { path: fixture.work }, count: 300 },
  ];
  const time = (running: RunningTransport, { command, args, count }: InvokeCase): Promise<LoopTiming> =>
    timeLoop(() => (running.transport.invoke as (n: string, a: unknown) => Promise<unknown>)(command, args), count);
  return {
    fixture,
    options,
    cases,
    /** The web server's origin (pages that call it over HTTP load from there). */
    webUrl: web.baseUrl as string,
    http: (c: InvokeCase) => time(web, c),
    ipc: (c: InvokeCase) => time(ipc, c),
    async close() {
      await web.close();
      await ipc.close();
      fixture.cleanup();
    },
  };
}

export async function benchInvoke(log: (line: string) => void): Promise<void> {
  const baselines = await startInvokeBaselines('chamber-bench-rpc-');
  try {
    for (const invokeCase of baselines.cases) {
      const http = await baselines.http(invokeCase);
      const frames = await baselines.ipc(invokeCase);
      log(
        `invoke ${invokeCase.label}: HTTP median ${fmt(http.median)} µs p99 ${fmt(http.p99)} µs | ` +
          `IPC median ${fmt(frames.median)} µs p99 ${fmt(frames.p99)} µs | HTTP/IPC median ratio ${fmt(http.median / frames.median, 2)}`,
      );
    }
  } finally {
    await baselines.close();
  }
}
