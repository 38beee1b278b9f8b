/**
 * `npm run soak`: the reliability suite. Real Chamber servers (the built CLI in child processes,
 * real git repositories, real PTYs, temp HOME and data directories) under hostile input, forged
 * headers, concurrency, load, faults and many requests; it prints figures and a summary, and
 * exits non-zero when an invariant broke. Not a timed test: test/soak/soak.test.ts runs the same
 * scenarios with small counts inside `npm test`.
 *
 *   npm run soak                         # everything, full size
 *   npm run soak -- load memory          # some scenarios: hostile forgery concurrency load faults memory
 *                                        #   agent-hostile agent-forgery (`agent`: both)
 *   npm run soak -- --duration 10 --terminals 4 --mb 2 --requests 10000 --streams 1000
 *
 * Sizes also come from the environment: SOAK_DURATION (s), SOAK_TERMINALS, SOAK_MB (per
 * terminal), SOAK_RATE (API requests/s during the load), SOAK_REQUESTS and SOAK_STREAMS (memory
 * scenario: plain requests, SSE open/close cycles), SOAK_VALUES (hostile values per argument; all
 * by default). SOAK_DEBUG=1 prints the hostile
 * scenario's progress (requests in flight every 5 s) and every unexplained 5xx as it comes.
 */
import { FAKE_OPENCODE } from './harness.js';
import { printSummary, runSoak, type SoakOptions } from './suite.js';

function flag(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

function number(name: string, env: string, fallback: number): number {
  const text = flag(name) ?? process.env[env];
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} / ${env} must be a positive number, not ${text}`);
  return value;
}

const valued = new Set(['duration', 'terminals', 'mb', 'rate', 'requests', 'streams', 'values']);
const wanted = process.argv
  .slice(2)
  .filter((arg, i, all) => !arg.startsWith('-') && !valued.has(all[i - 1]?.slice(2) ?? ''));
const valuesText = flag('values') ?? process.env.SOAK_VALUES;

const options: SoakOptions = {
  scenarios: wanted,
  source: false,
  hostile: {
    concurrency: 6,
    timeoutMs: 20_000,
    valuesPerArg: valuesText === undefined ? undefined : Number(valuesText),
  },
  concurrency: { settingsSaves: 100, commits: 24 },
  load: {
    terminals: number('terminals', 'SOAK_TERMINALS', 20),
    bytesPerTerminal: Math.round(number('mb', 'SOAK_MB', 10) * 1024 * 1024),
    durationMs: number('duration', 'SOAK_DURATION', 60) * 1000,
    requestsPerSecond: number('rate', 'SOAK_RATE', 100),
  },
  memory: {
    requests: number('requests', 'SOAK_REQUESTS', 60_000),
    streams: number('streams', 'SOAK_STREAMS', 5_000),
  },
  opencode: FAKE_OPENCODE,
};

console.log(`Chamber soak — node ${process.version}, ${new Date().toISOString()}`);
const results = await runSoak(options, (line) => console.log(line));
const failed = printSummary(results, (line) => console.log(line));
process.exit(failed ? 1 : 0);
