/**
 * Static UI serving (files-terminal-system.md §10): the "not built" page, files with their
 * content types, `index.html` for `/`, the SPA fallback, and traversal attempts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSpaPath } from '../src/static.js';
import { rawRequest } from './raw-request.js';
import { startTestServer, type TestServer } from './test-server.js';

const request = rawRequest;

describe('without a UI build', () => {
  let running: TestServer;

  beforeAll(async () => {
    running = await startTestServer('chamber-server-nostatic-', {
      server: (base) => ({ staticDir: path.join(base, 'missing-dist') }),
    });
  });

  afterAll(() => running.close());

  it('pages answer the reference 404 text', async () => {
    for (const target of ['/', '/some/route']) {
      const res = await request(running.port, 'GET', target);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.text).toBe('Static files not found. Please build the application first.');
    }
  });

  it('a non-GET request to a non-API path is a JSON 404', async () => {
    const res = await request(running.port, 'POST', '/some/route');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.text)).toEqual({ error: 'Not found: POST /some/route' });
  });
});

describe('with a UI build', () => {
  let dist: string;
  let running: TestServer;

  beforeAll(async () => {
    running = await startTestServer('chamber-server-static-', {
      prepare(base) {
        dist = path.join(base, 'dist');
        fs.mkdirSync(path.join(dist, 'assets'), { recursive: true });
        fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Chamber</title>');
        fs.writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1);');
        fs.writeFileSync(path.join(dist, 'assets', 'app.css'), 'body{}');
        fs.writeFileSync(path.join(dist, 'assets', 'logo.svg'), '<svg/>');
        fs.writeFileSync(path.join(dist, '.env'), 'SECRET=1');
        fs.writeFileSync(path.join(base, 'secret.txt'), 'outside the build');
        fs.symlinkSync(path.join(base, 'secret.txt'), path.join(dist, 'assets', 'leak.js'));
      },
      server: (base) => ({ staticDir: path.join(base, 'dist') }),
    });
  });

  afterAll(() => running.close());

  it('serves index.html for / and files with their content types', async () => {
    const index = await request(running.port, 'GET', '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.text).toContain('<title>Chamber</title>');
    const cases: [string, string][] = [
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/assets/logo.svg', 'image/svg+xml'],
    ];
    for (const [target, type] of cases) {
      const res = await request(running.port, 'GET', target);
      expect(res.status, target).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['cache-control']).toBe('public, max-age=0');
    }
  });

  it('answers 304 to a matching If-None-Match, and HEAD without a body', async () => {
    const first = await request(running.port, 'GET', '/assets/app.js');
    const again = await request(running.port, 'GET', '/assets/app.js', { 'If-None-Match': String(first.headers.etag) });
    expect(again.status).toBe(304);
    const head = await request(running.port, 'HEAD', '/assets/app.js');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log(1);'.length));
    expect(head.text).toBe('');
  });

  it('falls back to index.html for page routes, not for missing assets or /api', async () => {
    for (const target of ['/some/route', '/auth/other', '/deep/link?x=1.js', '/.env']) {
      const res = await request(running.port, 'GET', target);
      expect(res.status, target).toBe(200);
      expect(res.text).toContain('<title>Chamber</title>');
    }
    for (const target of ['/assets/missing.js', '/foo.json', '/x.map', '/apiary']) {
      const res = await request(running.port, 'GET', target);
      expect(res.status, target).toBe(404);
      expect(JSON.parse(res.text)).toEqual({ error: `Not found: GET ${target}` });
    }
    // /api paths never fall back to the page: the table or OpenCode (not running here: 503).
    expect((await request(running.port, 'GET', '/api/missing')).status).toBe(503);
  });

  it('never serves files outside the build (traversal, encoded slashes, symlinks)', async () => {
    for (const target of [
      '/..%2f..%2fetc/passwd',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/leak.js',
      '/a%00.js',
    ]) {
      const res = await request(running.port, 'GET', target);
      expect(res.status, target).toBe(404);
      expect(res.text).not.toContain('outside the build');
      expect(res.text).not.toContain('root:');
    }
  });

  it('redirects a directory to its slash form', async () => {
    fs.writeFileSync(path.join(dist, 'assets', 'index.html'), 'assets index');
    const res = await request(running.port, 'GET', '/assets');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/assets/');
    expect((await request(running.port, 'GET', '/assets/')).text).toBe('assets index');
  });
});

describe('isSpaPath', () => {
  it('follows the reference pattern (substring, not suffix)', () => {
    expect(isSpaPath('/some/route')).toBe(true);
    expect(isSpaPath('/health/x')).toBe(true);
    expect(isSpaPath('/foo.json')).toBe(false);
    expect(isSpaPath('/some/route.png')).toBe(false);
    expect(isSpaPath('/api-docs')).toBe(false);
  });
});
