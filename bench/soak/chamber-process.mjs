/**
 * The soak's server process: exactly what bin/chamber.js runs (the CLI's `main`, signals handled),
 * plus one probe the soak needs from outside: on SIGUSR2 it collects garbage (node runs it with
 * --expose-gc) and prints `SOAK_MEMORY <process.memoryUsage() as JSON>` on stdout, so memory
 * figures are taken after a GC of the very process that served the requests. Plain JavaScript so
 * that it runs the built server (dist) as the CLI does; under `--conditions=source --import tsx`
 * the same import resolves to the TypeScript sources (the test subset).
 */
import { main } from '@chamber/server';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  process.stdout.write(`SOAK_MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
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
