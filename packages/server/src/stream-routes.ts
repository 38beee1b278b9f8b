/**
 * Stream routes: each entry of the contract's `streams` table becomes a `GET` route answering one
 * subscription as its own SSE response (the reference's per-terminal stream). Generic: the
 * binding says which subscription its arguments open; the runtime decides what flows.
 *
 * Frames: `data: <payload JSON>`, preceded by `id: <position>` for events of resumable families,
 * so `Last-Event-ID` (or the binding's `since` argument) resumes exactly after the last frame.
 * There is no acknowledgement channel here, so a socket that stops draining holds the output
 * instead (the runtime pauses the source and resumes on `drain`): once `ROUTE_BUFFER_BYTES` are
 * queued, not at `write()`'s 16 KiB signal, which a single 64 Ki-character chunk of output
 * crosses (the PTY paused ~460 times per 32 MiB, for a few ms each).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENT_FLOW, extractHttpArgs, type HttpBinding, type StreamDefinition } from '@chamber/contract';
import type { EventSubscription, SubscribeFunction } from '@chamber/runtime';
import { startSse } from './event-stream.js';

/** Unsent bytes a stream route lets Node queue before the source is held (the flow window's size). */
const ROUTE_BUFFER_BYTES = EVENT_FLOW.window;

export interface StreamRoute {
  kind: 'stream';
  name: string;
  definition: StreamDefinition;
}

/** A `Last-Event-ID` we issued is a decimal position; anything else is ignored, as browsers would. */
function positionFromHeader(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

export class StreamRoutes {
  readonly #subscribe: SubscribeFunction;
  readonly #open = new Set<() => void>();

  constructor(subscribe: SubscribeFunction) {
    this.#subscribe = subscribe;
  }

  get size(): number {
    return this.#open.size;
  }

  /**
   * Validate the arguments and open the subscription (a refusal throws a `RuntimeError` before
   * anything is written, so the client gets a JSON error), then stream it.
   */
  open(
    req: IncomingMessage,
    res: ServerResponse,
    route: StreamRoute,
    params: Record<string, string>,
    query: ReadonlyMap<string, readonly string[]>,
  ): void {
    const { definition } = route;
    const raw = extractHttpArgs(definition.http as HttpBinding, { query, body: undefined, params });
    const request = definition.subscription(definition.args.parse(raw, ''));
    const since = request.since ?? positionFromHeader(req.headers['last-event-id']);

    let streaming = false;
    let ended = false;
    let closed = false;
    const queued: string[] = [];
    let subscription: EventSubscription | null = null;
    const write = (text: string): void => {
      if (!streaming) return void queued.push(text);
      if (res.writableEnded || res.destroyed) return;
      res.write(text);
      // Past the buffer a write has returned false, so 'drain' follows once the socket has caught up.
      if (res.writableLength >= ROUTE_BUFFER_BYTES) subscription?.setCongested(true);
    };
    subscription = this.#subscribe(
      request.event,
      { since, acknowledges: false },
      {
        send: (payload, position) =>
          write(`${position === undefined ? '' : `id: ${position}\n`}data: ${JSON.stringify(payload)}\n\n`),
        end: () => {
          ended = true;
          if (streaming) close();
        },
      },
    );
    const active = subscription;

    startSse(res);
    streaming = true;
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), definition.heartbeatMs);
    heartbeat.unref();
    const close = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      active.close();
      this.#open.delete(close);
      if (!res.writableEnded) res.end();
    };
    this.#open.add(close);
    res.on('drain', () => active.setCongested(false));
    res.on('close', close);
    for (const text of queued.splice(0)) write(text);
    if (ended) close();
  }

  /** End every open stream (server shutdown). */
  closeAll(): void {
    for (const close of [...this.#open]) close();
  }
}

export function streamRoutes(table: Readonly<Record<string, StreamDefinition>>): StreamRoute[] {
  return Object.entries(table).map(([name, definition]) => ({ kind: 'stream', name, definition }));
}
