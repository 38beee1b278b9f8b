/**
 * The request handler: a generic adapter from HTTP to `runtime.invoke`. Command routes come from
 * the contract's table; nothing here knows what any command does.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  EVENT_STREAM_PATH,
  RuntimeError,
  extractHttpArgs,
  isPlainObject,
  readsBodyText,
  streams,
} from '@chamber/contract';
import type { Logger, Runtime } from '@chamber/runtime';
import { BodyTooLargeError, decodeComponent, parseQuery, readBody, readTextBody } from './body.js';
import type { EventStreamHub } from './event-stream.js';
import { buildHealthResponse, type HealthProvider } from './health.js';
import { Router, commandRoutes, isApiPath, type CommandRoute, type RouteMatch } from './routes.js';
import type { HostGuard } from './security.js';
import type { StaticFiles } from './static.js';
import { proxyRequest } from './proxy.js';
import { streamRoutes, type StreamRoute, type StreamRoutes } from './stream-routes.js';
import type { UiAuth } from './auth/ui-auth.js';

export interface AppOptions {
  runtime: Runtime;
  logger: Logger;
  hub: EventStreamHub;
  streams: StreamRoutes;
  guard: HostGuard;
  staticFiles: StaticFiles;
  /** The UI password gate and `/auth/session` (disabled when no password is set). */
  auth: UiAuth;
  health?: HealthProvider;
}

type RouteValue =
  | CommandRoute
  | StreamRoute
  | { kind: 'health' }
  | { kind: 'auth-session' }
  | { kind: 'events-open' }
  | { kind: 'events-edit' };

/** Longest path written to a log line; the rest is cut so a huge URL cannot flood the logs. */
const MAX_LOGGED_PATH = 1024;

export function buildRouter(): Router<RouteValue> {
  const router = new Router<RouteValue>()
    .add('GET', '/health', { kind: 'health' })
    .add('GET', '/auth/session', { kind: 'auth-session' })
    .add('POST', '/auth/session', { kind: 'auth-session' })
    .add('GET', EVENT_STREAM_PATH, { kind: 'events-open' })
    .add('POST', `${EVENT_STREAM_PATH}/:streamId`, { kind: 'events-edit' });
  for (const route of streamRoutes(streams)) router.add('GET', route.definition.http.path, route);
  for (const route of commandRoutes()) router.add(route.binding.method, route.binding.path, route);
  return router;
}

/**
 * Responses left out of the request log when they succeed: acknowledgement-only edits of the event
 * stream are flow control, sent every few dozen kilobytes of a busy subscription (hundreds a second
 * under a `yes` flood), like heartbeats rather than requests someone wants to read.
 */
const unlogged = new WeakSet<ServerResponse>();

function isAcknowledgementOnly(body: unknown): boolean {
  return isPlainObject(body) && Object.keys(body).length === 1 && 'ack' in body;
}

export function createRequestHandler(options: AppOptions): RequestListener {
  const router = buildRouter();
  return (req, res) => {
    const started = performance.now();
    const bytes = countBodyBytes(res);
    const method = req.method ?? 'GET';
    const { rawPath, search } = splitTarget(req.url ?? '/');
    const match = matchRoute(router, method, rawPath);
    // The reference registers /health before its request logger: monitoring polls stay out of the logs.
    if (match?.value.kind !== 'health') {
      res.on('close', () => {
        if (unlogged.has(res) && res.statusCode < 400) return;
        options.logger.log('info', 'request', {
          method,
          path: rawPath.slice(0, MAX_LOGGED_PATH),
          status: res.statusCode,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
          bytes: bytes(),
        });
      });
    }
    handle(options, req, res, method, rawPath, search, match).catch((error: unknown) => {
      options.logger.log('error', 'Unhandled error while serving a request', {
        method,
        path: rawPath.slice(0, MAX_LOGGED_PATH),
        error: error instanceof Error ? error.message : String(error),
      });
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'Internal server error' });
    });
  };
}

