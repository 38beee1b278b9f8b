/**
 * The client side of the UI password: `apis.auth` (web only) and what a gated command turns into,
 * against a loopback server answering the reference's `/auth/session` and gate bodies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeCallError } from '../src/errors.js';
import { createRuntimeAPIs } from '../src/runtime-apis.js';
import { createDesktopTransport } from '../src/desktop-transport.js';
import { createWebTransport } from '../src/web-transport.js';

const PASSWORD = 'pw';
let mode: 'password' | 'open' | 'throttled' | 'broken' = 'password';
const seen: { method: string; url: string; accept?: string; body: string }[] = [];

const server = http.createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', accept: req.headers.accept, body });
    const send = (status: number, value: unknown, type = 'application/json') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(typeof value === 'string' ? value : JSON.stringify(value));
    };
    if (mode === 'broken') return send(502, '<html>Bad gateway</html>', 'text/html');
    if (req.url === '/auth/session' && req.method === 'GET') {
      return mode === 'open'
        ? send(200, { authenticated: true, disabled: true })
        : send(401, { authenticated: false, locked: true });
    }
    if (req.url === '/auth/session' && req.method === 'POST') {
      if (mode === 'throttled') return send(429, { error: 'Too many attempts, try again in 4 s' });
      const password = (JSON.parse(body) as { password?: unknown }).password;
      return password === PASSWORD
        ? send(200, { authenticated: true })
        : send(401, { error: 'Invalid password', locked: true });
    }
    send(401, { error: 'UI authentication required', locked: true });
  });
});
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function rejection(promise: Promise<unknown>): Promise<RuntimeCallError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RuntimeCallError);
  return error as RuntimeCallError;
}

describe('apis.auth (web)', () => {
  it('session(): locked on 401, open on 2xx (also when no password is set), an error otherwise', async () => {
    const apis = createRuntimeAPIs(createWebTransport({ baseUrl: base }));
    mode = 'password';
    expect(await apis.auth?.session()).toBe('locked');
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/auth/session', accept: 'application/json' });
    mode = 'open';
    expect(await apis.auth?.session()).toBe('open');
    mode = 'broken';
    const broken = await rejection(apis.auth?.session() ?? Promise.resolve());
    expect(broken.status).toBe(502);
    expect(broken.message).toBe('GET /auth/session failed with status 502');
  });

  it("login(): resolves for the right password, else the status and the server's message", async () => {
    const apis = createRuntimeAPIs(createWebTransport({ baseUrl: base }));
    mode = 'password';
    await apis.auth?.login(PASSWORD);
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ password: PASSWORD });
    const wrong = await rejection(apis.auth?.login('nope') ?? Promise.resolve());
    expect([wrong.status, wrong.message]).toEqual([401, 'Invalid password']);
    mode = 'throttled';
    const throttled = await rejection(apis.auth?.login(PASSWORD) ?? Promise.resolve());
    expect([throttled.status, throttled.message]).toEqual([429, 'Too many attempts, try again in 4 s']);
  });

  it('a network failure is status 0', async () => {
    const apis = createRuntimeAPIs(createWebTransport({ baseUrl: 'http://127.0.0.1:1' }));
    const error = await rejection(apis.auth?.login(PASSWORD) ?? Promise.resolve());
    expect(error.status).toBe(0);
    expect(error.message).toMatch(/^Network error: /);
  });

  it("a gated command rejects with status 401 and the gate's message", async () => {
    mode = 'password';
    const apis = createRuntimeAPIs(createWebTransport({ baseUrl: base }));
    const error = await rejection(apis.files.home());
    expect([error.status, error.message]).toEqual([401, 'UI authentication required']);
  });

  it('is absent on desktop, which has no password', () => {
    const apis = createRuntimeAPIs(
      createDesktopTransport({ invoke: () => Promise.resolve(null), listen: () => () => undefined }),
    );
    expect(apis.auth).toBeUndefined();
  });
});
