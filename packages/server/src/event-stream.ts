/**
 * The web event stream (`GET /api/chamber/events`): one SSE response per client carrying the
 * runtime events it subscribed to, with subscriptions edited by `POST /api/chamber/events/:id`.
 * The desktop transport delivers the same events as IPC frames.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RuntimeError, isEventName, isPlainObject, type EventStreamMessage } from '@chamber/contract';
import type { EventBus } from '@chamber/runtime';

export const DEFAULT_HEARTBEAT_MS = 15_000;
/**
 * A client that stops reading would make Node buffer every event in memory; past this many
 * unsent bytes the stream is ended instead (the client reconnects and re-subscribes).
 */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * Whether a client may subscribe to `name`. The single place to widen when parameterised
 * families arrive (e.g. `terminal://<sessionId>`).
 */
export function isSubscribable(name: string): boolean {
  return isEventName(name);
}

interface Stream {
  res: ServerResponse;
  subscriptions: Set<string>;
  close(): void;
}

export interface EventStreamHubOptions {
  events: EventBus;
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
    const subscriptions = new Set(initial.filter((name) => name !== ''));
    for (const name of subscriptions) checkSubscribable(name);

    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      // Tells nginx-style proxies not to buffer the stream.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
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

    const unsubscribeBus = this.#options.events.subscribe((event, payload) => {
      if (stream.subscriptions.has(event)) send({ type: 'event', event, payload });
    });
    const heartbeat = setInterval(() => write(': heartbeat\n\n'), this.#options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    heartbeat.unref();

    let closed = false;
    const stream: Stream = {
      res,
      subscriptions,
      close: () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        unsubscribeBus();
        this.#streams.delete(id);
        if (!res.writableEnded) res.end();
      },
    };
    this.#streams.set(id, stream);
    res.on('close', stream.close);
    send({ type: 'ready', streamId: id });
  }

  /** Apply `{ subscribe?, unsubscribe? }` to a stream; all-or-nothing. */
  edit(streamId: string, body: unknown): { subscribed: string[] } {
    const stream = this.#streams.get(streamId);
    if (!stream) throw new RuntimeError(404, 'Unknown event stream');
    if (body !== undefined && !isPlainObject(body)) throw new RuntimeError(400, 'Request body must be a JSON object');
    const subscribe = namesOf(body?.subscribe, 'subscribe');
    const unsubscribe = namesOf(body?.unsubscribe, 'unsubscribe');
    for (const name of subscribe) checkSubscribable(name);
    for (const name of subscribe) stream.subscriptions.add(name);
    for (const name of unsubscribe) stream.subscriptions.delete(name);
    return { subscribed: [...stream.subscriptions] };
  }

  /** End every stream (server shutdown must not wait for clients that never hang up). */
  closeAll(): void {
    for (const stream of [...this.#streams.values()]) stream.close();
  }
}

function checkSubscribable(name: string): void {
  if (!isSubscribable(name)) throw new RuntimeError(400, `Unknown event: ${name.slice(0, 200)}`);
}

function namesOf(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new RuntimeError(400, `${field} must be an array of strings`);
  }
  return value;
}