async function handle(
  options: AppOptions,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  rawPath: string,
  search: string,
  match: RouteMatch<RouteValue> | undefined,
): Promise<void> {
  if (!options.guard.allowsHost(req.headers.host)) return sendJson(res, 403, { error: 'Host not allowed' });
  const origin = req.headers.origin;
  if (
    method !== 'GET' &&
    method !== 'HEAD' &&
    origin !== undefined &&
    !options.guard.allowsOrigin(origin, req.headers.host)
  ) {
    return sendJson(res, 403, { error: 'Origin not allowed' });
  }
  try {
    // The password gate (§7.3): every route but /health and /auth/session, and every other /api
    // path (OpenCode's), before anything is parsed or forwarded. OPTIONS too: the UI is
    // same-origin and never preflights, and another origin's preflight is already refused above.
    const open = match?.value.kind === 'health' || match?.value.kind === 'auth-session';
    if (match ? !open : isApiPath(rawPath)) {
      const admission = await options.auth.admit(req);
      if (!admission.ok) return sendJson(res, admission.answer.status, admission.answer.body, admission.answer.headers);
      for (const [name, value] of Object.entries(admission.headers)) res.setHeader(name, value);
    }
    decodeComponent(rawPath); // a malformed escape anywhere in the path is a 400, whatever the route
    const query = parseQuery(search);
    if (!match) {
      // Every /api path the table does not own belongs to OpenCode (the reference's proxy, §8).
      if (isApiPath(rawPath))
        return await proxyRequest(options.runtime.opencode, req, res, rawPath, search, options.logger);
      if (method !== 'GET' && method !== 'HEAD') return notFound(res, method, rawPath);
      if (!(await options.staticFiles.serve(req, res, rawPath))) notFound(res, method, rawPath);
      return;
    }
    const route = match.value;
    switch (route.kind) {
      case 'health':
        return sendJson(res, 200, buildHealthResponse(options.health));
      case 'auth-session': {
        const answer =
          method === 'POST' ? await options.auth.login(req, () => readBody(req)) : await options.auth.status(req);
        return sendJson(res, answer.status, answer.body, answer.headers);
      }
      case 'events-open':
        return options.hub.open(req, res, query);
      case 'events-edit': {
        const body = await readBody(req);
        if (isAcknowledgementOnly(body)) unlogged.add(res);
        return sendJson(res, 200, options.hub.edit(match.params.streamId ?? '', body));
      }
      case 'stream':
        // A HEAD would open (and count as delivered) a subscription for nothing.
        if (method === 'HEAD') return sendJson(res, 405, { error: 'Method not allowed: HEAD' });
        return options.streams.open(req, res, route, match.params, query);
      case 'command': {
        const text = readsBodyText(route.binding) ? await readTextBody(req) : undefined;
        const body = method === 'GET' || method === 'HEAD' || text !== undefined ? undefined : await readBody(req);
        const args = extractHttpArgs(route.binding, { query, body, text, params: match.params });
        return sendJson(res, 200, (await invoke(options, route, args)) ?? null);
      }
    }
  } catch (error) {
    if (!(error instanceof RuntimeError)) throw error;
    if (error instanceof BodyTooLargeError) return rejectOversizedBody(req, res, error);
    // `detail` (when a handler gave one) explains the failure beside the reference's exact `error`.
    sendJson(res, error.status, { error: error.message, ...(error.detail !== undefined && { detail: error.detail }) });
  }
}

async function invoke(options: AppOptions, route: CommandRoute, args: Record<string, unknown>): Promise<unknown> {
  try {
    return await options.runtime.invoke(route.name, args, { transport: 'http' });
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    // The runtime promises to reject with RuntimeError only; anything else is a bug worth a log line.
    options.logger.log('error', 'Command failed with a non-RuntimeError', {
      command: route.name,
      error: error instanceof Error ? error.message : String(error),
    });
    throw new RuntimeError(500, route.fallbackError);
  }
}

/**
 * Answer 413 and close the connection: the unread rest of the body would otherwise be drained
 * (a 10 MB upload read for nothing) or, without draining, break the next request on the socket.
 */
function rejectOversizedBody(req: IncomingMessage, res: ServerResponse, error: RuntimeError): void {
  sendJson(res, error.status, { error: error.message }, { Connection: 'close' });
  res.on('finish', () => {
    // Give the client a moment to read the answer before the socket goes away (closing with
    // unread input makes the kernel send a reset that can discard the response).
    const socket = req.socket;
    const timer = setTimeout(() => socket.destroy(), 1_000);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    req.resume();
  });
}

function notFound(res: ServerResponse, method: string, rawPath: string): void {
  sendJson(res, 404, { error: `Not found: ${method} ${rawPath.slice(0, MAX_LOGGED_PATH)}` });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Undefined when nothing matches, or when the path does not decode (`handle` answers that 400). */
function matchRoute(router: Router<RouteValue>, method: string, rawPath: string): RouteMatch<RouteValue> | undefined {
  try {
    return router.match(method, rawPath);
  } catch {
    return undefined;
  }
}

/** Path and query of a request target; an absolute-form target (`http://host/path`) is reduced too. */
function splitTarget(target: string): { rawPath: string; search: string } {
  let rest = target;
  if (!rest.startsWith('/')) {
    try {
      const url = new URL(rest);
      rest = url.pathname + url.search;
    } catch {
      rest = `/${rest}`;
    }
  }
  const q = rest.indexOf('?');
  return q === -1 ? { rawPath: rest, search: '' } : { rawPath: rest.slice(0, q), search: rest.slice(q + 1) };
}

/** Count body bytes as they are written (headers excluded), for the request log line. */
function countBodyBytes(res: ServerResponse): () => number {
  let bytes = 0;
  const add = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string')
      bytes += Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    else if (chunk instanceof Uint8Array) bytes += chunk.byteLength;
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    add(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    if (typeof args[0] !== 'function') add(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
  return () => bytes;
}
