import { describe, expect, it } from 'vitest';
import { createSseParser, readSseStream, type SseMessage } from '../src/sse.js';

function parseChunks(chunks: string[]): SseMessage[] {
  const messages: SseMessage[] = [];
  const parser = createSseParser((m) => messages.push(m));
  for (const chunk of chunks) parser.push(chunk);
  parser.end();
  return messages;
}

describe('SSE parser', () => {
  it('parses data lines into messages', () => {
    expect(parseChunks(['data: {"type":"ready","streamId":"a"}\n\n'])).toEqual([
      { event: 'message', data: '{"type":"ready","streamId":"a"}', lastEventId: '' },
    ]);
  });

  it('reassembles messages split mid-line and mid-field across chunks', () => {
    const text = 'data: first\n\ndata: second\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(parseChunks([text.slice(0, cut), text.slice(cut)]).map((m) => m.data)).toEqual(['first', 'second']);
    }
    expect(parseChunks([...text]).map((m) => m.data)).toEqual(['first', 'second']);
  });

  it('accepts CRLF and lone CR line endings, including a CRLF split between chunks', () => {
    expect(parseChunks(['data: a\r\n\r\ndata: b\r\rdata: c\n\n']).map((m) => m.data)).toEqual(['a', 'b', 'c']);
    // '\r' ends one chunk and '\n' starts the next: one line break, not an extra blank line.
    expect(parseChunks(['data: x\r', '\ndata: y\r\n', '\r\n']).map((m) => m.data)).toEqual(['x\ny']);
  });

  it('gives the same messages however a text with every kind of line ending is cut into three chunks', () => {
    const text = 'data: a\r\n\r\ndata: b\r\rid: 3\ndata: c\n\n: note\r\ndata: d\ndata: e\r\n\r\n';
    const whole = parseChunks([text]);
    expect(whole.map((m) => m.data)).toEqual(['a', 'b', 'c', 'd\ne']);
    for (let first = 1; first < text.length; first++) {
      for (let second = first; second < text.length; second++) {
        const chunks = [text.slice(0, first), text.slice(first, second), text.slice(second)];
        expect(parseChunks(chunks), JSON.stringify(chunks)).toEqual(whole);
      }
    }
  });

  it('skips comments (heartbeats) and unknown fields', () => {
    expect(parseChunks([': heartbeat\n\n', ':\n', 'foo: bar\nretry: 10\ndata: z\n\n']).map((m) => m.data)).toEqual([
      'z',
    ]);
  });

  it('joins multi-line data with newlines and keeps event type and id', () => {
    expect(parseChunks(['event: update\nid: 7\ndata: one\ndata:two\ndata\n\n'])).toEqual([
      { event: 'update', data: 'one\ntwo\n', lastEventId: '7' },
    ]);
  });

  it('removes only one leading space of a value and a leading BOM', () => {
    expect(parseChunks(['\uFEFFdata:  spaced\n\n']).map((m) => m.data)).toEqual([' spaced']);
  });

  it('drops an event left unterminated at end of stream', () => {
    expect(parseChunks(['data: complete\n\ndata: partial\n']).map((m) => m.data)).toEqual(['complete']);
  });

  it('reads a byte stream with multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo ✓\n\ndata: bye\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 3) controller.enqueue(bytes.slice(i, i + 3));
        controller.close();
      },
    });
    const messages: string[] = [];
    await readSseStream(stream, (m) => messages.push(m.data));
    expect(messages).toEqual(['héllo ✓', 'bye']);
  });
});
