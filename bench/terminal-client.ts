/**
 * A terminal client in its own process, the way a browser is one: it follows one session over the
 * web transport and reports what it received, so the server's event loop does only the server's
 * work. Options come as JSON in CHAMBER_BENCH_CLIENT: `{ baseUrl, sessionId, mode }`, where mode
 * `stream` is our client (the multiplexed SSE stream, acknowledging every event) and `route` reads
 * the reference's per-session SSE route (`GET /api/terminal/:id/stream`, socket back-pressure).
 *
 * Lines on stdout: `{"connected":true}`; after a `mark` line on stdin, `{"marked":true}` (counting
 * starts there); after `exit`, `{"chars":n,"lastDataAt":ms,"cpuMs":n}`: a wall-clock time shared
 * with the parent (`performance.timeOrigin + performance.now()`) and this process's CPU time since
 * the mark.
 */
import readline from 'node:readline';
import { performance } from 'node:perf_hooks';
import { createRuntimeAPIs, createWebTransport, readSseStream } from '@chamber/client';

interface ClientOptions {
  baseUrl: string;
  sessionId: string;
  mode: 'stream' | 'route';
}

const options = JSON.parse(process.env.CHAMBER_BENCH_CLIENT ?? '{}') as ClientOptions;
const now = (): number => performance.timeOrigin + performance.now();
const report = (message: object): void => void process.stdout.write(`${JSON.stringify(message)}\n`);

let counting = false;
let chars = 0;
let lastDataAt = 0;
let exited = false;
let cpuAtMark = process.cpuUsage();

function onEvent(event: { type?: string; data?: string }): void {
  if (event.type === 'connected') report({ connected: true });
  else if (event.type === 'data' && counting) {
    chars += event.data?.length ?? 0;
    lastDataAt = now();
  } else if (event.type === 'exit' && !exited) {
    exited = true;
    const cpu = process.cpuUsage(cpuAtMark);
    report({ chars, lastDataAt, cpuMs: (cpu.user + cpu.system) / 1000 });
    // Flushes stdout first: a pipe's pending writes complete before the process exits.
    process.exitCode = 0;
    setImmediate(() => process.exit());
  }
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'mark') return;
  counting = true;
  cpuAtMark = process.cpuUsage();
  report({ marked: true });
});

if (options.mode === 'stream') {
  createRuntimeAPIs(createWebTransport({ baseUrl: options.baseUrl })).terminal.connect(options.sessionId, {
    onEvent,
  });
} else {
  const response = await fetch(`${options.baseUrl}/api/terminal/${encodeURIComponent(options.sessionId)}/stream`, {
    headers: { Accept: 'text/event-stream' },
  });
  if (!response.ok || !response.body) throw new Error(`stream route answered ${response.status}`);
  await readSseStream(response.body, (message) => onEvent(JSON.parse(message.data) as { type?: string }));
}
