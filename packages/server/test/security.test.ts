/**
 * Host/Origin checks (DNS rebinding and cross-site POSTs), `/health`, and the request log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '@chamber/runtime';
import { buildHealthResponse } from '../src/health.js';
import { HostGuard, isLoopbackHost } from '../src/security.js';
import { rawRequest } from './raw-request.js';
import { startTestServer, type TestServer } from './test-server.js';

const request = rawRequest;

describe('server security, health and logging', () => {
  let rig: TestServer;
  let base: string;
  let port: number;
  const logger = createMemoryLogger();
  const settingsPut = (headers: Record<string, string>) =>
    request(port, 'PUT', '/api/config/settings', { 'Content-Type': 'application/json', ...headers }, '{"themeId":"t"}');

  beforeAll(async () => {
    rig = await startTestServer('chamber-server-security-', { server: { logger, allowedHosts: ['chamber.test'] } });
    ({ base, port } = rig);
  });

  afterAll(() => rig.close());

  it('refuses a foreign Host header with 403 (DNS rebinding)', async () => {
    const res = await request(port, 'GET', '/api/fs/home', { Host: 'evil.com' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ error: 'Host not allowed' });
    expect((await request(port, 'GET', '/health', { Host: `evil.com:${port}` })).status).toBe(403);
  });

  it('accepts loopback names with any port, and configured hosts', async () => {
    for (const host of ['localhost', `localhost:${port}`, '127.0.0.1:1', `[::1]:${port}`, 'chamber.test:8080']) {
      expect((await request(port, 'GET', '/api/fs/home', { Host: host })).status, host).toBe(200);
    }
  });

  it('refuses a cross-origin POST/PUT with 403 and no side effect', async () => {
    const res = await settingsPut({ Origin: 'https://evil.com' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ error: 'Origin not allowed' });
    expect((await settingsPut({ Origin: 'null' })).status).toBe(403);
    expect(fs.existsSync(path.join(base, 'data', 'settings.json'))).toBe(false);
  });

  it('accepts a same-origin PUT (under any loopback name of our port, or the Host it came to)', async () => {
    expect((await settingsPut({ Origin: `http://127.0.0.1:${port}` })).status).toBe(200);
    expect((await settingsPut({ Origin: `http://localhost:${port}` })).status).toBe(200);
    // A dev server proxying to us (Vite keeps the browser's Host): same origin as the Host header.
    expect((await settingsPut({ Origin: 'http://localhost:5173', Host: 'localhost:5173' })).status).toBe(200);
  });

  it('refuses a PUT from a page of another local port: another site', async () => {
    const res = await settingsPut({ Origin: 'http://localhost:5173' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ error: 'Origin not allowed' });
    expect((await settingsPut({ Origin: `http://127.0.0.1:${port + 1}` })).status).toBe(403);
  });

  it('GET /health answers the reference shape, keys in order', async () => {
    const res = await request(port, 'GET', '/health');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual([
      'status',
      'timestamp',
      'openCodePort',
      'openCodeRunning',
      'openCodeApiPrefix',
      'openCodeApiPrefixDetected',
      'isOpenCodeReady',
      'lastOpenCodeError',
    ]);
    expect(body).toMatchObject({
      status: 'ok',
      openCodePort: null,
      openCodeRunning: false,
      openCodeApiPrefix: '',
      openCodeApiPrefixDetected: false,
      isOpenCodeReady: false,
      // This runtime does not supervise OpenCode, and /health says so instead of a bare null.
      lastOpenCodeError: 'OpenCode is not started by this server',
    });
    expect(new Date(body.timestamp as string).toISOString()).toBe(body.timestamp);
  });

  it('logs one line per request with its status, without the query, and never /health', async () => {
    logger.lines.length = 0;
    await request(port, 'GET', '/api/fs/list?path=/definitely/missing');
    await request(port, 'GET', '/health');
    await request(port, 'GET', '/api/unknown');
    // The log line is written when the response closes, which may be just after the client read it.
    for (let i = 0; i < 100 && logger.lines.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    const requests = logger.lines.filter((line) => line.message === 'request');
    expect(requests.map((line) => [line.fields?.method, line.fields?.path, line.fields?.status])).toEqual([
      ['GET', '/api/fs/list', 404],
      // An /api path outside the table belongs to OpenCode, which this runtime does not run.
      ['GET', '/api/unknown', 503],
    ]);
    for (const line of requests) {
      expect(line.level).toBe('info');
      expect(typeof line.fields?.durationMs).toBe('number');
      expect(line.fields?.bytes).toBeGreaterThan(0);
    }
  });
});

describe('HostGuard', () => {
  it('recognises loopback hosts', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com', 'localhost.evil.com'])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('allows the bound address, and skips the Host check when bound beyond loopback', () => {
    const guard = new HostGuard();
    guard.bound('127.0.0.2');
    expect(guard.allowsHost('127.0.0.2:80')).toBe(true);
    expect(guard.allowsHost('evil.com')).toBe(false);
    guard.bound('0.0.0.0');
    expect(guard.allowsHost('my-laptop.lan:3000')).toBe(true);
    expect(guard.allowsOrigin('http://my-laptop.lan:3000', 'my-laptop.lan:3000')).toBe(true);
    expect(guard.allowsOrigin('http://evil.com', 'my-laptop.lan:3000')).toBe(false);
  });
});

describe('buildHealthResponse', () => {
  it('takes the OpenCode fields from the provider, keeping the key order', () => {
    const health = buildHealthResponse(() => ({ isOpenCodeReady: true, openCodePort: 4096 }), new Date(0));
    expect(health).toEqual({
      status: 'ok',
      timestamp: '1970-01-01T00:00:00.000Z',
      openCodePort: 4096,
      openCodeRunning: false,
      openCodeApiPrefix: '',
      openCodeApiPrefixDetected: false,
      isOpenCodeReady: true,
      lastOpenCodeError: null,
    });
    expect(Object.keys(health)[2]).toBe('openCodePort');
  });
});
