/**
 * The soak's scenarios in order, their options, and the summary: the figures of each scenario,
 * then every broken invariant. Shared by `npm run soak` (bench/soak/run.ts, full size) and the
 * test subset (test/soak/soak.test.ts, small counts).
 */
import type { Log, ScenarioResult } from './harness.js';
import { soakConcurrency } from './concurrency.js';
import { soakFaults } from './faults.js';
import { soakLoad } from './load.js';
import { soakMemory } from './memory.js';
import { soakForgery } from './forgery.js';
import { soakHostile, type HostileOptions } from './hostile.js';

export interface SoakOptions {
  /** Scenario names to run (all when empty). */
  scenarios: readonly string[];
  /** Run the TypeScript sources rather than the build. */
  source: boolean;
  hostile: HostileOptions;
  concurrency: { settingsSaves: number; commits: number };
  load: { terminals: number; bytesPerTerminal: number; durationMs: number; requestsPerSecond: number };
  memory: { requests: number; streams: number };
  /**
   * The agent scenarios' OpenCode: test/support/fake-opencode.mjs (FAKE_OPENCODE), whose request
   * log is how they prove a forged request never reached the agent.
   */
  opencode: string;
}

type Scenario = (options: SoakOptions, log: Log) => Promise<ScenarioResult>;

export const SCENARIOS: Record<string, Scenario> = {
  hostile: (options, log) => soakHostile({ ...options.hostile, source: options.source }, log),
  forgery: (options, log) => soakForgery({ source: options.source, timeoutMs: options.hostile.timeoutMs }, log),
  concurrency: (options, log) => soakConcurrency({ ...options.concurrency, source: options.source }, log),
  load: (options, log) => soakLoad({ ...options.load, source: options.source }, log),
  faults: (options, log) => soakFaults({ source: options.source }, log),
  memory: (options, log) => soakMemory({ ...options.memory, source: options.source }, log),
  // The same hostile and forgery checks with the agent running (not `--no-opencode`): its
  // routes past the 503, the pass-through, and WebSocket upgrades that reach it.
  'agent-hostile': (options, log) =>
    soakHostile({ ...options.hostile, source: options.source, opencode: options.opencode, agentRoutesOnly: true }, log),
  'agent-forgery': (options, log) =>
    soakForgery({ source: options.source, timeoutMs: options.hostile.timeoutMs, opencode: options.opencode }, log),
};

/** Whether scenario `name` was asked for: by name, `agent` for both agent scenarios, or all when none named. */
export function isWanted(wanted: readonly string[], name: string): boolean {
  return !wanted.length || wanted.includes(name) || (wanted.includes('agent') && name.startsWith('agent-'));
}

export async function runSoak(options: SoakOptions, log: Log): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    if (!isWanted(options.scenarios, name)) continue;
    log(`\n## ${name}`);
    const started = performance.now();
    const result = await scenario(options, log).catch((error: unknown): ScenarioResult => ({
      name,
      figures: {},
      violations: [`scenario failed: ${(error as Error).stack ?? String(error)}`],
      notes: [],
    }));
    result.figures['seconds'] = ((performance.now() - started) / 1000).toFixed(1);
    for (const [key, value] of Object.entries(result.figures)) log(`  ${key}: ${value}`);
    for (const note of result.notes) log(`  note: ${note}`);
    for (const violation of result.violations) log(`  VIOLATION ${violation}`);
    results.push(result);
  }
  return results;
}

/** Prints the summary; true when any invariant broke. */
export function printSummary(results: ScenarioResult[], log: Log): boolean {
  log('\n## summary');
  const total = (key: string) =>
    results.reduce(
      (sum, result) => sum + (typeof result.figures[key] === 'number' ? (result.figures[key] as number) : 0),
      0,
    );
  log(`  escapes: ${total('escapes') + total('accepted')}`);
  log(`  unexplained 5xx: ${total('unexplained 5xx')}`);
  log(`  crashes: ${total('crashes')}`);
  log(`  hangs: ${total('hangs')} (server wedged: ${total('server wedged')})`);
  log(`  lost updates: ${total('lost updates')}`);
  for (const result of results) {
    const extra = Object.entries(result.figures)
      .filter(([key]) => /bytes|requests\/s|errors|RSS|heap|MiB/i.test(key))
      .map(([key, value]) => `${key} ${value}`);
    if (extra.length) log(`  ${result.name}: ${extra.join('; ')}`);
  }
  const broken = results.flatMap((result) => result.violations.map((violation) => `${result.name}: ${violation}`));
  log(broken.length ? `  ${broken.length} invariant violation(s):` : '  all invariants held');
  for (const line of broken) log(`    ${line}`);
  return broken.length > 0;
}
