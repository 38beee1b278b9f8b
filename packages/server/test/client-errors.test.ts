/**
 * Requests Node's HTTP parser refuses before any route runs answer JSON like every other
 * refusal: a URL over the 16 KiB header limit is a 431 with `{ error }` (Node alone sent a bare
 * status line), a malformed request line a 400; the server keeps answering afterwards.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS_TOO_LARGE_MESSAGE, MALFORMED_REQUEST_MESSAGE } from '../src/client-errors.js';
import { startTestServer, type TestServer } from './test-server.js';

let rig: TestServer;
let base: string;
let port: number;

beforeAll(async () => {
  rig = await startTestServer('chamber-client-errors-');
  ({ base, port } = rig);
});
afterAll(() => rig.close());

/** Raw bytes in, the whole answer out (the server closes the connection after these answers). */
function exchange(raw: string): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = text.indexOf('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0),
        headers: text.slice(0, split),
        body: text.slice(split + 4),
      });
    });
    socket.write(raw);
  });
}

describe('requests the HTTP parser refuses', () => {
  it('a URL over 16 KiB is a JSON 431', async () => {
    const target = `/api/fs/list?path=${'a'.repeat(17 * 1024)}`;
    const answer = await exchange(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers).toMatch(/^Content-Type: application\/json; charset=utf-8$/im);
    expect(JSON.parse(answer.body)).toEqual({ error: HEADERS_TOO_LARGE_MESSAGE });
  });

  it('a malformed request line is a JSON 400', async () => {
    const answer = await exchange('NOT HTTP AT ALL\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: MALFORMED_REQUEST_MESSAGE });
  });

  it('the server keeps answering afterwards', async () => {
    const answer = await exchange(`GET /api/fs/home HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ home: base });
  });
});
