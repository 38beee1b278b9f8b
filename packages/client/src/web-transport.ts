/**
 * Web transport: commands become HTTP requests built from the shared command table (never a
 * hand-written route), events ride one shared SSE stream (`EVENT_STREAM_PATH`) whose
 * subscriptions are edited with POSTs. The stream is opened lazily, reconnects with bounded
 * exponential backoff and re-subscribes every active event after each new `ready`, resumable
 * ones from the last position delivered. Every terminal rides this one stream: browsers allow
 * six connections per host, so one SSE response per terminal would stall the page from the sixth.
 *
 * Waking up (`online`, the tab shown again, a frozen page resumed) reconnects at once instead of
 * waiting out the backoff, and replaces a stream that has been silent for longer than the
 * server's heartbeat period: after a sleep such a connection is usually dead without knowing it.
 */
import {
  buildHttpRequest,
  httpBindingOf,
  EVENT_STREAM_PATH,
  UNKNOWN_EVENT_STREAM,
  isCommandName,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type EventStreamEdit,
  type EventStreamMessage,
} from '@chamber/contract';
import { createAcknowledger } from './acks.js';
import { messageOf, RuntimeCallError } from './errors.js';
import { readSseStream, type SseMessage } from './sse.js';
import { deliverAll, type EventHandler, type ListenOptions, type Transport } from './transport.js';

export interface WebTransportOptions {
  /** Origin (and optional prefix) of the server; '' means same origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Sent with every request (commands, event stream, subscriptions), e.g. an auth header. */
  headers?: Record<string, string>;
  /**
   * A stream silent for longer than this is presumed dead when the page wakes up (default
   * 20 s: the server's heartbeat is 15 s).
   */
  staleAfterMs?: number;
}

const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 8_000;

