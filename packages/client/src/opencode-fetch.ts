/**
 * One `fetch` for OpenCode's API on either transport, so the official `@opencode-ai/sdk` client
 * (which takes a `fetch` and a base URL) runs unchanged in a browser and in the desktop window.
 *
 * - web: the server forwards every `/api` path it does not own to OpenCode: a plain fetch.
 * - desktop: no port and no HTTP; a request becomes the `opencode_request` command and its body,
 *   when not small, the `opencode://<requestId>` events, turned back into a streaming `Response`.
 *   Events are acknowledged as the reader takes them, so a reader that stops pulling stops
 *   OpenCode's answer upstream (the runtime's flow-control window), not the whole window.
 */
import { OPENCODE_BODY_PART_LENGTH, type OpenCodeResponseHead, type OpenCodeStreamEvent } from '@chamber/contract';
import { messageOf } from './errors.js';
import type { Transport } from './transport.js';

export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export interface ChamberOpenCodeAPI {
  /** `fetch` for URLs under `<baseUrl>` (`…/api/session`, `…/api/event`): give both to the SDK. */
  fetch: FetchFunction;
  /** Where OpenCode's API lives for this page: `<origin>/api`. */
  baseUrl: string;
}

/** Statuses whose responses cannot have a body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function pageOrigin(): string {
  const location = (globalThis as { location?: { origin?: string } }).location;
  return location?.origin && location.origin !== 'null' ? location.origin : 'http://chamber.invalid';
}

export function createOpenCodeAPI(transport: Transport): ChamberOpenCodeAPI {
  if (transport.http) {
    const { http } = transport;
    return { baseUrl: `${http.baseUrl || pageOrigin()}/api`, fetch: (input, init) => http.fetch(input, init) };
  }
  return { baseUrl: `${pageOrigin()}/api`, fetch: createIpcOpenCodeFetch(transport) };
}

function newRequestId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto?.randomUUID) return crypto.randomUUID();
  return `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

const encoder = new TextEncoder();
const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A body as text when it is valid UTF-8 (JSON prompts, nearly always), else base64. */
function encodeBody(bytes: Uint8Array): { data: string; encoding: 'utf8' | 'base64' } {
  try {
    return { data: fatalDecoder.decode(bytes), encoding: 'utf8' };
  } catch {
    return { data: toBase64(bytes), encoding: 'base64' };
  }
}

function toHeaders(raw: OpenCodeResponseHead['headers']): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    for (const item of [value].flat()) {
      try {
        headers.append(name, item);
      } catch {
        // a header a Response may not carry (the browser's own rules): leave it out
      }
    }
  }
  return headers;
}

/** The IPC half: Request in, Response (with a streaming body) out. */
export function createIpcOpenCodeFetch(transport: Transport): FetchFunction {
  return async (input, init) => {
    const request = new Request(
      typeof input === 'string' && input.startsWith('/') ? pageOrigin() + input : input,
      init,
    );
    const url = new URL(request.url);
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) {
      throw new TypeError(`Failed to fetch: ${url.pathname} is not an OpenCode path (/api/...)`);
    }
    const { signal } = request;
    if (signal.aborted) throw abortError(signal);
    const requestId = newRequestId();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name] = value));
    const method = request.method.toUpperCase();
    const bytes =
      request.body && method !== 'GET' && method !== 'HEAD' ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const cancel = (): void => void transport.invoke('opencode_request_cancel', { requestId }).catch(() => undefined);
    signal.addEventListener('abort', cancel, { once: true });
    let head: OpenCodeResponseHead;
    try {
      const body = bytes && bytes.length > 0 ? encodeBody(bytes) : undefined;
      let inParts = false;
      if (body && body.data.length > OPENCODE_BODY_PART_LENGTH) {
        inParts = true;
        for (let at = 0; at < body.data.length; at += OPENCODE_BODY_PART_LENGTH) {
          // base64 parts must cut at a multiple of 4 characters; the part length is one.
          const data = body.data.slice(at, at + OPENCODE_BODY_PART_LENGTH);
          await transport.invoke('opencode_request_body', { requestId, data, bodyEncoding: body.encoding });
          if (signal.aborted) throw abortError(signal);
        }
      }
      head = await transport.invoke('opencode_request', {
        requestId,
        method: method as 'GET',
        path: (url.pathname.slice('/api'.length) || '/') + url.search,
        headers,
        ...(body && !inParts && { body: body.data, bodyEncoding: body.encoding }),
        ...(inParts && { bodyInParts: true }),
      });
    } catch (error) {
      signal.removeEventListener('abort', cancel);
      if (signal.aborted) throw abortError(signal);
      // What a browser's fetch does on a network failure.
      throw new TypeError(`Failed to fetch: ${messageOf(error)}`, { cause: error });
    }
    const responseHeaders = toHeaders(head.headers);
    if (NULL_BODY_STATUSES.has(head.status) || method === 'HEAD' || (!head.stream && head.body === undefined)) {
      signal.removeEventListener('abort', cancel);
      return new Response(null, { status: head.status, headers: responseHeaders });
    }
    if (!head.stream) {
      signal.removeEventListener('abort', cancel);
      const body = head.bodyEncoding === 'base64' ? fromBase64(head.body ?? '') : encoder.encode(head.body ?? '');
      return new Response(body as Uint8Array<ArrayBuffer>, { status: head.status, headers: responseHeaders });
    }
    return new Response(streamBody(transport, requestId, signal, cancel), {
      status: head.status,
      headers: responseHeaders,
    });
  };
}

function streamBody(
  transport: Transport,
  requestId: string,
  signal: AbortSignal,
  cancel: () => void,
): ReadableStream<Uint8Array> {
  let finished = false;
  let unlisten: (() => void) | undefined;
  /** Resolves the promise that holds the acknowledgement of the last event while the queue is full. */
  let wake: (() => void) | undefined;
  const finish = (): void => {
    finished = true;
    signal.removeEventListener('abort', cancel);
    wake?.();
    unlisten?.();
  };
  return new ReadableStream<Uint8Array>(
    {
      async start(controller) {
        const onAbort = (): void => {
          if (finished) return;
          finish();
          controller.error(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          unlisten = await transport.listen(
            `opencode://${requestId}`,
            (payload) => {
              if (finished) return undefined;
              const event = payload as OpenCodeStreamEvent;
              if (event.type === 'data') {
                controller.enqueue(event.encoding === 'base64' ? fromBase64(event.data) : encoder.encode(event.data));
                if ((controller.desiredSize ?? 1) > 0) return undefined;
                return new Promise<void>((resolve) => (wake = resolve));
              }
              finish();
              if (event.type === 'end') controller.close();
              else controller.error(new TypeError(`network error: ${event.message}`));
              return undefined;
            },
            {
              since: 0,
              onLost: (error) => {
                if (finished) return;
                finish();
                controller.error(new TypeError(`network error: ${error.message}`));
              },
            },
          );
          if (finished) unlisten();
        } catch (error) {
          if (finished) return;
          finish();
          controller.error(new TypeError(`network error: ${messageOf(error)}`));
        }
      },
      pull() {
        const resume = wake;
        wake = undefined;
        resume?.();
      },
      cancel() {
        if (finished) return;
        finish();
        cancel();
      },
    },
    { highWaterMark: 32 },
  );
}
