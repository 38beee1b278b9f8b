import type { AssistantMessage, Event, Part, UserMessage } from '@opencode-ai/sdk/v2/client';
import { describe, expect, it } from 'vitest';
import {
  addedFileDiff,
  applyEvent,
  clipText,
  EMPTY_CHAT,
  insertMention,
  mentionAt,
  mentionedPaths,
  mergeSnapshot,
  toolDiff,
  usageLine,
  type ChatData,
  type ChatEffects,
  type MessageEntry,
} from '../src/chat/chat-model.js';

const S = 'ses_1';

function user(id: string): UserMessage {
  return {
    id,
    sessionID: S,
    role: 'user',
    time: { created: 1 },
    agent: 'build',
    model: { providerID: 'fake', modelID: 'm1' },
  };
}

function assistant(id: string, extra: Partial<AssistantMessage> = {}): AssistantMessage {
  return {
    id,
    sessionID: S,
    role: 'assistant',
    time: { created: 2 },
    parentID: 'msg_1',
    modelID: 'm1',
    providerID: 'fake',
    mode: 'build',
    agent: 'build',
    path: { cwd: '/w', root: '/w' },
    cost: 0,
    tokens: { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } },
    ...extra,
  };
}

function text(id: string, messageID: string, value: string): Part {
  return { id, sessionID: S, messageID, type: 'text', text: value };
}

const loaded = (): ChatData => ({ ...EMPTY_CHAT, conversations: { [S]: [] } });

function fold(data: ChatData, events: Event[], effects?: ChatEffects): ChatData {
  return events.reduce((state, event) => applyEvent(state, event, effects), data);
}

const messageUpdated = (info: UserMessage | AssistantMessage): Event => ({
  id: 'e',
  type: 'message.updated',
  properties: { sessionID: S, info },
});
const partUpdated = (part: Part): Event => ({
  id: 'e',
  type: 'message.part.updated',
  properties: { sessionID: S, part, time: 0 },
});
const delta = (messageID: string, partID: string, value: string): Event => ({
  id: 'e',
  type: 'message.part.delta',
  properties: { sessionID: S, messageID, partID, field: 'text', delta: value },
});

function texts(data: ChatData): string[] {
  return (data.conversations[S] ?? []).flatMap((entry) =>
    entry.parts.flatMap((part) => (part.type === 'text' ? [`${entry.info.id}/${part.id}:${part.text}`] : [])),
  );
}

describe('applyEvent', () => {
  it('grows a text part by its deltas, after the part was announced empty', () => {
    const data = fold(loaded(), [
      messageUpdated(user('msg_1')),
      partUpdated(text('prt_1', 'msg_1', 'hello')),
      messageUpdated(assistant('msg_2')),
      partUpdated(text('prt_2', 'msg_2', '')),
      delta('msg_2', 'prt_2', 'Hel'),
      delta('msg_2', 'prt_2', 'lo '),
      delta('msg_2', 'prt_2', 'there'),
    ]);
    expect(texts(data)).toEqual(['msg_1/prt_1:hello', 'msg_2/prt_2:Hello there']);
  });

  it('the final part update replaces the streamed text (no doubling)', () => {
    const data = fold(loaded(), [
      messageUpdated(assistant('msg_2')),
      partUpdated(text('prt_2', 'msg_2', '')),
      delta('msg_2', 'prt_2', 'Hello'),
      partUpdated(text('prt_2', 'msg_2', 'Hello')),
    ]);
    expect(texts(data)).toEqual(['msg_2/prt_2:Hello']);
  });

  it('drops a delta for a part it has not seen, and events of sessions not loaded', () => {
    const data = fold(loaded(), [messageUpdated(assistant('msg_2')), delta('msg_2', 'prt_9', 'lost')]);
    expect(data.conversations[S]?.[0]?.parts).toEqual([]);
    const other = applyEvent(EMPTY_CHAT, messageUpdated(assistant('msg_2')));
    expect(other).toBe(EMPTY_CHAT);
  });

  it('keeps messages and parts in id order whatever order they arrive in', () => {
    const data = fold(loaded(), [
      messageUpdated(assistant('msg_3')),
      messageUpdated(user('msg_1')),
      partUpdated(text('prt_b', 'msg_3', 'b')),
      partUpdated(text('prt_a', 'msg_3', 'a')),
      messageUpdated(assistant('msg_3', { cost: 1 })),
    ]);
    expect(data.conversations[S]?.map((entry) => entry.info.id)).toEqual(['msg_1', 'msg_3']);
    // A later message.updated keeps the parts it does not carry.
    expect(texts(data)).toEqual(['msg_3/prt_a:a', 'msg_3/prt_b:b']);
  });

  it('adds and removes permission requests; reports a session that went idle', () => {
    const asked: Event = {
      id: 'e',
      type: 'permission.asked',
      properties: { id: 'per_1', sessionID: S, permission: 'edit', patterns: ['a.txt'], metadata: {}, always: ['*'] },
    };
    const effects: ChatEffects = { finished: [] };
    let data = fold(loaded(), [
      { id: 'e', type: 'session.status', properties: { sessionID: S, status: { type: 'busy' } } },
      asked,
      asked,
    ]);
    expect(data.permissions[S]?.map((request) => request.id)).toEqual(['per_1']);
    data = fold(
      data,
      [
        { id: 'e', type: 'permission.replied', properties: { sessionID: S, requestID: 'per_1', reply: 'once' } },
        { id: 'e', type: 'session.idle', properties: { sessionID: S } },
      ],
      effects,
    );
    expect(data.permissions[S]).toEqual([]);
    expect(data.status[S]).toBe('idle');
    expect(effects.finished).toEqual([S]);
  });
});

