/**
 * Scenario 4: load. K terminals each print M bytes (`head -c M /dev/zero | tr '\0' '%'`: one
 * character the typed command line never shows, so counting it counts the output exactly),
 * followed over the web transport's multiplexed SSE stream (one client per terminal, as K browser
 * tabs would), while API requests arrive at R per second for D seconds. Invariants: every
 * terminal delivers exactly M characters, every API request succeeds, the server lives.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createRuntimeAPIs, createWebTransport } from '@chamber/client';
import {
  KeepAliveRace,
  startConfined,
  buildLayout,
  mib,
  newResult,
  request,
  sleep,
  type Log,
  type ScenarioResult,
} from './harness.js';
import { percentile } from '../stats.js';

export interface LoadOptions {
  terminals: number;
  bytesPerTerminal: number;
  durationMs: number;
  requestsPerSecond: number;
  source?: boolean;
}

interface TerminalRun {
  delivered: number;
  error?: string;
  ms: number;
}

async function floodTerminal(baseUrl: string, cwd: string, bytes: number, timeoutMs: number): Promise<TerminalRun> {
  const apis = createRuntimeAPIs(createWebTransport({ baseUrl }));
  const { sessionId } = await apis.terminal.createSession({ cwd, cols: 120, rows: 40 });
  let delivered = 0;
  let connected!: () => void;
  let exited!: () => void;
  let failed!: (error: Error) => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const done = new Promise<void>((resolve, reject) => {
    exited = resolve;
    failed = reject;
  });
  const subscription = apis.terminal.connect(sessionId, {
    onEvent(event) {
      if (event.type === 'connected') connected();
      if (event.type === 'data') {
        const text = event.data ?? '';
        for (let i = text.indexOf('%'); i !== -1; i = text.indexOf('%', i + 1)) delivered++;
      }
      if (event.type === 'exit') exited();
    },
    onError(error, fatal) {
      if (fatal) failed(error);
    },
  });
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await ready;
    await sleep(300); // the prompt
    await apis.terminal.sendInput(sessionId, `exec bash -c "head -c ${bytes} /dev/zero | tr '\\0' '\\045'"\r`);
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no exit after ${timeoutMs} ms (${delivered} of ${bytes} delivered)`)),
          timeoutMs,
        );
      }),
    ]);
    return { delivered, ms: performance.now() - started };
  } catch (error) {
    return { delivered, error: (error as Error).message, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
    subscription.close();
    await apis.terminal.close(sessionId).catch(() => undefined);
  }
}

export async function soakLoad(options: LoadOptions, log: Log): Promise<ScenarioResult> {
  const result = newResult('load');
  const layout = buildLayout('chamber-soak-load-');
  const server = await startConfined(layout, options.source);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  try {
    const dir = encodeURIComponent(layout.root);
    const targets: [string, string, string?][] = [
      ['GET', '/health'],
      ['GET', `/api/fs/list?path=${dir}`],
      ['GET', '/api/config/settings'],
      ['GET', `/api/git/status?directory=${dir}`],
      ['GET', `/api/fs/search?directory=${dir}&q=read`],
      ['GET', `/api/chamber/fs/read?path=${encodeURIComponent(`${layout.root}/README.md`)}`],
      ['PUT', '/api/config/settings', JSON.stringify({ themeId: 'soak-load' })],
    ];
    const latencies: number[] = [];
    /** By route (method and path, no query): which requests are the slow ones. */
    const byRoute = new Map<string, number[]>();
    const apiErrors: string[] = [];
    let sent = 0;
    let rssPeak = server.rss();
    let keepAliveRetries = 0;
    const send = (method: string, target: string, body: string | undefined, retry: boolean): void => {
      request(server.port, method, target, {
        agent,
        body,
        headers: body ? { 'Content-Type': 'application/json' } : {},
        timeoutMs: 30_000,
        maxBytes: 64 * 1024,
      })
        .then((response) => {
          latencies.push(response.ms);
          const route = `${method} ${target.split('?')[0]}`;
          byRoute.set(route, [...(byRoute.get(route) ?? []), response.ms]);
          if (response.status !== 200)
            apiErrors.push(`${method} ${target} → ${response.status} ${response.text.slice(0, 120)}`);
        })
        .catch((error: Error) => {
          if (error instanceof KeepAliveRace && retry) {
            keepAliveRetries++;
            send(method, target, body, false);
          } else apiErrors.push(`${method} ${target}: ${error.message}`);
        });
    };
    const fire = (): void => {
      const [method, target, body] = targets[sent % targets.length] as [string, string, string?];
      sent++;
      send(method, target, body, true);
    };
    // Where a slow answer waits: the server's event loop (its probe), or this process's own, which
    // also parses every terminal's stream.
    await server.memory();
    const clientLoop = monitorEventLoopDelay({ resolution: 10 });
    clientLoop.enable();
    const started = performance.now();
    // Paced by the clock, not by the timer's ticks: a late tick (this process also reads every
    // terminal) sends what is due, so the rate holds.
    const ticker = setInterval(() => {
      const due = Math.floor((options.requestsPerSecond * (performance.now() - started)) / 1000);
      while (sent < due) fire();
      rssPeak = Math.max(rssPeak, server.rss());
    }, 10);
    const apiDone = sleep(options.durationMs).then(() => clearInterval(ticker));
    const timeoutMs = Math.max(120_000, options.durationMs * 3);
    const terminals = await Promise.all(
      Array.from({ length: options.terminals }, () =>
        floodTerminal(server.url, layout.root, options.bytesPerTerminal, timeoutMs).catch((error: Error) => ({
          delivered: 0,
          error: error.message,
          ms: 0,
        })),
      ),
    );
    const terminalMs = performance.now() - started;
    await apiDone;
    const apiMs = performance.now() - started;
    clientLoop.disable();
    const serverLoop = (await server.memory()).loopDelay;
    // The last requests' answers.
    const deadline = Date.now() + 30_000;
    while (latencies.length + apiErrors.length < sent && Date.now() < deadline) await sleep(20);
    const delivered = terminals.reduce((sum, run) => sum + run.delivered, 0);
    const expected = options.terminals * options.bytesPerTerminal;
    const incomplete = terminals.filter((run) => run.error || run.delivered !== options.bytesPerTerminal);
    latencies.sort((a, b) => a - b);
    log(
      `  ${options.terminals} terminals × ${mib(options.bytesPerTerminal)} MiB in ${(terminalMs / 1000).toFixed(1)} s; ` +
        `${sent} API requests in ${(apiMs / 1000).toFixed(1)} s`,
    );
    Object.assign(result.figures, {
      'terminal bytes expected': expected,
      'terminal bytes delivered': delivered,
      'terminal MiB/s': (delivered / 2 ** 20 / (terminalMs / 1000)).toFixed(1),
      'terminals incomplete': incomplete.length,
      'API requests': sent,
      'API requests/s': (sent / (apiMs / 1000)).toFixed(1),
      'API errors': apiErrors.length,
      'API keep-alive races retried': keepAliveRetries,
      'API p50 ms': percentile(latencies, 50).toFixed(1),
      'API p99 ms': percentile(latencies, 99).toFixed(1),
      'API p50/p99 ms by route': [...byRoute]
        .map(([route, ms]) => {
          const sorted = ms.sort((a, b) => a - b);
          return `${route} ${percentile(sorted, 50).toFixed(1)}/${percentile(sorted, 99).toFixed(1)}`;
        })
        .join('; '),
      'server event-loop delay p50/p99/max ms': `${serverLoop.p50} / ${serverLoop.p99} / ${serverLoop.max}`,
      'soak client event-loop delay p50/p99/max ms': [50, 99]
        .map((p) => (clientLoop.percentile(p) / 1e6).toFixed(1))
        .concat((clientLoop.max / 1e6).toFixed(1))
        .join(' / '),
      'server RSS peak MiB': mib(rssPeak),
      crashes: server.crashed ? 1 : 0,
    });
    for (const run of incomplete.slice(0, 5)) {
      result.violations.push(
        `terminal output incomplete: ${run.delivered} of ${options.bytesPerTerminal}${run.error ? ` (${run.error})` : ''}`,
      );
    }
    for (const error of apiErrors.slice(0, 10)) result.violations.push(`API error: ${error}`);
    if (apiErrors.length > 10) result.violations.push(`API error: … and ${apiErrors.length - 10} more`);
    if (server.crashed) result.violations.push(`crash: ${server.tail.slice(-5).join('\n')}`);
    // Still answering afterwards.
    const health = await request(server.port, 'GET', '/health').catch(() => null);
    if (health?.status !== 200) result.violations.push('the server does not answer /health after the load');
  } finally {
    agent.destroy();
    await server.stop();
    layout.cleanup();
  }
  return result;
}
