/**
 * Terminal commands (files-terminal-system.md §5, desktop-ipc.md §4.6). Output is not a command:
 * it is the `terminal://<sessionId>` event family (events.ts), carried by the web's multiplexed
 * event stream, by IPC event frames, and by the reference's per-session SSE route (streams.ts).
 */
import type { TerminalCreateResponse, TerminalResizeResponse, TerminalSuccessResponse } from './terminal-types.js';
import { number, object, optional, string, type Infer, type Schema } from '../schema.js';
import { RuntimeError } from '../errors.js';
import { defineCommand, defineStream, pathString } from './define.js';

/** The reference's limits (files-terminal-system.md §5.1, Appendix A). */
export const TERMINAL_MAX_SESSIONS = 20;
export const TERMINAL_IDLE_TIMEOUT_MS = 30 * 60_000;
export const TERMINAL_SWEEP_INTERVAL_MS = 5 * 60_000;
export const TERMINAL_HEARTBEAT_MS = 15_000;
export const TERMINAL_DEFAULT_COLS = 80;
export const TERMINAL_DEFAULT_ROWS = 24;
/** Largest accepted width or height. The PTY's own limit is 65 535; nothing real needs more than this. */
export const TERMINAL_MAX_DIMENSION = 4096;
/**
 * Longest input accepted in one call, in UTF-16 code units. HTTP bodies are capped at 100 kB
 * anyway; the client splits longer pastes into pieces below both limits.
 */
export const TERMINAL_MAX_INPUT_LENGTH = 100 * 1024;

/** Exact error strings of the reference (toasts and the terminal tab depend on them). */
export const TERMINAL_ERRORS = {
  maxSessions: 'Maximum terminal sessions reached',
  cwdRequired: 'cwd is required',
  invalidCwd: 'Invalid working directory',
  notFound: 'Terminal session not found',
  sizeRequired: 'cols and rows are required',
  invalidSessionId: 'Invalid terminal session id',
} as const;

/** Session ids we hand out are UUIDs; the reference's were base-36. Anything else is malformed. */
export const TERMINAL_SESSION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function sessionIdString(): Schema<string> {
  const inner = string({ maxLength: 4096 });
  return {
    optional: false,
    description: 'sessionId',
    parse(value, label) {
      const id = inner.parse(value, label);
      if (!TERMINAL_SESSION_ID_PATTERN.test(id)) throw new RuntimeError(400, TERMINAL_ERRORS.invalidSessionId);
      return id;
    },
  };
}

/**
 * A width or height: a positive integer up to `TERMINAL_MAX_DIMENSION`. Missing, `null`, `0` and
 * `""` count as absent (the reference's `cols || 80` and `!cols` tests), so each command decides
 * what absent means: a default on create, `cols and rows are required` on resize.
 */
export function terminalDimension(): Schema<number | undefined> & { readonly optional: true } {
  const inner = number({ integer: true, min: 1, max: TERMINAL_MAX_DIMENSION });
  return {
    optional: true,
    description: 'integer?',
    parse(value, label) {
      if (value === undefined || value === null || value === 0 || value === '') return undefined;
      return inner.parse(value, label);
    },
  };
}

/** A schema whose members are reported without the wrapper's name (`cwd is required`, not `payload.cwd ...`). */
function unlabelled<S extends Schema<unknown>>(schema: S): Schema<Infer<S>> {
  return { optional: false, description: schema.description, parse: (value) => schema.parse(value, '') as Infer<S> };
}

const createPayload = object({
  // Optional here so the session limit is checked first, as the reference does; the handler
  // answers `cwd is required`.
  cwd: optional(pathString()),
  cols: terminalDimension(),
  rows: terminalDimension(),
});

export type TerminalCreatePayload = Infer<typeof createPayload>;

export const terminalCommands = {
  create_terminal_session: defineCommand<TerminalCreateResponse>()({
    description: "Start the user's login shell on a new PTY in cwd (sizes default to 80×24).",
    // The desktop reference's IPC shape `{ payload: { cwd, cols, rows } }`; over HTTP the whole body.
    args: object({ payload: unlabelled(createPayload) }),
    http: { method: 'POST', path: '/api/terminal/create', args: { payload: { from: 'body-whole' } } },
    fallbackError: 'Failed to create terminal session',
  }),
  send_terminal_input: defineCommand<TerminalSuccessResponse>()({
    description: "Write text to a session's PTY, verbatim (xterm's data: `\\r` for Enter).",
    args: object({
      sessionId: sessionIdString(),
      data: string({ maxLength: TERMINAL_MAX_INPUT_LENGTH, allowNul: true }),
    }),
    http: {
      method: 'POST',
      path: '/api/terminal/:sessionId/input',
      args: { sessionId: { from: 'param', name: 'sessionId' }, data: { from: 'body-text' } },
    },
    fallbackError: 'Failed to write to terminal',
  }),
  resize_terminal: defineCommand<TerminalResizeResponse>()({
    description: "Change a session's PTY size (the shell gets SIGWINCH).",
    args: object({ sessionId: sessionIdString(), cols: terminalDimension(), rows: terminalDimension() }),
    http: {
      method: 'POST',
      path: '/api/terminal/:sessionId/resize',
      args: {
        sessionId: { from: 'param', name: 'sessionId' },
        cols: { from: 'body', name: 'cols' },
        rows: { from: 'body', name: 'rows' },
      },
    },
    fallbackError: 'Failed to resize terminal',
  }),
  close_terminal: defineCommand<TerminalSuccessResponse>()({
    description: "Hang up a session: SIGHUP to every process of the shell's session, then forget it.",
    args: object({ sessionId: sessionIdString() }),
    http: {
      method: 'DELETE',
      path: '/api/terminal/:sessionId',
      args: { sessionId: { from: 'param', name: 'sessionId' } },
    },
    fallbackError: 'Failed to close terminal',
  }),
} as const;

/** The reference's per-session SSE route (§5.3), mounted by the server from streams.ts. */
export const terminalStreams = {
  terminal_stream: defineStream({
    description: "One session's `terminal://<sessionId>` events as SSE (kept for reference clients).",
    args: object({ sessionId: sessionIdString(), since: optional(number({ integer: true, min: 0 })) }),
    http: {
      method: 'GET',
      path: '/api/terminal/:sessionId/stream',
      args: {
        sessionId: { from: 'param', name: 'sessionId' },
        since: { from: 'query', names: ['since'], parse: 'int' },
      },
    },
    subscription: ({ sessionId, since }) => ({ event: `terminal://${sessionId}`, since }),
    heartbeatMs: TERMINAL_HEARTBEAT_MS,
  }),
} as const;