describe('mergeSnapshot (reconnect)', () => {
  const snapshot = (): MessageEntry[] => [
    { info: user('msg_1'), parts: [text('prt_1', 'msg_1', 'hi')] },
    { info: assistant('msg_2'), parts: [text('prt_2', 'msg_2', 'Hello wor')] },
  ];

  it('loads into an empty conversation in id order', () => {
    const reversed = snapshot().reverse();
    expect(mergeSnapshot(undefined, reversed).map((entry) => entry.info.id)).toEqual(['msg_1', 'msg_2']);
  });

  it('never doubles a part held both locally and in the snapshot', () => {
    const local = snapshot();
    const merged = mergeSnapshot(local, snapshot());
    expect(merged.flatMap((entry) => entry.parts.map((part) => part.id))).toEqual(['prt_1', 'prt_2']);
  });

  it('keeps text that streamed in after the snapshot was taken, and parts and messages newer than it', () => {
    const local: MessageEntry[] = [
      { info: user('msg_1'), parts: [text('prt_1', 'msg_1', 'hi')] },
      {
        info: assistant('msg_2'),
        parts: [text('prt_2', 'msg_2', 'Hello world'), text('prt_3', 'msg_2', 'more')],
      },
      { info: user('msg_4'), parts: [text('prt_9', 'msg_4', 'next')] },
    ];
    const merged = mergeSnapshot(local, snapshot());
    const flat = merged.flatMap((entry) =>
      entry.parts.map((part) => `${entry.info.id}/${part.id}:${part.type === 'text' ? part.text : ''}`),
    );
    expect(flat).toEqual(['msg_1/prt_1:hi', 'msg_2/prt_2:Hello world', 'msg_2/prt_3:more', 'msg_4/prt_9:next']);
  });

  it('takes the snapshot when the texts differ, and drops older local messages it no longer has', () => {
    const local: MessageEntry[] = [
      { info: user('msg_0'), parts: [text('prt_0', 'msg_0', 'deleted meanwhile')] },
      { info: assistant('msg_2'), parts: [text('prt_2', 'msg_2', 'something else entirely')] },
    ];
    const merged = mergeSnapshot(local, snapshot());
    expect(merged.map((entry) => entry.info.id)).toEqual(['msg_1', 'msg_2']);
    expect(merged[1]?.parts[0]).toMatchObject({ text: 'Hello wor' });
  });

  it('a reconnect in the middle of a stream: deltas after the reload land once', () => {
    let data = fold(loaded(), [
      messageUpdated(assistant('msg_2')),
      partUpdated(text('prt_2', 'msg_2', '')),
      delta('msg_2', 'prt_2', 'One '),
    ]);
    // The stream dropped while "two " was sent; the reload has it; then the stream goes on.
    const reloaded = [{ info: assistant('msg_2'), parts: [text('prt_2', 'msg_2', 'One two ')] }];
    data = { ...data, conversations: { [S]: mergeSnapshot(data.conversations[S], reloaded) } };
    data = fold(data, [delta('msg_2', 'prt_2', 'three')]);
    expect(texts(data)).toEqual(['msg_2/prt_2:One two three']);
  });
});

describe('tool parts and helpers', () => {
  const write = (metadata?: Record<string, unknown>): Extract<Part, { type: 'tool' }> => ({
    id: 'prt_t',
    sessionID: S,
    messageID: 'msg_2',
    type: 'tool',
    callID: 'call_1',
    tool: 'write',
    state: metadata
      ? {
          status: 'completed',
          input: { filePath: 'notes.txt', content: 'a\nb\n' },
          output: 'Wrote file successfully.',
          title: 'notes.txt',
          metadata,
          time: { start: 1, end: 2 },
        }
      : { status: 'pending', input: { filePath: 'notes.txt', content: 'a\nb\n' }, raw: '' },
  });

  it('a write shows the diff OpenCode sent, else its content as an added file', () => {
    expect(toolDiff(write({ diff: '@@ -1 +1 @@\n-x\n+y\n' }))).toBe('@@ -1 +1 @@\n-x\n+y\n');
    expect(toolDiff(write())).toBe(addedFileDiff('notes.txt', 'a\nb\n'));
    expect(addedFileDiff('n.txt', 'a\nb\n')).toBe('--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });

  it('clips long output by lines and characters', () => {
    const long = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const clipped = clipText(long, 3, 10_000);
    expect(clipped.text).toBe('line 0\nline 1\nline 2');
    expect(clipped.hidden).toBe(long.length - clipped.text.length);
    expect(clipText('x'.repeat(50), 10, 20)).toEqual({ text: 'x'.repeat(20), hidden: 30 });
    expect(clipText('short', 10, 20)).toEqual({ text: 'short', hidden: 0 });
  });

  it('the usage line', () => {
    const info = assistant('msg_2', {
      cost: 0.0123,
      tokens: { input: 1200, output: 34, reasoning: 0, cache: { read: 0, write: 0 } },
    });
    expect(usageLine(info)).toBe('1200 in · 34 out · $0.01');
    expect(usageLine(assistant('msg_3'))).toBe('');
  });

  it('@ mentions: the query at the caret, insertion, and what a prompt mentions', () => {
    expect(mentionAt('look at @src/ap', 15)).toEqual({ start: 8, query: 'src/ap' });
    expect(mentionAt('mail me@example', 15)).toBeNull();
    expect(mentionAt('@', 1)).toEqual({ start: 0, query: '' });
    const inserted = insertMention('see @ap and more', { start: 4, query: 'ap' }, 7, 'src/app.ts');
    expect(inserted).toEqual({ text: 'see @src/app.ts and more', caret: 16 });
    expect(mentionedPaths('see @src/app.ts and @nope', new Set(['src/app.ts']))).toEqual(['src/app.ts']);
  });
});
