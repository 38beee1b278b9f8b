/**
 * Server-sent events over a fetch body stream. We read the stream ourselves instead of using
 * `EventSource` so the same code runs in Node (tests, desktop host tooling) and can send headers
 * (an auth token, for instance). Parsing follows the HTML spec's event-stream interpretation:
 * lines end in CRLF, LF or CR; `:` starts a comment (heartbeats); consecutive `data:` lines are
 * joined with '\n'; a blank line dispatches; an unterminated event at end of stream is dropped.
 */

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
  let buffer = '';
  let started = false;
  // A chunk that ends in '\r' may be followed by '\n' in the next chunk: one line ending, not two.
  let skipLeadingLf = false;
  let data: string[] = [];
  let eventType = '';
  let lastEventId = '';

  function dispatch(): void {
    if (data.length > 0) onMessage({ event: eventType || 'message', data: data.join('\n'), lastEventId });
    data = [];
    eventType = '';
  }

  function line(text: string): void {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        data.push(value);
        break;
      case 'event':
        eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      // `retry` is ignored: reconnection timing is the transport's own backoff policy.
    }
  }

  return {
    push(text) {
      if (!started && text.length > 0) {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (skipLeadingLf && text.startsWith('\n')) text = text.slice(1);
      skipLeadingLf = false;
      // The kept remainder holds no line break, so scanning resumes where it ends (no rescans).
      let i = buffer.length;
      buffer += text;
      let start = 0;
      for (; i < buffer.length; i++) {
        const ch = buffer.charCodeAt(i);
        if (ch !== 10 && ch !== 13) continue;
        line(buffer.slice(start, i));
        if (ch === 13) {
          if (i + 1 < buffer.length) {
            if (buffer.charCodeAt(i + 1) === 10) i++;
          } else {
            skipLeadingLf = true;
          }
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    end() {
      buffer = '';
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
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onBytes?.();
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
  } finally {
    parser.end();
    reader.releaseLock();
  }
}
