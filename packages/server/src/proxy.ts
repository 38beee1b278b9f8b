/**
 * The web face of the pass-through to OpenCode (files-terminal-system.md §8): every `/api` request
 * the command table does not answer goes to the runtime's OpenCode supervisor with `/api` removed,
 * its body and the answer streamed without buffering (OpenCode's SSE `/event` included), and
 * WebSocket upgrades under `/api` only, after the same Host/Origin checks as every request (the
 * reference forwarded any path's upgrade, unchecked). What OpenCode is, how it is reached and its
 * credentials are the runtime's business; this file only moves bytes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger, Runtime } from '@chamber/runtime';

type OpenCode = Runtime['opencode'];

/** `/api/session` → `/session`, `/api` → `/`; the raw (still encoded) path and query are kept. */
export function openCodeTarget(rawPath: string, search: string): string {
  const rest = rawPath.slice('/api'.length) || '/';
  return search ? `${rest}?${search}` : rest;
}

export async function proxyRequest(
  opencode: OpenCode,
  req: IncomingMessage,
  res: ServerResponse,
  rawPath: string,
  search: string,
  logger: Logger,
): Promise<void> {
  const aborter = new AbortController();
  // The client went away (closed the tab, dropped the SSE stream): stop the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort();
  });
  const method = req.method ?? 'GET';
  let answer;
  try {
    answer = await opencode.proxy({
      method,
      target: openCodeTarget(rawPath, search),
      headers: req.headers,
      body: method === 'GET' || method === 'HEAD' ? null : req,
      signal: aborter.signal,
    });
  } catch (error) {
    if (aborter.signal.aborted) return;
    throw error;
  }
  if (res.destroyed) {
    answer.body?.destroy();
    return;
  }
  res.writeHead(answer.status, answer.headers);
  // An event stream's headers go out at once (its client counts as connected on them, and the
  // first event may be long in coming); any other answer's go with its first chunk: two small
  // writes cost a round of delayed acknowledgement (+2-5 ms a request, measured).
  if (isStream(answer.headers)) res.flushHeaders();
  const body = answer.body;
  if (!body) return void res.end();
  body.on('error', (error) => {
    // OpenCode died mid-answer: end the client's response as broken, never as complete.
    if (!aborter.signal.aborted)
      logger.log('warn', 'OpenCode answer cut', { path: rawPath.slice(0, 256), error: error.message });
    res.destroy();
  });
  res.on('close', () => body.destroy());
  body.pipe(res);
}

function isStream(headers: Record<string, string | string[]>): boolean {
  const type = [headers['content-type'] ?? ''].flat()[0] ?? '';
  return /^text\/event-stream/i.test(type);
}

/**
 * Hand a WebSocket upgrade on an `/api` path to OpenCode and splice the two sockets together. The
 * caller has checked Host and Origin; anything OpenCode refuses is answered on the socket.
 */
export async function proxyUpgrade(
  opencode: OpenCode,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  rawPath: string,
  search: string,
): Promise<void> {
  const aborter = new AbortController();
  socket.on('close', () => aborter.abort());
  socket.on('error', () => aborter.abort());
  let answer;
  try {
    answer = await opencode.upgrade({
      method: req.method ?? 'GET',
      target: openCodeTarget(rawPath, search),
      headers: req.headers,
      signal: aborter.signal,
    });
  } catch {
    socket.destroy();
    return;
  }
  if (!('socket' in answer)) {
    const chunks: Buffer[] = [];
    if (answer.body) for await (const chunk of answer.body) chunks.push(chunk as Buffer);
    return refuseUpgrade(socket, answer.status, Buffer.concat(chunks).toString('utf8'));
  }
  const upstream = answer.socket;
  if (socket.destroyed) return void upstream.destroy();
  const lines = ['HTTP/1.1 101 Switching Protocols'];
  for (const [name, value] of Object.entries(answer.headers))
    for (const item of [value].flat()) lines.push(`${name}: ${item}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (head.length > 0) upstream.write(head);
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  upstream.on('close', () => socket.destroy());
  socket.on('close', () => upstream.destroy());
  upstream.pipe(socket);
  socket.pipe(upstream);
}

/** A plain HTTP answer on a socket that asked to upgrade, then close it. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  json: string,
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  const reason =
    {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
      504: 'Gateway Timeout',
    }[status] ?? 'Error';
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\n${extra}Connection: close\r\n\r\n${json}`,
  );
}
