/**
 * The web event stream: SSE framing, subscriptions at open time and by POST, delivery of a real
 * runtime event (`settings://changed` after a settings PUT), clean-up, and shutdown.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_STREAM_PATH } from '@chamber/contract';
import { createMemoryLogger, type Runtime } from '@chamber/runtime';
import { startTestServer, type TestServer } from './test-server.js';

type Message = { type: 'ready'; streamId: string } | { type: 'event'; event: string; payload: Record<string, unknown> };

interface Stream {
  status: number;
  headers: http.IncomingHttpHeaders;
  messages: Message[];
  heartbeats: number;
  ended: Promise<void>;
  /** The first message from index `from` on that satisfies `predicate`. */
  next(predicate: (message: Message) => boolean, from?: number): Promise<Message>;
  close(): void;
}

function openStream(port: number, target = EVENT_STREAM_PATH): Promise<Stream & { body?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: target, agent: false }, (res) => {
      let buffer = '';
      let onEnd: () => void = () => {};
      const ended = new Promise<void>((r) => (onEnd = r));
      const waiters = new Set<() => void>();
      const stream: Stream = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        messages: [],
        heartbeats: 0,
        ended,
        next(predicate, from = 0) {
          return new Promise((found, fail) => {
            const timer = setTimeout(() => fail(new Error('no matching SSE message within 5 s')), 5_000);
            const check = (): void => {
              const match = stream.messages.slice(from).find(predicate);
              if (!match) return;
              clearTimeout(timer);
              waiters.delete(check);
              found(match);
            };
            waiters.add(check);
            check();
          });
        },
        close: () => req.destroy(),
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let split: number;
        while ((split = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, split);
          buffer = buffer.slice(split + 2);
          if (block.startsWith(': heartbeat')) stream.heartbeats++;
          else if (block.startsWith('data: ')) stream.messages.push(JSON.parse(block.slice(6)) as Message);
          for (const waiter of [...waiters]) waiter();
        }
      });
      res.on('end', onEnd);
      res.on('close', onEnd);
      if (res.statusCode !== 200) {
        res.on('end', () => resolve({ ...stream, body: buffer }));
      } else {
        resolve(stream);
      }
    });
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}

function call(
  port: number,
  method: string,
  target: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const headers = text === undefined ? {} : { 'Content-Type': 'application/json' };
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: false }, (res) => {
      let data = '';
      res.on('data', (chunk: Buffer) => (data += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) as unknown }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(text);
  });
}

const SETTINGS_CHANGED = 'settings://changed';
const isReady = (m: Message) => m.type === 'ready';
const isSettingsEvent = (theme: string) => (m: Message) =>
  m.type === 'event' && m.event === SETTINGS_CHANGED && m.payload.themeId === theme;

