/**
 * The web transport against real HTTP servers on loopback: command requests and error mapping,
 * then the event stream protocol (ready, subscribe POST, events, reconnection after a drop).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeCallError } from '../src/errors.js';
import { createWebTransport } from '../src/web-transport.js';
import type { Transport } from '../src/transport.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Reply = (seen: Seen) => { status: number; body: string; type?: string };

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Poll until `check` holds; fails after a bound instead of hanging. */
async function waitFor(check: () => boolean, what: string, boundMs = 10_000): Promise<void> {
  for (const start = Date.now(); !check();) {
    if (Date.now() - start > boundMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('web transport commands', () => {
  const requests: Seen[] = [];
  let reply: Reply = () => ({ status: 200, body: '{}' });
  const server = http.createServer(async (req, res) => {
    const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: await readBody(req) };
    requests.push(seen);
    const { status, body, type = 'application/json' } = reply(seen);
    res.writeHead(status, { 'Content-Type': type }).end(body);
  });
  let baseUrl = '';

  beforeAll(async () => {
    baseUrl = await listen(server);
  });
  afterAll(() => stop(server));
  afterEach(() => {
    requests.length = 0;
  });

  it('builds GET requests from the command table and returns the parsed JSON', async () => {
    reply = () => ({ status: 200, body: '{"directory":"/a b","entries":[]}' });
    const transport = createWebTransport({ baseUrl: `${baseUrl}/`, headers: { Authorization: 'Bearer t' } });
    expect(transport.kind).toBe('web');
    await expect(transport.invoke('list_directory', { path: '/a b' })).resolves.toEqual({
      directory: '/a b',
      entries: [],
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'GET', url: '/api/fs/list?path=%2Fa%20b', body: '' });
    expect(requests[0]?.headers).toMatchObject({ accept: 'application/json', authorization: 'Bearer t' });
    expect(requests[0]?.headers['content-type']).toBeUndefined();
  });

  it('sends a JSON body with Content-Type for writes', async () => {
    reply = ({ body }) => ({ status: 200, body });
    const transport = createWebTransport({ baseUrl });
    await expect(transport.invoke('save_settings', { changes: { themeId: 'x' } })).resolves.toEqual({ themeId: 'x' });
    expect(requests[0]).toMatchObject({ method: 'PUT', url: '/api/config/settings', body: '{"themeId":"x"}' });
    expect(requests[0]?.headers['content-type']).toBe('application/json');
  });

  it("throws RuntimeCallError(status, error) with the runtime's message verbatim", async () => {
    reply = () => ({ status: 400, body: '{"error":"Path is required"}' });
    const error = await rejection(createWebTransport({ baseUrl }).invoke('create_directory', { path: '' }));
    expect(error).toBeInstanceOf(RuntimeCallError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'RuntimeCallError', status: 400, message: 'Path is required' });
  });

  it.each([
    ['a non-JSON body', 'Internal Server Error', 'text/plain'],
    ['JSON without a string error', '{"error":42}', 'application/json'],
    ['an empty body', '', 'application/json'],
  ])('names the request when the error body is %s', async (_label, body, type) => {
    reply = () => ({ status: 502, body, type });
    const error = await rejection(
      createWebTransport({ baseUrl }).invoke('search_files', { query: 'q', directory: '/r' }),
    );
    expect(error).toMatchObject({ status: 502, message: 'GET /api/fs/search failed with status 502' });
  });

  it('answers an unknown command like the IPC host, without a request', async () => {
    const invoke = createWebTransport({ baseUrl }).invoke as (name: string, args: unknown) => Promise<unknown>;
    expect(await rejection(invoke('rm_rf', {}))).toMatchObject({ status: 404, message: 'Unknown command: rm_rf' });
    expect(requests).toHaveLength(0);
  });

  it('maps a refused connection to RuntimeCallError(0, "Network error: ...")', async () => {
    const closed = http.createServer();
    const url = await listen(closed);
    await stop(closed);
    const error = await rejection(createWebTransport({ baseUrl: url }).invoke('load_settings', {}));
    expect(error).toBeInstanceOf(RuntimeCallError);
    expect((error as RuntimeCallError).status).toBe(0);
    expect((error as RuntimeCallError).message).toMatch(/^Network error: /);
  });
});

/** A tiny server speaking the event stream protocol of the contract (EVENT_STREAM_PATH). */
function createEventServer() {
  let next = 0;
  const streams = new Map<string, { res: http.ServerResponse; events: Set<string> }>();
  const posts: { id: string; body: unknown }[] = [];
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/api/chamber/events') {
      const id = `s${++next}`;
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      // Comment, CRLF endings and a message split over two writes: the client must cope with all.
      res.write(': connected\r\n\r\n');
      res.write(`data: {"type":"ready",`);
      res.write(`"streamId":"${id}"}\r\n\r\n`);
      streams.set(id, { res, events: new Set() });
      res.on('close', () => streams.delete(id));
      return;
    }
    const match = /^\/api\/chamber\/events\/([^/?]+)$/.exec(url);
    if (req.method === 'POST' && match) {
      const id = decodeURIComponent(match[1] ?? '');
      const body = JSON.parse(await readBody(req)) as { subscribe?: string[]; unsubscribe?: string[] };
      posts.push({ id, body });
      const stream = streams.get(id);
      const reply = (status: number, value: unknown) =>
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
      if (!stream) return reply(404, { error: 'Unknown event stream' });
      const unknown = body.subscribe?.find((event) => !event.startsWith('settings://'));
      if (unknown) return reply(400, { error: `Unknown event: ${unknown}` });
      for (const event of body.subscribe ?? []) stream.events.add(event);
      for (const event of body.unsubscribe ?? []) stream.events.delete(event);
      return reply(200, { subscribed: [...stream.events] });
    }
    res.writeHead(404).end();
  });
  return {
    server,
    streams,
    posts,
    emit(event: string, payload: unknown) {
      for (const { res, events } of streams.values()) {
        if (events.has(event)) res.write(`data: ${JSON.stringify({ type: 'event', event, payload })}\n\n`);
      }
    },
    subscribed: (event: string) => [...streams.values()].some((s) => s.events.has(event)),
    dropAll() {
      for (const { res } of streams.values()) res.destroy();
    },
  };
}

