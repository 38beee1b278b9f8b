/**
 * The parity suite: every command of the table through the web transport (HTTP on loopback)
 * and the desktop transport (IPC frames across a child process), in each sandbox mode, against
 * identical fixtures. Both must answer the same; the answer must be the case's expectation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames } from '@chamber/contract';
import type { Transport } from '@chamber/client';
import type { SandboxPolicy } from '@chamber/runtime';
import { buildWorkspaceFixture, relativize, type WorkspaceFixture } from './support/fixtures.js';
import { startIpc, startWeb, type RunningTransport, type SerializableRuntimeOptions } from './support/transports.js';
import { fixtureHooks, parityCases, type Mode, type Outcome } from './parity/index.js';

const modes: Mode[] = ['open', 'roots', 'settings'];

async function outcomeOf(transport: Transport, command: string, args: Record<string, unknown>): Promise<Outcome> {
  try {
    return { ok: await (transport.invoke as (n: string, a: unknown) => Promise<unknown>)(command, args) };
  } catch (error) {
    const { status, message } = error as { status?: unknown; message?: unknown };
    if (typeof status !== 'number') throw error;
    return { error: { status, message: String(message) } };
  }
}

function policyFor(mode: Mode, fixture: WorkspaceFixture, extraRoots: string[]): SandboxPolicy {
  if (mode === 'roots') return { mode: 'roots', roots: [fixture.work, fixture.repo, ...extraRoots] };
  return { mode };
}

function seed(mode: Mode, fixture: WorkspaceFixture, extraRoots: string[]): void {
  if (mode !== 'settings') return;
  const settings = { lastDirectory: fixture.work, approvedDirectories: [fixture.work, fixture.repo, ...extraRoots] };
  fs.writeFileSync(path.join(fixture.dataDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Desktop-style argument with the relativised fixture paths turned back into real ones. */
function materialize<T>(value: T, base: string): T {
  if (typeof value === 'string') return value.split('<BASE>').join(base) as T;
  if (Array.isArray(value)) return value.map((v) => materialize(v, base)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, materialize(v, base)])) as T;
  }
  return value;
}

describe.each(modes)('parity in the %s sandbox', (mode) => {
  const sides: { label: 'web' | 'ipc'; fixture: WorkspaceFixture; running: RunningTransport }[] = [];

  beforeAll(async () => {
    for (const label of ['web', 'ipc'] as const) {
      const fixture = buildWorkspaceFixture(`chamber-parity-${mode}-${label}-`);
      const extraRoots: string[] = [];
      let extraOptions: Partial<SerializableRuntimeOptions> = {};
      for (const hook of fixtureHooks) {
        const added = await hook.prepare(fixture, mode);
        extraRoots.push(...(added.roots ?? []));
        extraOptions = { ...extraOptions, ...added.runtime };
      }
      seed(mode, fixture, extraRoots);
      const options = {
        ...extraOptions,
        homeDir: fixture.home,
        dataDir: fixture.dataDir,
        cwd: fixture.work,
        sandbox: policyFor(mode, fixture, extraRoots),
      };
      const running = label === 'web' ? await startWeb(options) : await startIpc(options);
      sides.push({ label, fixture, running });
    }
  });

  afterAll(async () => {
    for (const side of sides) {
      await side.running.close();
      side.fixture.cleanup();
    }
  });

  for (const testCase of parityCases.filter((c) => !c.modes || c.modes.includes(mode))) {
    it(testCase.name, async () => {
      const outcomes: Outcome[] = [];
      for (const side of sides) {
        const base = side.fixture.base;
        const { transport } = side.running;
        const call = (command: string, args: Record<string, unknown>) =>
          outcomeOf(transport, command, materialize(args, base));
        const single = async () => {
          let args = materialize(testCase.args, base);
          if (testCase.prepare) {
            args = await testCase.prepare({ transport, materialize: (value) => materialize(value, base) }, args);
          }
          return outcomeOf(transport, testCase.command, args);
        };
        const outcome = normalize(relativize(testCase.run ? await testCase.run(call) : await single(), base));
        outcomes.push(testCase.mask ? testCase.mask(outcome) : outcome);
      }
      const [web, ipc] = outcomes as [Outcome, Outcome];
      if (testCase.compareStatusOnly) {
        expect(statusOf(ipc)).toBe(statusOf(web));
      } else {
        expect(ipc).toEqual(web);
      }
      testCase.expect(web, mode);
      testCase.expect(ipc, mode);
    });
  }
});

afterAll(async () => {
  for (const hook of fixtureHooks) await hook.close?.();
});

describe('parity coverage', () => {
  it('every command of the table has at least one parity case', () => {
    const covered = new Set(parityCases.map((c) => c.command));
    expect(commandNames.filter((name) => !covered.has(name))).toEqual([]);
  });
});

function statusOf(outcome: Outcome): number {
  return 'error' in outcome ? outcome.error.status : 200;
}

/** Modification times of directories the suite itself changed differ between the two copies. */
function normalize(outcome: Outcome): Outcome {
  if (!('ok' in outcome) || !outcome.ok || typeof outcome.ok !== 'object') return outcome;
  const value = outcome.ok as { entries?: { modifiedTime: number | null; isDirectory: boolean }[] };
  if (!Array.isArray(value.entries)) return outcome;
  return {
    ok: {
      ...value,
      entries: value.entries.map((e) => (e.isDirectory && e.modifiedTime !== null ? { ...e, modifiedTime: -1 } : e)),
    },
  };
}
