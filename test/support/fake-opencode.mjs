#!/usr/bin/env node
/**
 * A stand-in for the `opencode` binary, for the pass-through's edge cases that the real one cannot
 * be made to show on demand (a 20 MB echo, an answer cut mid-stream, a process that never
 * prints its port). It speaks the same start-up protocol: `serve --port N --hostname H`, prints
 * `opencode server listening on http://H:P`, and demands HTTP Basic auth (`opencode`,
 * `$OPENCODE_SERVER_PASSWORD`) on every request, like OpenCode 1.18.
 *
 * Behaviour switches (environment): FAKE_OPENCODE_MODE=silent (never prints the port),
 * =exit (exits 3 at once), =slow-ready (answers /config 503 for 1.5 s). FAKE_OPENCODE_LOG=<file>
 * appends one JSON line per request (method, url, bytes received, aborted).
 */
import fs from 'node:fs';
import http from 'node:http';
import crypto from 'node:crypto';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : args[at + 1];
};
const mode = process.env.FAKE_OPENCODE_MODE ?? '';
if (mode === 'exit') {
  process.stderr.write('fake opencode: exiting at once\n');
  process.exit(3);
}
const password = process.env.OPENCODE_SERVER_PASSWORD ?? '';
const expected = `Basic ${Buffer.from(`opencode:${password}`).toString('base64')}`;
const started = Date.now();
const logFile = process.env.FAKE_OPENCODE_LOG;
const log = (record) => {
  if (logFile) fs.appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, ...record })}\n`);
};

function json(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://fake');
  if (password && req.headers.authorization !== expected) {
    log({ method: req.method, url: req.url, refused: true });
    res.writeHead(401, { 'www-authenticate': 'Basic realm="opencode"' });
    return res.end('Unauthorized');
  }
  let received = 0;
  const hash = crypto.createHash('sha256');
  req.on('data', (chunk) => {
    received += chunk.length;
    hash.update(chunk);
  });
  res.on('close', () => log({ method: req.method, url: req.url, received, aborted: !res.writableFinished }));
  req.on('end', () => {
    switch (url.pathname) {
      case '/config':
        if (mode === 'slow-ready' && Date.now() - started < 1_500) return json(res, 503, { error: 'not yet' });
        return json(res, 200, { directory: process.cwd() });
      case '/agent':
        return json(res, 200, [{ name: 'build' }]);
      case '/whoami':
        return json(res, 200, {
          pid: process.pid,
          cwd: process.cwd(),
          method: req.method,
          url: req.url,
          headers: req.headers,
        });
      case '/echo':
        return json(res, 200, {
          received,
          sha256: hash.digest('hex'),
          contentType: req.headers['content-type'] ?? null,
        });
      case '/bytes': {
        // Binary answer of `n` bytes (0..255 repeating), in 64 KiB writes with back-pressure.
        const total = Number(url.searchParams.get('n') ?? '0');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
        let sent = 0;
        // With `progress=1`, a log line per MiB written: what a stalled reader let through.
        const progress = url.searchParams.get('progress') === '1';
        const pump = () => {
          while (sent < total) {
            const size = Math.min(64 * 1024, total - sent);
            const chunk = Buffer.alloc(size);
            for (let i = 0; i < size; i++) chunk[i] = (sent + i) % 256;
            sent += size;
            if (progress && sent % (1024 * 1024) === 0) log({ url: req.url, written: sent });
            if (!res.write(chunk)) return res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case '/event': {
        // SSE: `count` events `every` ms apart, then (with `cut=1`) the process dies mid-stream.
        const count = Number(url.searchParams.get('count') ?? '1000000');
        const every = Number(url.searchParams.get('every') ?? '50');
        const cut = url.searchParams.get('cut') === '1';
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        let n = 0;
        const tick = () => {
          if (res.destroyed) return;
          if (n >= count) {
            if (cut) process.exit(9);
            return res.end();
          }
          res.write(`data: ${JSON.stringify({ type: 'tick', n: n++, at: Date.now() })}\n\n`);
          setTimeout(tick, every);
        };
        return tick();
      }
      case '/flood': {
        // SSE as fast as the socket takes it: `count` events of about `size` bytes (benchmarks).
        const count = Number(url.searchParams.get('count') ?? '10000');
        const pad = 'x'.repeat(Math.max(0, Number(url.searchParams.get('size') ?? '200') - 40));
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        let n = 0;
        const pump = () => {
          while (n < count) {
            if (!res.write(`data: {"type":"tick","n":${n++},"pad":"${pad}"}\n\n`)) return res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      case '/partial':
        // A JSON answer that breaks off: its length promised, a little of it sent, the socket cut.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 100_000 });
        res.write('{"items":[' + '1,'.repeat(200));
        return setTimeout(() => res.socket?.destroy(), 50);
      case '/hang':
        return undefined; // never answers (the client's abort must reach us)
      default:
        return json(res, 404, { error: `no route ${url.pathname}` });
    }
  });
});

server.on('upgrade', (req, socket) => {
  if (password && req.headers.authorization !== expected) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://fake');
  if (url.pathname !== '/ws') {
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const accept = crypto
    .createHash('sha1')
    .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
    .digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  // Not a real WebSocket peer: it echoes raw bytes, enough to prove the two sockets are spliced.
  socket.on('data', (chunk) => socket.write(chunk));
});

const hostname = option('--hostname', '127.0.0.1');
server.listen(Number(option('--port', '0')), hostname, () => {
  if (mode === 'silent') return;
  process.stdout.write(`opencode server listening on http://${hostname}:${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
