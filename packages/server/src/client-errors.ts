/**
 * Requests Node's HTTP parser refuses before any handler runs (`clientError`): a request line and
 * headers over the limit, a malformed request, a header timeout. Without a listener Node answers
 * a bare status line (`431 Request Header Fields Too Large`, no body); clients only read JSON, so
 * these get the `{ "error": … }` body every other refusal has (policy §2), then the connection
 * closes, as Node's own answer does.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';

/** Longest request line plus headers accepted (Node's default, pinned so the message stays true). */
export const MAX_HEADER_BYTES = 16 * 1024;
export const HEADERS_TOO_LARGE_MESSAGE = 'Request URL and headers too large (limit 16 KiB)';
export const MALFORMED_REQUEST_MESSAGE = 'Malformed HTTP request';

/** The `clientError` listener: a JSON answer when nothing was written on the socket yet. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  const written = (socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0;
  if (error.code === 'ECONNRESET' || !socket.writable || written > 0) {
    // The peer is gone, or a response is already under way: nothing sensible can be added.
    socket.destroy();
    return;
  }
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, HEADERS_TOO_LARGE_MESSAGE]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timed out']
        : error.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
          ? [413, 'Chunk extensions too large']
          : [400, MALFORMED_REQUEST_MESSAGE];
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
    // The client may still be sending the rest of its oversized request: stop reading it.
    () => socket.destroy(),
  );
}
