/**
 * Requests to OpenCode's HTTP API, streamed both ways, for every transport: the web server hands
 * over an incoming request's body stream and writes the answer to its response; the desktop IPC
 * command hands over a buffer and carries the answer's body as events. The credentials of the
 * locked port are added here and nowhere else.
 */
import { Readable, type Duplex } from 'node:stream';
import { Pool, errors as undiciErrors } from 'undici';
import { OPENCODE_PROXY_ERRORS } from '@chamber/contract';

export interface ProxyRequest {
  method: string;
  /** OpenCode path with its query, e.g. `/session?directory=/x` (the `/api` prefix already removed). */
  target: string;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body?: Readable | Uint8Array | null;
  /** Aborts the upstream request (the client went away). */
  signal?: AbortSignal;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** The body as it arrives; it errors when OpenCode dies mid-answer. Null for HEAD and 204/304. */
  body: Readable | null;
}

export interface ProxyUpgrade {
  status: 101;
  headers: Record<string, string | string[]>;
  socket: Duplex;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) and what only this hop may set. */
const DROPPED_REQUEST_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'expect',
  'host',
  // Ours: OpenCode gets its own Basic credentials, never the browser's cookies or auth.
  'authorization',
  'cookie',
  // Checked by our server already; OpenCode's own CORS rules are about its port, not ours.
  'origin',
]);

const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function filterHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  dropped: ReadonlySet<string>,
): Record<string, string | string[]> {
  const named = new Set<string>();
  const connection = headers.connection ?? headers.Connection;
  for (const value of [connection ?? []].flat())
    for (const name of String(value).split(',')) named.add(name.trim().toLowerCase());
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(headers)) {
    const name = key.toLowerCase();
    if (value === undefined || dropped.has(name) || named.has(name) || name.startsWith(':')) continue;
    out[name] = typeof value === 'string' ? value : [...value];
  }
  return out;
}

/** A JSON answer made here (gate and connection failures): same shape on every transport. */
export function jsonProxyResponse(status: number, value: unknown): ProxyResponse {
  const body = Buffer.from(JSON.stringify(value));
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) },
    body: Readable.from([body]),
  };
}

export interface UpstreamOptions {
  port: number;
  password: string;
  /** Bound on establishing the TCP connection; answers and streams have no timeout. */
  connectTimeoutMs: number;
}

/** The connection pool to one OpenCode process, with its credentials. */
export class Upstream {
  readonly port: number;
  readonly #pool: Pool;
  readonly #authorization: string;

  constructor(options: UpstreamOptions) {
    this.port = options.port;
    this.#authorization = `Basic ${Buffer.from(`opencode:${options.password}`).toString('base64')}`;
    this.#pool = new Pool(`http://127.0.0.1:${options.port}`, {
      connect: { timeout: options.connectTimeoutMs },
      // Streams (SSE) stay open for as long as the client keeps them.
      headersTimeout: 0,
      bodyTimeout: 0,
      keepAliveTimeout: 4_000,
      connections: 64,
      pipelining: 1,
    });
  }

  get authorization(): string {
    return this.#authorization;
  }

  async request(request: ProxyRequest): Promise<ProxyResponse> {
    const headers = { ...filterHeaders(request.headers, DROPPED_REQUEST_HEADERS), authorization: this.#authorization };
    const method = request.method.toUpperCase();
    const hasBody = request.body !== undefined && request.body !== null && method !== 'GET' && method !== 'HEAD';
    try {
      const answer = await this.#pool.request({
        path: request.target,
        method: method as 'GET',
        headers,
        body: hasBody ? (request.body as Readable | Uint8Array) : null,
        signal: request.signal,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const noBody = method === 'HEAD' || answer.statusCode === 204 || answer.statusCode === 304;
      if (noBody) answer.body.resume();
      return {
        status: answer.statusCode,
        headers: filterHeaders(answer.headers, DROPPED_RESPONSE_HEADERS),
        body: noBody ? null : (answer.body as unknown as Readable),
      };
    } catch (error) {
      if (request.signal?.aborted) throw error;
      return upstreamFailure(error);
    }
  }

  /** A WebSocket (or other) upgrade through to OpenCode; an error answer when it refuses or fails. */
  async upgrade(request: ProxyRequest): Promise<ProxyUpgrade | ProxyResponse> {
    const headers = { ...filterHeaders(request.headers, DROPPED_REQUEST_HEADERS), authorization: this.#authorization };
    const protocol = String(request.headers.upgrade ?? 'websocket');
    try {
      const answer = await this.#pool.upgrade({
        path: request.target,
        method: request.method.toUpperCase() as 'GET',
        headers,
        protocol,
        signal: request.signal,
      });
      return { status: 101, headers: filterHeaders(answer.headers, new Set()), socket: answer.socket };
    } catch (error) {
      if (request.signal?.aborted) throw error;
      return upstreamFailure(error);
    }
  }

  close(): void {
    void this.#pool.destroy().catch(() => undefined);
  }
}

const connectionFailures = new WeakSet<ProxyResponse>();

/** True for the answer made when the connection to OpenCode failed before it answered. */
export function isConnectionFailure(response: ProxyResponse): boolean {
  return connectionFailures.has(response);
}

function upstreamFailure(error: unknown): ProxyResponse {
  const code = (error as { code?: string }).code;
  const reason = code ?? (error instanceof Error ? error.message : String(error));
  const response =
    error instanceof undiciErrors.ConnectTimeoutError
      ? jsonProxyResponse(504, { error: OPENCODE_PROXY_ERRORS.timeout })
      : jsonProxyResponse(502, { error: OPENCODE_PROXY_ERRORS.badGateway, reason });
  connectionFailures.add(response);
  return response;
}