type Handler = EventHandler;
interface Waiter {
  handler: Handler;
  resolve(): void;
  reject(error: unknown): void;
}
interface Topic {
  handlers: Set<Handler>;
  /** Stream id on which the server has acknowledged the subscription. */
  subscribedOn: string | null;
  /** Stream id on which a subscribe POST is in flight. */
  pendingOn: string | null;
  /** listen() calls waiting for the acknowledgement. */
  waiters: Waiter[];
  /** Resumable topics: the position of the last event delivered, resumed from after a reconnection. */
  position: number | undefined;
  /** Where the first subscription starts (the first listen()'s `since`). */
  since: number | undefined;
  /** `onLost` callbacks of the handlers. */
  lost: Map<Handler, (error: RuntimeCallError) => void>;
  /**
   * False while events of an earlier subscription to the same name may still arrive on this
   * stream; the server's `subscribed` message, sent before the new subscription's first event,
   * makes it true.
   */
  live: boolean;
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** The runtime's `{ error, detail? }` when the body has one, else a message naming the request. */
function failure(method: string, path: string, status: number, text: string): RuntimeCallError {
  const body = parseJson(text)?.value as { error?: unknown; detail?: unknown } | null | undefined;
  const error = body?.error;
  if (typeof error === 'string') {
    return new RuntimeCallError(status, error, typeof body?.detail === 'string' ? body.detail : undefined);
  }
  return new RuntimeCallError(status, `${method} ${path} failed with status ${status}`);
}

/** A 4xx other than timeout/rate limit will not fix itself by retrying (bad token, unknown event, ...). */
function isRefusal(error: unknown): error is RuntimeCallError {
  return (
    error instanceof RuntimeCallError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

export function createWebTransport(options: WebTransportOptions = {}): Transport {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  // Wrapped rather than stored: browsers throw "Illegal invocation" for an unbound window.fetch.
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const extraHeaders = options.headers ?? {};

  async function request(method: string, url: string, body: unknown, bodyText?: string): Promise<unknown> {
    const path = url.split('?')[0] ?? url;
    let response: Response;
    let text: string;
    try {
      const payload = bodyText ?? (body !== undefined ? JSON.stringify(body) : undefined);
      const contentType = bodyText !== undefined ? 'text/plain; charset=utf-8' : 'application/json';
      response = await doFetch(baseUrl + url, {
        method,
        headers: {
          Accept: 'application/json',
          ...extraHeaders,
          ...(payload !== undefined && { 'Content-Type': contentType }),
        },
        ...(payload !== undefined && { body: payload }),
      });
      text = await response.text();
    } catch (error) {
      throw new RuntimeCallError(0, `Network error: ${messageOf(error)}`);
    }
    const parsed = parseJson(text);
    if (!response.ok) throw failure(method, path, response.status, text);
    if (text.trim() === '') return null;
    if (!parsed) throw new RuntimeCallError(response.status, `${method} ${path} returned invalid JSON`);
    return parsed.value;
  }

  // -- event stream state ------------------------------------------------------------------------
  const topics = new Map<string, Topic>();
  /** Names unsubscribed on the current stream whose events may still be in flight. */
  const retired = new Set<string>();
  let closed = false;
  let current: AbortController | null = null;
  let streamId: string | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Subscription edits are serialised so an unsubscribe can never overtake the subscribe it undoes.
  let edits: Promise<unknown> = Promise.resolve();
  let removeWakeListeners: (() => void) | null = null;
  const staleAfterMs = options.staleAfterMs ?? 20_000;
  /** When the current stream last received anything (heartbeats included). */
  let lastReceived = 0;
  /** Set by a wake-up that replaced a silent stream: reconnect without backoff. */
  let reconnectNow = false;

  function edit(id: string, body: EventStreamEdit): Promise<unknown> {
    const next = edits.then(() => request('POST', `${EVENT_STREAM_PATH}/${encodeURIComponent(id)}`, body));
    edits = next.catch(() => undefined);
    return next;
  }

  // Acknowledgements ride the stream's edit route, one POST at a time.
  const acks = createAcknowledger((batch) => {
    const id = streamId;
    const ack = Object.fromEntries([...batch].filter(([event]) => topics.has(event)));
    // Without a stream there is nobody to tell: the next subscription resumes from the position itself.
    if (id === null || Object.keys(ack).length === 0) return;
    return edit(id, { ack }).catch(() => undefined);
  });

  function ensureStream(): void {
    if (closed || current || timer !== null) return;
    installWakeListeners();
    connect();
  }

  function connect(): void {
    timer = null;
    const controller = new AbortController();
    current = controller;
    void run(controller);
  }

  async function run(controller: AbortController): Promise<void> {
    try {
      const response = await doFetch(baseUrl + EVENT_STREAM_PATH, {
        headers: { Accept: 'text/event-stream', ...extraHeaders },
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        throw failure('GET', EVENT_STREAM_PATH, response.status, await response.text().catch(() => ''));
      }
      lastReceived = Date.now();
      await readSseStream(
        response.body,
        (message) => onMessage(controller, message),
        () => (lastReceived = Date.now()),
      );
    } catch (error) {
      // Whatever the failure, the stream is retried below; a refusal also fails the listen() calls
      // still waiting, so a wrong password surfaces as an error instead of a silent hang.
      if (isRefusal(error) && current === controller)
        for (const [event, topic] of [...topics]) fail(event, topic, error);
    }
    if (current !== controller) return; // closed, or replaced by a newer connection
    current = null;
    streamId = null;
    // The server forgets a stream's subscriptions with the stream itself.
    // A new stream carries nothing of the old one's subscriptions.
    retired.clear();
    for (const topic of topics.values()) {
      topic.subscribedOn = topic.pendingOn = null;
      topic.live = true;
    }
    acks.reset();
    if (closed || topics.size === 0) return; // nobody listening: reopen lazily on the next listen()
    const delay = reconnectNow ? 0 : Math.min(BACKOFF_MIN_MS * 2 ** attempt, BACKOFF_MAX_MS);
    reconnectNow = false;
    attempt++;
    timer = setTimeout(connect, delay);
  }

  function onMessage(controller: AbortController, message: SseMessage): void {
    if (current !== controller) return;
    const parsed = parseJson(message.data)?.value as Partial<EventStreamMessage> | null | undefined;
    if (!parsed || typeof parsed !== 'object') return;
    if (parsed.type === 'ready' && typeof parsed.streamId === 'string') {
      streamId = parsed.streamId;
      attempt = 0;
      for (const [event, topic] of topics) subscribe(event, topic);
    } else if (parsed.type === 'subscribed' && typeof parsed.event === 'string') {
      retired.delete(parsed.event);
      const topic = topics.get(parsed.event);
      if (topic) topic.live = true;
    } else if (parsed.type === 'event' && typeof parsed.event === 'string') {
      const event = parsed.event;
      const topic = topics.get(event);
      // Not live yet: a leftover of an earlier subscription to the same name.
      if (!topic?.live) return;
      const position = typeof parsed.position === 'number' ? parsed.position : undefined;
      if (position !== undefined) topic.position = position;
      deliverAll(topic.handlers, parsed.payload, position, (done) => {
        if (topics.get(event) === topic) acks.acknowledge(event, done);
      });
    }
  }

  function subscribe(event: string, topic: Topic): void {
    const id = streamId;
    if (id === null || topic.subscribedOn === id || topic.pendingOn === id) return;
    topic.pendingOn = id;
    const since = topic.position ?? topic.since;
    edit(id, { subscribe: [since === undefined ? event : { event, since }] }).then(
      () => {
        if (topic.pendingOn === id) topic.pendingOn = null;
        if (streamId !== id || topics.get(event) !== topic) return;
        topic.subscribedOn = id;
        for (const waiter of topic.waiters.splice(0)) waiter.resolve();
      },
      (error: unknown) => {
        if (topic.pendingOn === id) topic.pendingOn = null;
        if (streamId !== id || topics.get(event) !== topic) return; // that stream is gone; the next ready retries
        const status = error instanceof RuntimeCallError ? error.status : 0;
        // Unreachable server or unknown stream id: the stream is dead even if its socket is not. Drop
        // it; the reconnection re-subscribes and the waiters resolve then.
        if (status === 0 || (status === 404 && (error as Error).message === UNKNOWN_EVENT_STREAM)) {
          return current?.abort();
        }
        // Any other failure (unknown event, a session that is gone) is final for this topic.
        fail(event, topic, error);
      },
    );
  }

  /** The topic is over: waiting listen() calls reject, active handlers hear `onLost`. */
  function fail(event: string, topic: Topic, error: unknown): void {
    for (const waiter of topic.waiters.splice(0)) {
      topic.handlers.delete(waiter.handler);
      topic.lost.delete(waiter.handler);
      waiter.reject(error);
    }
    if (topics.get(event) === topic) topics.delete(event);
    const lost = error instanceof RuntimeCallError ? error : new RuntimeCallError(0, String(error));
    for (const onLost of topic.lost.values()) onLost(lost);
    topic.handlers.clear();
    topic.lost.clear();
  }

  function unlisten(event: string, topic: Topic, handler: Handler): void {
    topic.lost.delete(handler);
    if (!topic.handlers.delete(handler) || topic.handlers.size > 0 || topics.get(event) !== topic) return;
    topics.delete(event);
    acks.forget(event);
    const id = streamId;
    if (id !== null && (topic.subscribedOn === id || topic.pendingOn === id)) {
      retired.add(event);
      edit(id, { unsubscribe: [event] }).catch(() => undefined);
    }
  }

  /** Browsers: come back at once when the network returns or the tab is shown, not after the backoff. */
  function installWakeListeners(): void {
    const target = globalThis as Partial<Pick<Window, 'addEventListener' | 'removeEventListener'>>;
    if (removeWakeListeners || typeof target.addEventListener !== 'function') return;
    const wake = (): void => {
      if (closed) return;
      if (timer !== null) {
        clearTimeout(timer);
        attempt = 0;
        return connect();
      }
      // A stream silent past the heartbeat period probably died while we slept: replace it now.
      if (current && Date.now() - lastReceived > staleAfterMs) {
        reconnectNow = true;
        current.abort();
      }
    };
    const doc = typeof document === 'undefined' ? undefined : document;
    const onVisibility = (): void => {
      if (doc?.visibilityState === 'visible') wake();
    };
    target.addEventListener('online', wake);
    doc?.addEventListener('visibilitychange', onVisibility);
    // Page Lifecycle: a frozen (discarded-but-kept) tab is resumed.
    doc?.addEventListener('resume', wake);
    removeWakeListeners = () => {
      target.removeEventListener?.('online', wake);
      doc?.removeEventListener('visibilitychange', onVisibility);
      doc?.removeEventListener('resume', wake);
    };
  }

  return {
    kind: 'web',

    http: {
      baseUrl,
      fetch(input, init) {
        if (Object.keys(extraHeaders).length === 0) return doFetch(input, init);
        const request = new Request(input, init);
        for (const [name, value] of Object.entries(extraHeaders))
          if (!request.headers.has(name)) request.headers.set(name, value);
        return doFetch(request);
      },
    },

    invoke<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
      // Same answer as the IPC host for a name outside the table (callers may pass any string at run time).
      if (!isCommandName(name)) return Promise.reject(new RuntimeCallError(404, `Unknown command: ${String(name)}`));
      const binding = httpBindingOf(name);
      if (!binding) {
        return Promise.reject(new RuntimeCallError(404, `${name} is only available in the desktop app`));
      }
      const { method, url, body, text } = buildHttpRequest(binding, (args ?? {}) as Record<string, unknown>);
      return request(method, url, body, text) as Promise<CommandResult<N>>;
    },

    listen(event, handler, listenOptions: ListenOptions = {}) {
      if (closed) return Promise.reject(new RuntimeCallError(0, 'Transport closed'));
      let topic = topics.get(event);
      if (!topic) {
        topic = {
          handlers: new Set(),
          subscribedOn: null,
          pendingOn: null,
          waiters: [],
          position: undefined,
          since: listenOptions.since,
          lost: new Map(),
          live: !retired.has(event),
        };
        topics.set(event, topic);
      }
      const joined = topic;
      joined.handlers.add(handler);
      if (listenOptions.onLost) joined.lost.set(handler, listenOptions.onLost);
      let done = false;
      const stop = (): void => {
        if (done) return;
        done = true;
        unlisten(event, joined, handler);
      };
      if (streamId !== null && joined.subscribedOn === streamId) return Promise.resolve(stop);
      return new Promise((resolve, reject) => {
        joined.waiters.push({ handler, resolve: () => resolve(stop), reject });
        if (streamId !== null) subscribe(event, joined);
        else ensureStream();
      });
    },

    close() {
      if (closed) return;
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const controller = current;
      current = null;
      streamId = null;
      controller?.abort();
      removeWakeListeners?.();
      const error = new RuntimeCallError(0, 'Transport closed');
      for (const topic of topics.values()) for (const waiter of topic.waiters.splice(0)) waiter.reject(error);
      topics.clear();
    },
  };
}