async function readyId(stream: Stream): Promise<string> {
  const ready = await stream.next(isReady);
  return ready.type === 'ready' ? ready.streamId : '';
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('event stream', () => {
  let rig: TestServer;
  let runtime: Runtime;
  let port: number;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    rig = await startTestServer('chamber-server-events-', { server: { logger, heartbeatMs: 20 } });
    ({ runtime, port } = rig);
  });

  afterAll(() => rig.close());

  it('opens with SSE headers and a ready message carrying a stream id', async () => {
    const stream = await openStream(port);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream');
    expect(stream.headers['cache-control']).toBe('no-cache');
    expect(stream.headers['x-accel-buffering']).toBe('no');
    const id = await readyId(stream);
    expect(id).toMatch(/^[\w-]{8,}$/);
    expect(stream.messages[0]).toEqual({ type: 'ready', streamId: id });
    stream.close();
  });

  it('sends heartbeats as comment lines', async () => {
    const stream = await openStream(port);
    await waitFor(() => stream.heartbeats > 0);
    stream.close();
  });

  it('delivers settings://changed after a settings PUT to a stream subscribed in the query', async () => {
    const stream = await openStream(port, `${EVENT_STREAM_PATH}?subscribe=${encodeURIComponent(SETTINGS_CHANGED)}`);
    await readyId(stream);
    expect((await call(port, 'PUT', '/api/config/settings', { themeId: 'from-query' })).status).toBe(200);
    const event = await stream.next(isSettingsEvent('from-query'));
    expect(event).toMatchObject({ type: 'event', event: SETTINGS_CHANGED, payload: { themeId: 'from-query' } });
    stream.close();
  });

  it('edits subscriptions with POST /api/chamber/events/:streamId', async () => {
    const stream = await openStream(port);
    const id = await readyId(stream);
    const edit = (body: unknown) => call(port, 'POST', `${EVENT_STREAM_PATH}/${id}`, body);

    expect(await edit({ subscribe: [SETTINGS_CHANGED] })).toEqual({
      status: 200,
      body: { subscribed: [SETTINGS_CHANGED] },
    });
    await call(port, 'PUT', '/api/config/settings', { themeId: 'subscribed' });
    await stream.next(isSettingsEvent('subscribed'));

    expect(await edit({ unsubscribe: [SETTINGS_CHANGED] })).toEqual({ status: 200, body: { subscribed: [] } });
    const seen = stream.messages.length;
    await call(port, 'PUT', '/api/config/settings', { themeId: 'while-unsubscribed' });
    await edit({ subscribe: [SETTINGS_CHANGED] });
    await call(port, 'PUT', '/api/config/settings', { themeId: 'resubscribed' });
    // Events on one stream arrive in order: the first one after `seen` must be the last save.
    const next = await stream.next((m) => m.type === 'event', seen);
    expect(next).toMatchObject({ payload: { themeId: 'resubscribed' } });
    stream.close();
  });

  it('keeps successful acknowledgement-only edits out of the request log, and logs every other edit', async () => {
    const stream = await openStream(port);
    const id = await readyId(stream);
    const target = `${EVENT_STREAM_PATH}/${id}`;
    const edits = () =>
      logger.lines.filter((line) => line.message === 'request' && line.fields?.path === target).map((l) => l.fields);
    expect((await call(port, 'POST', target, { ack: { [SETTINGS_CHANGED]: 5 } })).status).toBe(200);
    expect((await call(port, 'POST', target, { subscribe: [SETTINGS_CHANGED] })).status).toBe(200);
    expect((await call(port, 'POST', target, { ack: { [SETTINGS_CHANGED]: -1 } })).status).toBe(400);
    await waitFor(() => edits().length === 2);
    expect(edits()).toMatchObject([
      { method: 'POST', status: 200 },
      { method: 'POST', status: 400 },
    ]);
    stream.close();
  });

  it('refuses unknown streams and unknown events', async () => {
    expect(await call(port, 'POST', `${EVENT_STREAM_PATH}/no-such-stream`, { subscribe: [SETTINGS_CHANGED] })).toEqual({
      status: 404,
      body: { error: 'Unknown event stream' },
    });
    const stream = await openStream(port);
    const id = await readyId(stream);
    expect(await call(port, 'POST', `${EVENT_STREAM_PATH}/${id}`, { subscribe: ['nope://x'] })).toEqual({
      status: 400,
      body: { error: 'Unknown event: nope://x' },
    });
    expect((await call(port, 'POST', `${EVENT_STREAM_PATH}/${id}`, { subscribe: 'x' })).status).toBe(400);
    stream.close();
    const refused = await openStream(port, `${EVENT_STREAM_PATH}?subscribe=nope`);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body ?? '')).toEqual({ error: 'Unknown event: nope' });
  });

  it('drops the runtime listener when the client disconnects', async () => {
    // Streams of earlier tests may still be closing on the server side.
    await waitFor(() => runtime.events.listenerCount === 0);
    const before = runtime.events.listenerCount;
    // Each subscription holds one listener on the bus.
    const stream = await openStream(port, `${EVENT_STREAM_PATH}?subscribe=settings://changed`);
    await readyId(stream);
    expect(runtime.events.listenerCount).toBe(before + 1);
    stream.close();
    await waitFor(() => runtime.events.listenerCount === before);
  });
});

describe('server shutdown', () => {
  it('close() resolves while an event stream is open, and ends the stream', async () => {
    const rig = await startTestServer('chamber-server-close-');
    const { runtime, server, port } = rig;
    try {
      const stream = await openStream(port);
      await readyId(stream);
      await server.close();
      await stream.ended;
      expect(runtime.events.listenerCount).toBe(0);
    } finally {
      await rig.close();
    }
  });
});
