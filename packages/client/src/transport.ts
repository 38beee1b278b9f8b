/**
 * What `createRuntimeAPIs` needs from a transport: call a command by name, subscribe to an event.
 * The web transport maps this onto HTTP + SSE, the desktop transport onto IPC `invoke`/`listen`;
 * neither knows anything about individual commands beyond the shared command table.
 */
import type { CommandArgs, CommandName, CommandResult } from '@chamber/contract';
import type { RuntimeCallError } from './errors.js';

/**
 * Receives one event. `position` is set for resumable families (`terminal://<id>`): the
 * transport acknowledges it once the handler returns, or once the promise it returns settles
 * (so a UI can acknowledge only what it has rendered, e.g. after xterm's write callback).
 */
export type EventHandler = (payload: unknown, position?: number) => unknown;

export interface ListenOptions {
  /** Resumable families: deliver what came after this position (0: everything still kept). */
  since?: number;
  /**
   * The subscription ended for good after it was active (e.g. after a reconnection the runtime
   * refused it again: `Terminal session not found`). Without this the loss is silent.
   */
  onLost?(error: RuntimeCallError): void;
}

export interface Transport {
  readonly kind: 'web' | 'desktop';
  /** Run a command; rejects with `RuntimeCallError` carrying the runtime's status and exact message. */
  invoke<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>>;
  /**
   * Subscribe to a runtime event; resolves once the subscription is active on the runtime side.
   * Resumable subscriptions survive reconnections: the transport re-subscribes from the last
   * position it delivered, so nothing is lost or repeated.
   */
  listen(event: string, handler: EventHandler, options?: ListenOptions): Promise<() => void>;
  /** Release the connection (event stream, IPC channel); pending subscriptions are rejected. */
  close?(): void;
  /**
   * Web: how this transport reaches its server over HTTP (base URL, fetch with the transport's
   * headers), for the pass-through to OpenCode. Absent on desktop, which has no HTTP.
   */
  readonly http?: { baseUrl: string; fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> };
}

/** The Tauri-shaped bridge a desktop window gets from its host (or from `createFrameBridge`). */
export interface DesktopBridge {
  invoke(command: string, args: Record<string, unknown>): Promise<unknown>;
  listen(event: string, handler: EventHandler, options?: ListenOptions): Promise<() => void> | (() => void);
}

/**
 * Hand an event payload to a listener without letting a throwing listener break delivery to the
 * others. Returns what the handler returned (a promise defers the acknowledgement).
 */
export function deliver(handler: EventHandler, payload: unknown, position?: number): unknown {
  try {
    return handler(payload, position);
  } catch (error) {
    // Surface the bug the way an uncaught listener error would, but asynchronously, so the
    // transport's read loop (SSE) or frame dispatch (IPC) keeps going.
    const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
    if (typeof report === 'function') report(error);
    else
      setTimeout(() => {
        throw error;
      }, 0);
    return undefined;
  }
}

/**
 * Deliver one event to every handler of a topic; for a positioned event, call `ack(position)`
 * once every handler is done with it (at once, unless one returned a promise).
 */
export function deliverAll(
  handlers: Iterable<EventHandler>,
  payload: unknown,
  position: number | undefined,
  ack: (position: number) => void,
): void {
  const pending: PromiseLike<unknown>[] = [];
  for (const handler of [...handlers]) {
    const result = deliver(handler, payload, position);
    if (result && typeof (result as PromiseLike<unknown>).then === 'function')
      pending.push(result as PromiseLike<unknown>);
  }
  if (typeof position !== 'number') return;
  if (pending.length === 0) ack(position);
  else void Promise.allSettled(pending).then(() => ack(position));
}
