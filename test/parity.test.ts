/**
 * The parity suite: every command of the table through the web transport (HTTP on loopback),
 * the IPC transport (frames across a child process's stdio) and the real desktop host (the client
 * in a Chromium page, frames over the DevTools pipe, the host inside an empty network namespace
 * where one can be made), in each sandbox mode, against identical fixtures. All must answer the
 * same; the answer must be the case's expectation.
 * Desktop-only commands (no HTTP binding) run on the desktop transports only, and the web
 * transport must refuse them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames, desktopOnlyCommandNames, type CommandName } from '@chamber/contract';
import type { Transport } from '@chamber/client';
import type { SandboxPolicy } from '@chamber/runtime';
import { buildWorkspaceFixture, relativize, type WorkspaceFixture } from './support/fixtures.js';
import { installFakeOs } from './support/fake-os.js';
import { canUnshareNetwork } from './support/desktop.js';
import {
  startIpc,
  startPipe,
  startWeb,
  type RunningTransport,
  type SerializableRuntimeOptions,
} from './support/transports.js';
import { fixtureHooks, parityCases, type Mode, type Outcome, type ParityCase } from './parity/index.js';
import { PICKED_DIRECTORY } from './parity/desktop-only.cases.js';

const modes: Mode[] = ['open', 'roots', 'settings'];
type SideLabel = 'web' | 'ipc' | 'pipe';
const isDesktopOnly = (command: CommandName) => desktopOnlyCommandNames.includes(command);

async function outcomeOf(transport: Transport, command: string, args: Record<string, unknown>): Promise<Outcome> {
  try {
    return { ok: await (transport.invoke as (n: string, a: unknown) => Promise<unknown>)(command, args) };
  } catch (error) {
    const { status, message, detail } = error as { status?: unknown; message?: unknown; detail?: unknown };
    if (typeof status !== 'number') throw error;
    return { error: { status, message: String(message), ...(typeof detail === 'string' && { detail }) } };
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

interface Side {
  label: SideLabel;
  fixture: WorkspaceFixture;
  running: RunningTransport;
  /** Runs in an empty network namespace: cases that reach the test's loopback servers skip it. */
  offline: boolean;
}

async function startSide(mode: Mode, label: SideLabel): Promise<Side> {
  const fixture = buildWorkspaceFixture(`chamber-parity-${mode}-${label}-`);
  const extraRoots: string[] = [];
  let extraOptions: Partial<SerializableRuntimeOptions> = {};
  for (const hook of fixtureHooks) {
    const added = await hook.prepare(fixture, mode);
    extraRoots.push(...(added.roots ?? []));
    extraOptions = { ...extraOptions, ...added.runtime };
  }
  seed(mode, fixture, extraRoots);
  // The desktop-only commands find these first on PATH, as they would the real zenity/notify-send.
  const fakeOs = installFakeOs(path.join(fixture.base, 'fake-os'));
  fakeOs.setPickerAnswer(materialize(PICKED_DIRECTORY, fixture.base));
  const options = {
    ...extraOptions,
    homeDir: fixture.home,
    dataDir: fixture.dataDir,
    cwd: fixture.work,
    sandbox: policyFor(mode, fixture, extraRoots),
  };
  const env = { PATH: fakeOs.path };
  const offline = label === 'pipe' && canUnshareNetwork();
  const running =
    label === 'web'
      ? await startWeb(options)
      : label === 'ipc'
        ? await startIpc(options, { env })
        : await startPipe(options, { env, netns: offline });
  return { label, fixture, running, offline };
}

// Every mode's sides start together, up front: most of the wait is browsers starting.
const starting = new Map<Mode, Promise<Side[]>>();
beforeAll(() => {
  for (const mode of modes) {
    const sides = Promise.allSettled((['web', 'ipc', 'pipe'] as const).map((label) => startSide(mode, label))).then(
      async (results) => {
        const failure = results.find((r) => r.status === 'rejected');
        if (!failure) return results.map((r) => (r as PromiseFulfilledResult<Side>).value);
        // Do not leave the sides that did start running (a driver is its own process group).
        for (const r of results) if (r.status === 'fulfilled') await r.value.running.close();
        throw failure.reason;
      },
    );
    sides.catch(() => undefined); // reported by the mode's own beforeAll
    starting.set(mode, sides);
  }
});

describe.each(modes)('parity in the %s sandbox', (mode) => {
  const sides: Side[] = [];

  beforeAll(async () => {
    sides.push(...(await starting.get(mode)!));
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
      for (const side of sides.filter((s) => runsOn(testCase, s))) {
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
      const [first, ...others] = outcomes as [Outcome, ...Outcome[]];
      for (const other of others) {
        if (testCase.compareStatusOnly) expect(statusOf(other)).toBe(statusOf(first));
        else expect(other).toEqual(first);
      }
      for (const outcome of outcomes) testCase.expect(outcome, mode);
    });
  }
});

/** Desktop-only commands never run on the web side; cases needing the network skip offline sides. */
function runsOn(testCase: ParityCase, side: Side): boolean {
  if (isDesktopOnly(testCase.command) && side.label === 'web') return false;
  return !(testCase.needsNetwork && side.offline);
}

afterAll(async () => {
  for (const hook of fixtureHooks) await hook.close?.();
});

describe('parity coverage', () => {
  it('every command of the table has at least one parity case', () => {
    const covered = new Set(parityCases.map((c) => c.command));
    expect(commandNames.filter((name) => !covered.has(name))).toEqual([]);
  });

  it('a command without an HTTP binding is accepted only as desktop-only: the web transport refuses it', async () => {
    const fixture = buildWorkspaceFixture('chamber-parity-web-refusal-');
    const web = await startWeb({ homeDir: fixture.home, dataDir: fixture.dataDir, cwd: fixture.work });
    try {
      for (const name of desktopOnlyCommandNames) {
        expect(await outcomeOf(web.transport, name, {})).toEqual({
          error: { status: 404, message: `${name} is only available in the desktop app` },
        });
      }
    } finally {
      await web.close();
      fixture.cleanup();
    }
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
