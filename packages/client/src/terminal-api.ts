/**
 * `RuntimeAPIs.terminal` over any transport. Output is the `terminal://<sessionId>` event family:
 * the subscription starts at position 0 (everything the session still keeps, so the first prompt
 * is never lost), the transport resumes it after reconnections from the last position delivered
 * (nothing lost, nothing repeated) and acknowledges each chunk once the handler is done with it
 * (flow control: return a promise from `onEvent` to acknowledge only what was rendered).
 *
 * The reference's `reconnecting` / `connected` events with attempt counters remain for the one
 * case where they mean something: the session is gone (the server restarted). The UI then shows
 * `Reconnecting (n/3)...`, and after the last attempt gets a fatal error and opens a new session.
 */
import {
  TERMINAL_DEFAULT_COLS,
  TERMINAL_DEFAULT_ROWS,
  type Subscription,
  type TerminalAPI,
  type TerminalHandlers,
  type TerminalServerEvent,
  type TerminalStreamOptions,
} from '@chamber/contract';
import { RuntimeCallError } from './errors.js';
import type { Transport } from './transport.js';

/**
 * Input is sent in pieces of at most this many UTF-16 code units: below the runtime's limit and,
 * at three UTF-8 bytes per unit at most, below the 100 kB HTTP body limit, so a large paste works.
 */
export const INPUT_PIECE_LENGTH = 32 * 1024;

/** Split text into pieces of at most `size` code units, never between the halves of a surrogate pair. */
export function splitInput(text: string, size = INPUT_PIECE_LENGTH): string[] {
  if (text.length <= size) return [text];
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end--;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

export function terminalEventName(sessionId: string): string {
  return `terminal://${sessionId}`;
}

export function createTerminalAPI(transport: Transport): TerminalAPI {
  // Input of one session is sent in order: two keystrokes in flight on two HTTP connections
  // could otherwise arrive swapped.
  const inputQueues = new Map<string, Promise<unknown>>();

  return {
    async createSession({ cwd, cols, rows }) {
      const created = await transport.invoke('create_terminal_session', {
        payload: { cwd, cols: cols || TERMINAL_DEFAULT_COLS, rows: rows || TERMINAL_DEFAULT_ROWS },
      });
      return { sessionId: created.sessionId, cols: created.cols, rows: created.rows };
    },

    connect(sessionId, handlers, options) {
      return connectTerminal(transport, sessionId, handlers, options);
    },

    sendInput(sessionId, input) {
      const previous = inputQueues.get(sessionId) ?? Promise.resolve();
      const sent = previous
        .catch(() => undefined)
        .then(async () => {
          for (const data of splitInput(input)) await transport.invoke('send_terminal_input', { sessionId, data });
        });
      inputQueues.set(sessionId, sent);
      void sent
        .finally(() => {
          if (inputQueues.get(sessionId) === sent) inputQueues.delete(sessionId);
        })
        .catch(() => undefined);
      return sent;
    },

    async resize({ sessionId, cols, rows }) {
      await transport.invoke('resize_terminal', { sessionId, cols, rows });
    },

    async close(sessionId) {
      await transport.invoke('close_terminal', { sessionId });
    },
  };
}

function isGone(error: unknown): boolean {
  return error instanceof RuntimeCallError && error.status === 404;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export function connectTerminal(
  transport: Transport,
  sessionId: string,
  handlers: TerminalHandlers,
  options: TerminalStreamOptions = {},
): Subscription {
  const maxRetries = options.retry?.maxRetries ?? 3;
  const initialDelay = options.retry?.initialDelayMs ?? 1000;
  const maxDelay = options.retry?.maxDelayMs ?? 8000;
  const connectionTimeout = options.connectionTimeoutMs ?? 10_000;

  let closed = false;
  let exited = false;
  /** Has any subscription been active? A 404 before that is simply an unknown session. */
  let everConnected = false;
  /** Deliver the next `connected`: the first one, and the one after `reconnecting`. */
  let announce = true;
  let retries = 0;
  let position = 0;
  let stop: (() => void) | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let timeoutTimer: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;

  const clearTimers = (): void => {
    if (retryTimer !== null) clearTimeout(retryTimer);
    if (timeoutTimer !== null) clearTimeout(timeoutTimer);
    retryTimer = timeoutTimer = null;
  };

  const teardown = (): void => {
    clearTimers();
    generation++;
    const current = stop;
    stop = null;
    current?.();
  };

  const onPayload = (payload: unknown, at?: number): unknown => {
    if (closed || exited) return undefined;
    if (typeof at === 'number') position = at;
    const event = payload as Partial<TerminalServerEvent> & Record<string, unknown>;
    switch (event?.type) {
      case 'connected':
        everConnected = true;
        retries = 0;
        if (timeoutTimer !== null) clearTimeout(timeoutTimer);
        timeoutTimer = null;
        if (!announce) return undefined;
        announce = false;
        return handlers.onEvent({ type: 'connected' });
      case 'data':
        return handlers.onEvent({ type: 'data', data: typeof event.data === 'string' ? event.data : '' });
      case 'exit': {
        exited = true;
        teardown();
        const exit: { type: 'exit'; exitCode?: number; signal?: number } = { type: 'exit' };
        if (typeof event.exitCode === 'number') exit.exitCode = event.exitCode;
        if (typeof event.signal === 'number') exit.signal = event.signal;
        handlers.onEvent(exit);
        return undefined;
      }
      default:
        return undefined;
    }
  };

  const failed = (error: unknown): void => {
    if (closed || exited) return;
    teardown();
    if (isGone(error) && everConnected && retries < maxRetries) {
      retries++;
      announce = true;
      handlers.onEvent({ type: 'reconnecting', attempt: retries, maxAttempts: maxRetries });
      const delay = Math.min(initialDelay * 2 ** (retries - 1), maxDelay);
      retryTimer = setTimeout(start, delay);
      return;
    }
    closed = true;
    handlers.onError?.(asError(error), true);
  };

  function start(): void {
    if (closed || exited) return;
    const mine = ++generation;
    retryTimer = null;
    timeoutTimer = setTimeout(() => {
      timeoutTimer = null;
      // The transport keeps trying; tell the UI, as the reference did, without giving up.
      if (!closed && mine === generation) handlers.onError?.(new Error('Connection timeout'), false);
    }, connectionTimeout);
    transport
      .listen(terminalEventName(sessionId), onPayload, {
        since: position,
        onLost: (error) => {
          if (mine === generation) failed(error);
        },
      })
      .then(
        (unlisten) => {
          if (closed || exited || mine !== generation) return unlisten();
          stop = unlisten;
        },
        (error: unknown) => {
          if (mine === generation) failed(error);
        },
      );
  }

  start();
  return {
    close() {
      if (closed) return;
      closed = true;
      teardown();
    },
  };
}