describe('web transport event stream', () => {
  let events: ReturnType<typeof createEventServer>;
  let transport: Transport;

  beforeAll(async () => {
    events = createEventServer();
    transport = createWebTransport({ baseUrl: await listen(events.server) });
  });
  afterAll(async () => {
    transport.close?.();
    await stop(events.server);
  });

  it('opens one stream lazily, subscribes by POST and resolves listen after it', async () => {
    expect(events.streams.size).toBe(0);
    const seen: unknown[] = [];
    const unlisten = await transport.listen('settings://changed', (payload) => seen.push(payload));
    expect(events.subscribed('settings://changed')).toBe(true);
    expect(events.posts.at(-1)).toEqual({ id: 's1', body: { subscribe: ['settings://changed'] } });

    events.emit('settings://changed', { themeId: 'one' });
    events.emit('settings://other', 'not subscribed');
    await waitFor(() => seen.length === 1, 'the first event');
    expect(seen).toEqual([{ themeId: 'one' }]);
    unlisten();
    await waitFor(() => !events.subscribed('settings://changed'), 'the unsubscribe POST');
    expect(events.posts.at(-1)).toEqual({ id: 's1', body: { unsubscribe: ['settings://changed'] } });
    expect(events.streams.size).toBe(1);
  });

  it('acknowledges positioned events cumulatively: one POST with the highest position for a burst', async () => {
    const seen: unknown[] = [];
    const unlisten = await transport.listen('settings://positioned', (payload) => seen.push(payload));
    const before = events.posts.length;
    const frame = (payload: number, position: number) =>
      `data: ${JSON.stringify({ type: 'event', event: 'settings://positioned', payload, position })}\n\n`;
    // Three events in one write: handled together, acknowledged together.
    for (const { res } of events.streams.values()) res.write(frame(1, 10) + frame(2, 20) + frame(3, 30));
    await waitFor(() => seen.length === 3, 'the three events');
    await waitFor(() => events.posts.length > before, 'the acknowledgement');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.posts.slice(before)).toEqual([{ id: 's1', body: { ack: { 'settings://positioned': 30 } } }]);
    unlisten();
  });

  it('rejects listen with the runtime message when the subscription is refused', async () => {
    const error = await rejection(transport.listen('nope://x', () => {}));
    expect(error).toBeInstanceOf(RuntimeCallError);
    expect(error).toMatchObject({ status: 400, message: 'Unknown event: nope://x' });
  });

  it('reconnects after the server drops the stream and re-subscribes active events', async () => {
    const a: unknown[] = [];
    const b: unknown[] = [];
    const stopA = await transport.listen('settings://a', (p) => a.push(p));
    const stopB = await transport.listen('settings://b', (p) => b.push(p));
    const before = [...events.streams.keys()];
    events.dropAll();
    await waitFor(
      () =>
        events.streams.size === 1 &&
        !before.includes([...events.streams.keys()][0] ?? '') &&
        events.subscribed('settings://a') &&
        events.subscribed('settings://b'),
      'the new stream with both subscriptions',
    );
    events.emit('settings://a', 1);
    events.emit('settings://b', 2);
    await waitFor(() => a.length === 1 && b.length === 1, 'events on the new stream');
    expect([a, b]).toEqual([[1], [2]]);
    // A listen made after the reconnect joins the new stream too.
    const c: unknown[] = [];
    const stopC = await transport.listen('settings://a', (p) => c.push(p));
    events.emit('settings://a', 3);
    await waitFor(() => c.length === 1 && a.length === 2, 'the event for both handlers');
    for (const stopIt of [stopA, stopB, stopC]) stopIt();
  });

  it('close() aborts the stream, stops reconnecting and refuses new listeners', async () => {
    const own = createEventServer();
    const closing = createWebTransport({ baseUrl: await listen(own.server) });
    try {
      await closing.listen('settings://changed', () => {});
      expect(own.streams.size).toBe(1);
      closing.close?.();
      await waitFor(() => own.streams.size === 0, 'the aborted stream to close server-side');
      // Longer than the first backoff step: a reconnect, if any, would have happened by now.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(own.streams.size).toBe(0);
      expect(await rejection(closing.listen('settings://changed', () => {}))).toMatchObject({ status: 0 });
    } finally {
      await stop(own.server);
    }
  });

  it('rejects waiting listeners when the stream itself is refused (e.g. a missing password)', async () => {
    const guarded = http.createServer((_req, res) =>
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"UI password required"}'),
    );
    const refused = createWebTransport({ baseUrl: await listen(guarded) });
    try {
      const error = await rejection(refused.listen('settings://changed', () => {}));
      expect(error).toBeInstanceOf(RuntimeCallError);
      expect(error).toMatchObject({ status: 401, message: 'UI password required' });
    } finally {
      refused.close?.();
      await stop(guarded);
    }
  });

  it('waits for a server that is not up yet, within the backoff', async () => {
    const late = createEventServer();
    await listen(late.server);
    const url = `http://127.0.0.1:${(late.server.address() as AddressInfo).port}`;
    await stop(late.server);
    const patient = createWebTransport({ baseUrl: url });
    try {
      const seen: unknown[] = [];
      const listening = patient.listen('settings://changed', (p) => seen.push(p));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await new Promise<void>((resolve) => late.server.listen(Number(new URL(url).port), '127.0.0.1', resolve));
      await Promise.race([
        listening,
        new Promise((_, reject) => setTimeout(() => reject(new Error('listen did not resolve in 15 s')), 15_000)),
      ]);
      late.emit('settings://changed', 'hello');
      await waitFor(() => seen.length === 1, 'the event after the late start');
    } finally {
      patient.close?.();
      await stop(late.server);
    }
  });
});
