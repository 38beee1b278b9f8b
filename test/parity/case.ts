/**
 * What a parity case is, and the helpers every subsystem's cases share. Each case runs on the web
 * transport (HTTP) and the desktop transport (IPC frames in a child process) against identical
 * fixture copies; the suite asserts both outcomes are identical and that they are what the case
 * expects.
 */
import type { CommandName } from '@chamber/contract';
import type { Transport } from '@chamber/client';
import { expect } from 'vitest';
import type { WorkspaceFixture } from '../support/fixtures.js';
import type { SerializableRuntimeOptions } from '../support/transports.js';

export type Mode = 'open' | 'roots' | 'settings';
/** A failure's `detail` (the runtime's explanation beside the exact message) is compared too, when sent. */
export type Outcome = { ok: unknown } | { error: { status: number; message: string; detail?: string } };

/** Paths as they appear after relativize(): the fixture base becomes <BASE>. */
export const HOME = '<BASE>/home';
export const WORK = `${HOME}/work`;
export const REPO = `${HOME}/repo`;
export const OUTSIDE = '<BASE>/outside';

export interface ParityCase {
  name: string;
  command: CommandName;
  args: Record<string, unknown>;
  /** Modes the case runs in (default: all). */
  modes?: readonly Mode[];
  /** What both transports must answer; a function gets the mode for mode-dependent answers. */
  expect: (outcome: Outcome, mode: Mode) => void;
  /** Compare only the status across transports (the message names a per-transport limit). */
  compareStatusOnly?: boolean;
  /**
   * The case reaches a server the test runs on loopback (e.g. the AI endpoint): a side running in
   * an empty network namespace (the offline desktop host) skips it.
   */
  needsNetwork?: boolean;
  /**
   * Several calls as one case (e.g. concurrent commits, then the log): `call` runs one command on
   * the side under test (with `<BASE>` paths materialised); the returned outcome is compared and
   * checked like a single call's. Without it the case is the one call `command(args)`.
   */
  run?: (call: (command: CommandName, args: Record<string, unknown>) => Promise<Outcome>) => Promise<Outcome>;
  /**
   * Arguments that depend on state made on each side (e.g. a session created first): receives the
   * materialised `args` and returns the ones to send.
   */
  prepare?: (context: PrepareContext, args: Record<string, unknown>) => Promise<Record<string, unknown>>;
  /** Replace per-side values (generated ids) before the two outcomes are compared and checked. */
  mask?: (outcome: Outcome) => Outcome;
}

/**
 * A subsystem's addition to every fixture copy (both sides, every mode): extra content, roots the
 * sandboxed modes must approve, runtime options. `close` runs once after the whole suite.
 */
export interface FixtureHook {
  prepare(
    fixture: WorkspaceFixture,
    mode: Mode,
  ): Promise<{ roots?: string[]; runtime?: Partial<SerializableRuntimeOptions> }>;
  close?(): Promise<void>;
}

export interface PrepareContext {
  transport: Transport;
  /** Turns `<BASE>` paths into this side's fixture paths. */
  materialize<T>(value: T): T;
}

export const restricted = (mode: Mode) => mode !== 'open';

export function expectError(status: number, message: string | RegExp) {
  return (outcome: Outcome) => {
    expect(outcome).toHaveProperty('error');
    const { error } = outcome as { error: { status: number; message: string } };
    expect(error.status).toBe(status);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  };
}

export function ok<T>(outcome: Outcome): T {
  if (!('ok' in outcome)) throw new Error(`expected success, got ${JSON.stringify(outcome)}`);
  return outcome.ok as T;
}

export const denied = expectError(403, 'Access to directory denied');

/** Allowed in the open sandbox, denied when restricted. */
export function deniedWhenRestricted(check: (outcome: Outcome) => void) {
  return (outcome: Outcome, mode: Mode) => (restricted(mode) ? denied(outcome) : check(outcome));
}
