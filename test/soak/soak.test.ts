/**
 * The soak's bounded subset (`npm run soak` is the full run, bench/soak/): the same scenarios
 * against real Chamber servers (child processes running the build when it is current, else the
 * sources; real git repositories, real PTYs), with small counts. Each test asserts its scenario's invariants and prints its figures.
 */
import { describe, expect, it } from 'vitest';
import { FAKE_OPENCODE, builtServerIsCurrent, type ScenarioResult } from '../../bench/soak/harness.js';
import { KNOWN_DEFECTS } from '../../bench/soak/known-defects.js';
import { SCENARIOS, type SoakOptions } from '../../bench/soak/suite.js';

const options: SoakOptions = {
  scenarios: [],
  // The build when it is current (npm test builds first), else the sources: same code, faster starts.
  source: !builtServerIsCurrent(),
  // The first seven hostile values cover each family: traversal, absolute, symlink, NUL, a
  // 300-byte component, a wrong JSON type, a smuggled git option (malformed bodies come on top).
  hostile: { concurrency: 6, timeoutMs: 15_000, valuesPerArg: 7, avoidKnownDefects: true },
  concurrency: { settingsSaves: 30, commits: 8 },
  load: { terminals: 3, bytesPerTerminal: 256 * 1024, durationMs: 3_000, requestsPerSecond: 100 },
  memory: { requests: 3_000, streams: 300 },
  opencode: FAKE_OPENCODE,
};

async function run(name: string): Promise<ScenarioResult> {
  const lines: string[] = [];
  const result = await (SCENARIOS[name] as (typeof SCENARIOS)[string])(options, (line) => lines.push(line));
  const figures = Object.entries(result.figures).map(([key, value]) => `  ${key}: ${value}`);
  console.log(
    [
      `soak ${name} (${options.source ? 'sources' : 'build'}):`,
      ...lines,
      ...figures,
      ...result.notes.map((note) => `  note: ${note}`),
    ].join('\n'),
  );
  return result;
}

describe('soak (bounded subset of npm run soak)', () => {
  it('hostile paths and bodies on every route: no unexplained 5xx, hang, crash or escape, open and confined', async () => {
    const result = await run('hostile');
    expect(result.violations).toEqual([]);
    expect(result.figures.requests).toBeGreaterThan(1000);
  }, 120_000);

  it('forged Host and Origin headers are refused with 403 on every route and every WebSocket upgrade', async () => {
    const result = await run('forgery');
    expect(result.violations).toEqual([]);
    expect(result.figures.accepted).toBe(0);
    expect(result.figures['forged upgrades']).toBeGreaterThan(50);
  }, 60_000);

  it('agent on (fake OpenCode): forged requests and upgrades never reach it; the legitimate upgrade is spliced', async () => {
    const result = await run('agent-forgery');
    expect(result.violations).toEqual([]);
    expect(result.figures.accepted).toBe(0);
    expect(result.figures['legitimate upgrade /api/ws']).toMatch(/^101, echo/);
  }, 60_000);

  it("agent on (fake OpenCode): hostile values on the agent's routes and the pass-through", async () => {
    const result = await run('agent-hostile');
    expect(result.violations).toEqual([]);
  }, 120_000);

  it('concurrent settings saves lose nothing; concurrent commits each land alone, fsck clean, no index.lock', async () => {
    const result = await run('concurrency');
    expect(result.violations).toEqual([]);
    expect(result.figures['lost updates']).toBe(0);
  }, 60_000);

  it('terminal floods arrive complete while API requests keep succeeding', async () => {
    const result = await run('load');
    expect(result.violations).toEqual([]);
    expect(result.figures['terminal bytes delivered']).toBe(result.figures['terminal bytes expected']);
  }, 90_000);

  it('faults: a killed git, a full disk, a corrupt settings file and restarts with open streams', async () => {
    const result = await run('faults');
    expect(result.violations).toEqual([]);
  }, 90_000);

  // Found by the soak, not fixed yet: `npm run soak` keeps attacking them, this subset leaves them out.
  for (const defect of KNOWN_DEFECTS) it.todo(`known defect: ${defect.title}`);

  it('memory stays bounded over many small requests and SSE open/close cycles, no stream left (figures printed)', async () => {
    const result = await run('memory');
    expect(result.violations).toEqual([]);
  }, 90_000);
});
