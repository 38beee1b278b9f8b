/**
 * Parity cases of the terminal commands: real shells on both sides, the reference's answers and
 * error strings, and bad input (sizes, ids, cwd, oversized input).
 */
import { expect } from 'vitest';
import {
  OUTSIDE,
  WORK,
  deniedWhenRestricted,
  expectError,
  ok,
  type Outcome,
  type ParityCase,
  type PrepareContext,
} from './case.js';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const notFound = expectError(404, 'Terminal session not found');

async function newSession(context: PrepareContext): Promise<string> {
  const created = await context.transport.invoke('create_terminal_session', {
    payload: { cwd: context.materialize(WORK) },
  });
  return created.sessionId;
}

/** Use a fresh session as `sessionId`. */
const withSession = async (context: PrepareContext, args: Record<string, unknown>) => ({
  ...args,
  sessionId: await newSession(context),
});

/** Use a session that has just been closed. */
const withClosedSession = async (context: PrepareContext, args: Record<string, unknown>) => {
  const sessionId = await newSession(context);
  await context.transport.invoke('close_terminal', { sessionId });
  return { ...args, sessionId };
};

/** Session ids are random per side. */
function maskSessionId(outcome: Outcome): Outcome {
  if (!('ok' in outcome)) return outcome;
  const value = outcome.ok as { sessionId?: unknown };
  if (typeof value.sessionId !== 'string') return outcome;
  expect(value.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  return { ok: { ...value, sessionId: '<SESSION>' } };
}

const create = (
  name: string,
  payload: unknown,
  expectation: ParityCase['expect'],
  extra: Partial<ParityCase> = {},
): ParityCase => ({
  name,
  command: 'create_terminal_session',
  args: { payload },
  mask: maskSessionId,
  expect: expectation,
  ...extra,
});

export const terminalCases: ParityCase[] = [
  // -- create_terminal_session -------------------------------------------------------------------
  create(
    'create_terminal_session starts a shell and answers { sessionId, cols, rows }',
    { cwd: WORK, cols: 100, rows: 30 },
    (o) => expect(ok(o)).toEqual({ sessionId: '<SESSION>', cols: 100, rows: 30 }),
  ),
  create('create_terminal_session defaults missing or zero sizes to 80×24', { cwd: WORK, cols: 0 }, (o) =>
    expect(ok(o)).toEqual({ sessionId: '<SESSION>', cols: 80, rows: 24 }),
  ),
  create('create_terminal_session requires cwd', { cols: 80, rows: 24 }, expectError(400, 'cwd is required')),
  create(
    'create_terminal_session refuses a missing cwd',
    { cwd: `${WORK}/missing` },
    expectError(400, 'Invalid working directory'),
  ),
  create(
    'create_terminal_session refuses a cwd that is a file',
    { cwd: `${WORK}/README.md` },
    expectError(400, 'Invalid working directory'),
  ),
  create(
    'create_terminal_session confines cwd to the sandbox',
    { cwd: OUTSIDE },
    deniedWhenRestricted((o) => expect(ok(o)).toMatchObject({ sessionId: '<SESSION>' })),
  ),
  create(
    'create_terminal_session refuses a negative size',
    { cwd: WORK, cols: -1, rows: 24 },
    expectError(400, 'cols must be at least 1'),
  ),
  create(
    'create_terminal_session refuses a fractional size',
    { cwd: WORK, cols: 80, rows: 24.5 },
    expectError(400, 'rows must be an integer'),
  ),
  create(
    'create_terminal_session refuses a huge size',
    { cwd: WORK, cols: 1e9, rows: 24 },
    expectError(400, 'cols must be at most 4096'),
  ),
  create(
    'create_terminal_session refuses a size that is a string',
    { cwd: WORK, cols: '80' },
    expectError(400, 'cols must be a number, not a string'),
  ),
  create(
    'create_terminal_session refuses a payload that is not an object',
    [WORK],
    expectError(400, 'arguments must be a JSON object, not an array'),
  ),

  // -- send_terminal_input -----------------------------------------------------------------------
  {
    name: 'send_terminal_input writes to the shell',
    command: 'send_terminal_input',
    args: { data: 'echo parity\r' },
    prepare: withSession,
    expect: (o) => expect(ok(o)).toEqual({ success: true }),
  },
  {
    name: 'send_terminal_input passes control characters and NUL through',
    command: 'send_terminal_input',
    args: { data: '\u0000\u0003\u001b[A\u007f' },
    prepare: withSession,
    expect: (o) => expect(ok(o)).toEqual({ success: true }),
  },
  {
    name: 'send_terminal_input to an unknown session is 404',
    command: 'send_terminal_input',
    args: { sessionId: UNKNOWN_ID, data: 'x' },
    expect: notFound,
  },
  {
    name: 'send_terminal_input to a closed session is 404',
    command: 'send_terminal_input',
    args: { data: 'x' },
    prepare: withClosedSession,
    expect: notFound,
  },
  {
    name: 'send_terminal_input refuses a malformed session id',
    command: 'send_terminal_input',
    args: { sessionId: '../../etc/passwd', data: 'x' },
    expect: expectError(400, 'Invalid terminal session id'),
  },
  {
    name: 'send_terminal_input refuses a 10 MB input with 413 (each transport names its own limit)',
    command: 'send_terminal_input',
    args: { sessionId: UNKNOWN_ID, data: 'y'.repeat(10 * 1024 * 1024) },
    expect: expectError(413, /^(Request body too large \(limit 100 kB\)|Frame too large \(limit \d+ characters\))$/),
    compareStatusOnly: true,
  },

  // -- resize_terminal ---------------------------------------------------------------------------
  {
    name: 'resize_terminal answers the new size',
    command: 'resize_terminal',
    args: { cols: 120, rows: 40 },
    prepare: withSession,
    expect: (o) => expect(ok(o)).toEqual({ success: true, cols: 120, rows: 40 }),
  },
  {
    name: 'resize_terminal requires both sizes (0 counts as missing)',
    command: 'resize_terminal',
    args: { cols: 0, rows: 40 },
    prepare: withSession,
    expect: expectError(400, 'cols and rows are required'),
  },
  {
    name: 'resize_terminal refuses a negative size',
    command: 'resize_terminal',
    args: { cols: 80, rows: -5 },
    prepare: withSession,
    expect: expectError(400, 'rows must be at least 1'),
  },
  {
    name: 'resize_terminal refuses a fractional size',
    command: 'resize_terminal',
    args: { cols: 100.7, rows: 40 },
    prepare: withSession,
    expect: expectError(400, 'cols must be an integer'),
  },
  {
    name: 'resize_terminal refuses a huge size',
    command: 'resize_terminal',
    args: { cols: 80, rows: 65_536 },
    prepare: withSession,
    expect: expectError(400, 'rows must be at most 4096'),
  },
  {
    name: 'resize_terminal of an unknown session is 404',
    command: 'resize_terminal',
    args: { sessionId: UNKNOWN_ID, cols: 80, rows: 24 },
    expect: notFound,
  },

  // -- close_terminal ----------------------------------------------------------------------------
  {
    name: 'close_terminal hangs the session up',
    command: 'close_terminal',
    args: {},
    prepare: withSession,
    expect: (o) => expect(ok(o)).toEqual({ success: true }),
  },
  {
    name: 'close_terminal of a closed session is 404 (the second close fails, as in the reference)',
    command: 'close_terminal',
    args: {},
    prepare: withClosedSession,
    expect: notFound,
  },
  {
    name: 'close_terminal of an unknown session is 404',
    command: 'close_terminal',
    args: { sessionId: UNKNOWN_ID },
    expect: notFound,
  },
  {
    name: 'close_terminal refuses a malformed session id',
    command: 'close_terminal',
    args: { sessionId: 'x'.repeat(65) },
    expect: expectError(400, 'Invalid terminal session id'),
  },
];
