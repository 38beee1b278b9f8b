/**
 * Command routes generated from the contract's table, answered by a real runtime over a real
 * loopback socket (temp HOME and data dir).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames, httpBindingOf } from '@chamber/contract';
import { Router } from '../src/routes.js';
import { rawRequest, type RawResponse } from './raw-request.js';
import { startTestServer, type TestServer } from './test-server.js';

function request(
  baseUrl: string,
  method: string,
  target: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return rawRequest(new URL(baseUrl).port, method, target, options.headers, options.body);
}

const json = (body: unknown) => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('command routes', () => {
  let rig: TestServer;
  let base: string;
  let work: string;
  let url: string;

  beforeAll(async () => {
    rig = await startTestServer('chamber-server-routes-', {
      prepare(dir) {
        const cwd = path.join(dir, 'work');
        fs.mkdirSync(path.join(cwd, 'sub'), { recursive: true });
        fs.writeFileSync(path.join(cwd, 'a.txt'), 'hello');
        return cwd;
      },
    });
    ({ base, url } = rig);
    work = path.join(base, 'work');
  });

  afterAll(() => rig.close());

  it('GET /api/fs/home answers the runtime home directory', async () => {
    const res = await request(url, 'GET', '/api/fs/home');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual({ home: base });
  });

  it('GET /api/fs/list lists a directory given in the query', async () => {
    const res = await request(url, 'GET', `/api/fs/list?path=${encodeURIComponent(work)}`);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { path: string; entries: { name: string; isDirectory: boolean }[] };
    expect(body.path).toBe(work);
    expect(body.entries.map((e) => [e.name, e.isDirectory]).sort()).toEqual([
      ['a.txt', false],
      ['sub', true],
    ]);
  });

  it('settings round-trip through PUT and GET /api/config/settings', async () => {
    const put = await request(url, 'PUT', '/api/config/settings', json({ showReasoningTraces: true, themeId: 'dark' }));
    expect(put.status).toBe(200);
    expect(JSON.parse(put.text)).toMatchObject({ showReasoningTraces: true, themeId: 'dark' });
    const get = await request(url, 'GET', '/api/config/settings');
    expect(JSON.parse(get.text)).toMatchObject({ showReasoningTraces: true, themeId: 'dark' });
  });

  it('POST /api/fs/mkdir accepts a JSON body', async () => {
    const target = path.join(work, 'made-json');
    const res = await request(url, 'POST', '/api/fs/mkdir', json({ path: target }));
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ success: true, path: target });
    expect(fs.statSync(target).isDirectory()).toBe(true);
  });

  it('POST /api/fs/mkdir accepts a form-encoded body', async () => {
    const target = path.join(work, 'made form');
    const res = await request(url, 'POST', '/api/fs/mkdir', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `path=${encodeURIComponent(target).replace(/%20/g, '+')}`,
    });
    expect(res.status).toBe(200);
    expect(fs.statSync(target).isDirectory()).toBe(true);
  });

  it('runtime errors keep their status and message', async () => {
    const res = await request(url, 'POST', '/api/fs/mkdir', json({}));
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'Path is required' });
  });

  // Every /api path the table does not answer belongs to OpenCode (the reference's proxy), which
  // this runtime does not run: a JSON 503, never an HTML page or a hang.
  it('an unknown /api path goes to OpenCode: JSON 503 when it is not running', async () => {
    const res = await request(url, 'GET', '/api/nope?x=1');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(res.text)).toEqual({
      error: 'OpenCode service unavailable',
      reason: 'OpenCode is not started by this server',
    });
  });

  it('a known path with the wrong method goes to OpenCode too, as in the reference', async () => {
    const res = await request(url, 'DELETE', '/api/fs/home');
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ error: 'OpenCode service unavailable' });
  });

  it('a non-/api path with a method no page answers is a JSON 404', async () => {
    const res = await request(url, 'POST', '/some/page');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ error: 'Not found: POST /some/page' });
  });

  it('a repeated query parameter is a 400 (from extractHttpArgs)', async () => {
    const res = await request(url, 'GET', '/api/fs/list?path=/a&path=/b');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toEqual({ error: 'Query parameter path must be given once' });
  });

  it('a malformed % escape in the query or the path is a 400', async () => {
    for (const target of ['/api/fs/list?path=%zz', '/api/fs/list?%E0%A4%A=1', '/api/fs/%zzlist', '/some/page%']) {
      const res = await request(url, 'GET', target);
      expect(res.status, target).toBe(400);
      expect(JSON.parse(res.text)).toEqual({ error: 'Malformed URL encoding' });
    }
  });

  it('HEAD on a GET route answers headers only', async () => {
    const res = await request(url, 'HEAD', '/api/fs/home');
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });

  it('tolerates a trailing slash, like Express', async () => {
    const res = await request(url, 'GET', '/api/fs/home/');
    expect(res.status).toBe(200);
  });
});

describe('Router', () => {
  it('mounts one route per command of the table', () => {
    const router = new Router<string>();
    const routed = commandNames.filter((name) => httpBindingOf(name) !== undefined);
    for (const name of routed) router.add(httpBindingOf(name)!.method, httpBindingOf(name)!.path, name);
    for (const name of routed) {
      const { method, path: routePath } = httpBindingOf(name)!;
      expect(router.match(method, routePath.replace(/:(\w+)/g, 'x'))?.value).toBe(name);
    }
  });

  it('decodes :params once and matches in registration order', () => {
    const router = new Router<string>()
      .add('POST', '/api/items/:id', 'item')
      .add('POST', '/api/items/special', 'special');
    expect(router.match('POST', '/api/items/a%2Fb')).toEqual({ value: 'item', params: { id: 'a/b' } });
    expect(router.match('POST', '/api/items/special')?.value).toBe('item');
    expect(router.match('GET', '/api/items/x')).toBeUndefined();
    expect(router.match('POST', '/api/items/')).toBeUndefined();
  });
});
