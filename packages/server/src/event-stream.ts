/**
 * The web event stream (`GET /api/chamber/events`): one SSE response per client carrying the
 * runtime events it subscribed to, with subscriptions edited by `POST /api/chamber/events/:id`.
 * The desktop transport delivers the same events as IPC frames.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  RuntimeError,
  UNKNOWN_EVENT_STREAM,
  isPlainObject,
  isSubscribable as isSubscribableName,
  type EventStreamMessage,
} from '@chamber/contract';
import { parseSince, type EventSubscription, type SubscribeFunction } from '@chamber/runtime';

export const DEFAULT_HEARTBEAT_MS = 15_000;
/**
 * A client that stops reading would make Node buffer every event in memory; past this many
 * unsent bytes the stream is ended instead (the client reconnects and re-subscribes).
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** Whether a client may subscribe to `name`: the contract's one rule (plain events and family members). */
export function isSubscribable(name: string): boolean {
  return isSubscribableName(name);
}

interface Stream {
  res: ServerResponse;
  subscriptions: Map<string, EventSubscription>;
  subscribe(name: string, since: number | undefined): void;
  close(): void;
}

export interface EventStreamHubOptions {
  subscribe: SubscribeFunction;
  heartbeatMs?: number;
}

export class EventStreamHub {
  readonly #options: EventStreamHubOptions;
  readonly #streams = new Map<string, Stream>();

  constructor(options: EventStreamHubOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#streams.size;
  }

  /**
   * Validate the open-time subscriptions (`?subscribe=a,b`, repeatable), then answer the SSE
   * headers and the `ready` message. Throws a `RuntimeError` before writing anything if invalid.
   */
  open(req: IncomingMessage, res: ServerResponse, query: ReadonlyMap<string, readonly string[]>): void {
    const initial = (query.get('subscribe') ?? []).flatMap((value) => value.split(',')).map((name) => name.trim());
    const requested = new Set(initial.filter((name) => name !== ''));
    for (const name of requested) checkSubscribable(name);

    startSse(res);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }

    const id = randomUUID();
    const write = (text: string): void => {
      if (res.writableEnded || res.destroyed) return;
      // destroy, not end: end() would wait for a client that is not reading. 'close' then cleans up.
      if (res.writableLength > MAX_BUFFERED_BYTES) return void res.destroy();
      res.write(text);
    };
    const send = (message: EventStreamMessage): void => write(`data: ${JSON.stringify(message)}\n\n`);

    const heartbeat = setInterval(() => write(': heartbeat\n\n'), this.#options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    heartbeat.unref();

    let closed = false;
    const subscriptions = new Map<string, EventSubscription>();
    const stream: Stream = {
      res,
      subscriptions,
      subscribe: (name, since) => {
        if (closed || subscriptions.has(name)) return;
        send({ type: 'subscribed', event: name });
        let subscription: EventSubscription | null = null;
        let ended = false;
        subscription = this.#options.subscribe(
          name,
          { since, acknowledges: true },
          {
            send: (payload, position) =>
              send(
                position === undefined
                  ? { type: 'event', event: name, payload }
                  : { type: 'event', event: name, payload, position },
              ),
            end: () => {
              ended = true;
              if (subscription && subscriptions.get(name) === subscription) subscriptions.delete(name);
            },
          },
        );
        if (!ended && !closed) subscriptions.set(name, subscription);
        else subscription.close();
      },
      close: () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        for (const subscription of subscriptions.values()) subscription.close();
        subscriptions.clear();
        this.#streams.delete(id);
        if (!res.writableEnded) res.end();
      },
    };
    this.#streams.set(id, stream);
    res.on('close', stream.close);
    send({ type: 'ready', streamId: id });
    for (const name of requested) {
      try {
        stream.subscribe(name, undefined);
      } catch {
        // Refused at open time (e.g. an unknown session): the client learns it when it subscribes by POST.
      }
    }
  }

  /**
   * Apply `{ subscribe?, unsubscribe?, ack? }` (`EventStreamEdit`) to a stream. The request is
   * checked whole before anything changes; subscriptions are then opened in order, and the first
   * one the runtime refuses (e.g. `Terminal session not found`) fails the request with its status,
   * leaving those before it open.
   */
  edit(streamId: string, body: unknown): { subscribed: string[] } {
    const stream = this.#streams.get(streamId);
    if (!stream) throw new RuntimeError(404, UNKNOWN_EVENT_STREAM);
    if (body !== undefined && !isPlainObject(body)) throw new RuntimeError(400, 'Request body must be a JSON object');
    const subscribe = subscriptionsOf(body?.subscribe);
    const unsubscribe = namesOf(body?.unsubscribe, 'unsubscribe');
    const acks = acksOf(body?.ack);
    for (const { event } of subscribe) checkSubscribable(event);
    for (const name of unsubscribe) {
      stream.subscriptions.get(name)?.close();
      stream.subscriptions.delete(name);
    }
    for (const [name, position] of acks) stream.subscriptions.get(name)?.ack(position);
    for (const { event, since } of subscribe) stream.subscribe(event, since);
    return { subscribed: [...stream.subscriptions.keys()] };
  }

  /** End every stream (server shutdown must not wait for clients that never hang up). */
  closeAll(): void {
    for (const stream of [...this.#streams.values()]) stream.close();
  }
}

/** The reference's SSE response headers (files-terminal-system.md §5.3), flushed at once. */
export function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    // Tells nginx-style proxies not to buffer the stream.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
}

function checkSubscribable(name: string): void {
  if (!isSubscribable(name)) throw new RuntimeError(400, `Unknown event: ${name.slice(0, 200)}`);
}

function subscriptionsOf(value: unknown): { event: string; since: number | undefined }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new RuntimeError(400, 'subscribe must be an array');
  return value.map((item: unknown) => {
    if (typeof item === 'string') return { event: item, since: undefined };
    if (isPlainObject(item) && typeof item.event === 'string')
      return { event: item.event, since: parseSince(item.since) };
    throw new RuntimeError(400, 'subscribe items must be event names or { event, since } objects');
  });
}

function acksOf(value: unknown): [string, number][] {
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) throw new RuntimeError(400, 'ack must be an object of event positions');
  return Object.entries(value).map(([name, position]) => {
    const parsed = parseSince(position, 'ack position');
    if (parsed === undefined) throw new RuntimeError(400, 'ack position must be a non-negative integer');
    return [name, parsed];
  });
}

function namesOf(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new RuntimeError(400, `${field} must be an array of strings`);
  }
  return value;
}
