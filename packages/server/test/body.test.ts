/**
 * Request bodies: client mistakes get JSON 4xx answers (the reference sent HTML error pages),
 * oversized uploads are cut off early, and the server keeps answering afterwards.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForm, parseJsonBody, parseQuery } from '../src/body.js';
import { rawRequest, type RawResponse } from './raw-request.js';
import { startTestServer, type TestServer } from './test-server.js';

const request = rawRequest;

/**
 * Stream `total` bytes as a chunked JSON upload. Resolves with the answer; write errors after the
 * server has answered and closed (EPIPE, ECONNRESET) are expected and ignored.
 */
function upload(port: number, total: number): Promise<RawResponse & { sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'PUT',
        path: '/api/config/settings',
        headers: { 'Content-Type': 'application/json' },
        agent: false,
      },
      (res) => {
        answered = true;
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text), sent }),
        );
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('upload timed out')));
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = (): void => {
      while (sent < total && !answered && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

describe('request bodies', () => {
  let rig: TestServer;
  let port: number;
  const jsonHeaders = { 'Content-Type': 'application/json' };

  beforeAll(async () => {
    rig = await startTestServer('chamber-server-body-');
    port = rig.port;
  });

  afterAll(() => rig.close());

  const errorOf = (res: RawResponse) => (JSON.parse(res.text) as { error: string }).error;

  it('malformed JSON is a 400 naming the parser error', async () => {
    const res = await request(port, 'PUT', '/api/config/settings', jsonHeaders, '{bad');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(errorOf(res)).toMatch(/^Malformed JSON body: .+/);
  });

  it('a top-level JSON primitive is a 400', async () => {
    for (const body of ['"text"', '42', 'true', 'null']) {
      const res = await request(port, 'PUT', '/api/config/settings', jsonHeaders, body);
      expect(res.status).toBe(400);
      expect(errorOf(res)).toBe('JSON body must be an object or array');
    }
  });

  it('a 10 MB body is refused with 413 before it is read, and the server keeps answering', async () => {
    const res = await upload(port, 10 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    expect(errorOf(res)).toBe('Request body too large (limit 100 kB)');
    expect(res.sent).toBeLessThan(10 * 1024 * 1024);
    const after = await request(port, 'GET', '/api/fs/home', {});
    expect(after.status).toBe(200);
  });

  it('a declared Content-Length over the limit is refused without reading', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          'PUT /api/config/settings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n{',
        );
      });
      let text = '';
      socket.setTimeout(10_000, () => socket.destroy(new Error('timed out')));
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('Request body too large (limit 100 kB)');
  });

  it('100k-deep nested JSON is a 400, not a crash', async () => {
    const res = await request(port, 'PUT', '/api/config/settings', jsonHeaders, '['.repeat(100_000));
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe('JSON is nested too deeply (limit 64)');
    expect((await request(port, 'GET', '/api/fs/home', {})).status).toBe(200);
  });

  it('an unsupported content type is a 415', async () => {
    const res = await request(port, 'PUT', '/api/config/settings', { 'Content-Type': 'text/plain' }, '{}');
    expect(res.status).toBe(415);
    expect(errorOf(res)).toBe('Unsupported content type: text/plain');
  });

  it('a charset other than utf-8 is a 415', async () => {
    const res = await request(
      port,
      'PUT',
      '/api/config/settings',
      { 'Content-Type': 'application/json; charset=latin1' },
      '{}',
    );
    expect(res.status).toBe(415);
    expect(errorOf(res)).toBe('Unsupported charset: latin1');
  });

  it('invalid UTF-8 in a JSON body is a 400', async () => {
    const res = await request(
      port,
      'PUT',
      '/api/config/settings',
      jsonHeaders,
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]),
    );
    expect(res.status).toBe(400);
    expect(errorOf(res)).toBe('Request body is not valid UTF-8');
  });

  it('+json content types and an empty body are accepted', async () => {
    const vendor = await request(
      port,
      'PUT',
      '/api/config/settings',
      { 'Content-Type': 'application/vnd.api+json' },
      '{"themeId":"x"}',
    );
    expect(vendor.status).toBe(200);
    const empty = await request(port, 'PUT', '/api/config/settings', {
      'Content-Type': 'text/plain',
      'Content-Length': 0,
    });
    expect(empty.status).toBe(200);
  });
});

describe('parsers', () => {
  it('parseForm keeps strings and turns repeats into arrays', () => {
    expect(parseForm('a=1&b=x+y&a=2&c')).toEqual({ a: ['1', '2'], b: 'x y', c: '' });
    const form = parseForm('__proto__=x');
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(form, '__proto__')).toBe(true);
  });

  it('parseQuery keeps every value of a repeated parameter in order', () => {
    expect([...parseQuery('q=a&limit=5&q=b%20c')]).toEqual([
      ['q', ['a', 'b c']],
      ['limit', ['5']],
    ]);
    expect(() => parseQuery('q=%')).toThrow('Malformed URL encoding');
  });

  it('parseJsonBody accepts nesting up to the limit', () => {
    expect(parseJsonBody(`${'['.repeat(64)}${']'.repeat(64)}`)).toBeInstanceOf(Array);
    expect(() => parseJsonBody(`${'['.repeat(65)}${']'.repeat(65)}`)).toThrow('nested too deeply');
  });
});
