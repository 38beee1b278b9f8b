/**
 * One raw HTTP request to a test server (no fetch: tests need to send what browsers never do,
 * such as a forged Host, and to read an SSE stream's head without waiting for its end).
 */
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

export function rawRequest(
  port: number | string,
  method: string,
  target: string,
  headers: Record<string, string | number> = {},
  body?: string | Buffer,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      // An SSE stream never ends: its head and first frame are enough.
      const isStream = String(res.headers['content-type']).startsWith('text/event-stream');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (isStream) res.destroy();
      });
      const done = () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      res.on('end', done);
      res.on('close', done);
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
