/**
 * Server-sent events over a fetch body stream. We read the stream ourselves instead of using
 * `EventSource` so the same code runs in Node (tests, desktop host tooling) and can send headers
 * (an auth token, for instance). Parsing follows the HTML spec's event-stream interpretation:
 * lines end in CRLF, LF or CR; `:` starts a comment (heartbeats); consecutive `data:` lines are
 * joined with '\n'; a blank line dispatches; an unterminated event at end of stream is dropped.
 */
import { createUtf8StreamDecoder } from '@chamber/contract';

export interface SseMessage {
  /** `event:` field, 'message' when absent. */
  event: string;
  data: string;
  /** Last `id:` seen on the stream so far ('' when none). */
  lastEventId: string;
}

export interface SseParser {
  /** Feed decoded text; may contain any number of lines, or part of one. */
  push(text: string): void;
  /** End of stream: discard any partial line and undispatched event. */
  end(): void;
}

export function createSseParser(onMessage: (message: SseMessage) => void): SseParser {
  /** The unfinished line: pieces of earlier chunks, joined once its line break arrives. */
  let partial: string[] = [];
  let started = false;
  // A chunk that ends in '\r' may be followed by '\n' in the next chunk: one line ending, not two.
  let skipLeadingLf = false;
  let data: string[] = [];
  let eventType = '';
  let lastEventId = '';

  function dispatch(): void {
    if (data.length > 0) {
      const joined = data.length === 1 ? (data[0] as string) : data.join('\n');
      onMessage({ event: eventType || 'message', data: joined, lastEventId });
    }
    data = [];
    eventType = '';
  }

  function line(text: string): void {
    if (text === '') return dispatch();
    if (text.charCodeAt(0) === 58 /* : */) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    // One copy of the value (a `data:` line can be a whole terminal chunk), without the optional space.
    const valueStart = colon === -1 ? text.length : colon + 1 + (text.charCodeAt(colon + 1) === 32 ? 1 : 0);
    switch (field) {
      case 'data':
        data.push(text.slice(valueStart));
        break;
      case 'event':
        eventType = text.slice(valueStart);
        break;
      case 'id': {
        const value = text.slice(valueStart);
        if (!value.includes('\0')) lastEventId = value;
        break;
      }
      // `retry` is ignored: reconnection timing is the transport's own backoff policy.
    }
  }

  return {
    push(text) {
      if (!started && text.length > 0) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      let start = 0;
      if (skipLeadingLf && text.charCodeAt(0) === 10) start = 1;
      skipLeadingLf = false;
      // Next LF and CR at or after `start`, found with native scans and each rescanned only once
      // passed, so a chunk of many lines is scanned in linear time.
      let lf = text.indexOf('\n', start);
      let cr = text.indexOf('\r', start);
      for (;;) {
        if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
        if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
        const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
        if (end === -1) break;
        let content = text.slice(start, end);
        if (partial.length > 0) {
          partial.push(content);
          content = partial.join('');
          partial = [];
        }
        line(content);
        start = end + 1;
        if (text.charCodeAt(end) === 13) {
          if (start === text.length) skipLeadingLf = true;
          else if (text.charCodeAt(start) === 10) start++;
        }
      }
      if (start < text.length) partial.push(start === 0 ? text : text.slice(start));
    },
    end() {
      partial = [];
      data = [];
      eventType = '';
    },
  };
}

/**
 * Read an event stream to its end, calling `onMessage` for each event. Resolves when the server
 * closes the stream; rejects on a read error (including an abort through the fetch's signal).
 */
export async function readSseStream(
  body: ReadableStream<Uint8Array>,
  onMessage: (message: SseMessage) => void,
  /** Called for every chunk received, comments (heartbeats) included. */
  onBytes?: () => void,
): Promise<void> {
  const parser = createSseParser(onMessage);
  const oneShot = new TextDecoder();
  const decoder = createUtf8StreamDecoder((bytes) => oneShot.decode(bytes));
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onBytes?.();
      parser.push(decoder.write(value));
    }
    parser.push(decoder.end());
  } finally {
    parser.end();
    reader.releaseLock();
  }
}
