/**
 * The soak's server process: exactly what bin/chamber.js runs (the CLI's `main`, signals handled),
 * plus one probe the soak needs from outside: on SIGUSR2 it collects garbage (node runs it with
 * --expose-gc) and prints `SOAK_MEMORY <process.memoryUsage() as JSON>` on stdout, so memory
 * figures are taken after a GC of the very process that served the requests; `loopDelay` beside
 * them is how late its event loop ran since the previous probe (p50, p99, max in ms). Plain JavaScript so
 * that it runs the built server (dist) as the CLI does; under `--conditions=source --import tsx`
 * the same import resolves to the TypeScript sources (the test subset).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { main } from '@chamber/server';

// How late this server's event loop ran since the last probe: a request waits at least that long.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

process.on('SIGUSR2', () => {
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  const delay = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  loopDelay.reset();
  globalThis.gc?.();
  process.stdout.write(`SOAK_MEMORY ${JSON.stringify({ ...process.memoryUsage(), loopDelay: delay })}\n`);
});

// The soak holds this process's stdin open: when the soak ends, however it ends (a kill, a
// timeout), stdin closes and the server stops the way SIGTERM stops it, so no server outlives it.
process.stdin.on('close', () => {
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(1), 10_000).unref();
});
process.stdin.resume();

const result = await main(process.argv.slice(2), process.env, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
  handleSignals: true,
});
if (result.exitCode !== null) process.exitCode = result.exitCode;
