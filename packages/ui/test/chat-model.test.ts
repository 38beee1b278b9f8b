import type { AssistantMessage, Event, Part, Provider, TextPart, UserMessage } from '@opencode-ai/sdk/v2/client';
import type { ModelsDevModel } from '@chamber/contract';
import { describe, expect, it } from 'vitest';
import {
  addedFileDiff,
  applyEvent,
  clipText,
  contextLine,
  EMPTY_CHAT,
  formatTokens,
  headLines,
  insertMention,
  mentionAt,
  markStreamingGaps,
  mentionedPaths,
  mergeLoaded,
  mergeSnapshot,
  modelFactsIndex,
  modelOptions,
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

function text(id: string, messageID: string, value: string): TextPart {
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

  it('deltas missed while the stream was down: the part keeps its text until its whole text arrives', () => {
    let data = fold(loaded(), [
      messageUpdated(assistant('msg_1')),
      partUpdated({ ...text('prt_1', 'msg_1', 'Done.'), time: { start: 1, end: 2 } }),
      messageUpdated(assistant('msg_2')),
      partUpdated(text('prt_2', 'msg_2', '')),
      delta('msg_2', 'prt_2', 'One '),
    ]);
    // "two " went by while the stream was down; the new stream goes on with "three".
    data = markStreamingGaps(data);
    expect(data.gaps).toEqual({ prt_2: true });
    // OpenCode stores the text when the part ends: the reload has it empty.
    data = mergeLoaded(data, S, [
      { info: assistant('msg_1'), parts: [{ ...text('prt_1', 'msg_1', 'Done.'), time: { start: 1, end: 2 } }] },
      { info: assistant('msg_2'), parts: [text('prt_2', 'msg_2', '')] },
    ]);
    data = fold(data, [delta('msg_2', 'prt_2', 'three ')]);
    // Never "One three": what was shown stays a beginning of the reply.
    expect(texts(data)).toEqual(['msg_1/prt_1:Done.', 'msg_2/prt_2:One ']);
    data = fold(data, [partUpdated({ ...text('prt_2', 'msg_2', 'One two three '), time: { start: 1, end: 3 } })]);
    expect(data.gaps).toEqual({});
    expect(texts(data)).toEqual(['msg_1/prt_1:Done.', 'msg_2/prt_2:One two three ']);
  });

  it('a conversation loaded mid-reply: the streaming part waits for its whole text, a followed one goes on', () => {
    // Opened while a reply streams: the snapshot has the part empty, the deltas sent so far are gone.
    let data = mergeLoaded(loaded(), S, [{ info: assistant('msg_2'), parts: [text('prt_2', 'msg_2', '')] }]);
    expect(data.gaps).toEqual({ prt_2: true });
    data = fold(data, [delta('msg_2', 'prt_2', 'the end')]);
    expect(texts(data)).toEqual(['msg_2/prt_2:']);
    // A part announced on the stream before the snapshot came back was followed from its start.
    data = fold(data, [partUpdated(text('prt_3', 'msg_2', '')), delta('msg_2', 'prt_3', 'Hi')]);
    data = mergeLoaded(data, S, [
      { info: assistant('msg_2'), parts: [text('prt_2', 'msg_2', ''), text('prt_3', 'msg_2', '')] },
    ]);
    data = fold(data, [delta('msg_2', 'prt_3', ' there')]);
    expect(texts(data)).toEqual(['msg_2/prt_2:', 'msg_2/prt_3:Hi there']);
    // A finished reply loads as it is, with no gap.
    expect(
      mergeLoaded(loaded(), S, [
        { info: assistant('msg_9', { time: { created: 1, completed: 2 } }), parts: [text('prt_9', 'msg_9', 'x')] },
      ]).gaps,
    ).toEqual({});
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

  it('the head of a long text by lines, and how many lines follow', () => {
    expect(headLines('a\nb\nc\n', 2)).toEqual({ head: 'a\nb\n', rest: 1 });
    expect(headLines('a\nb\nc', 2)).toEqual({ head: 'a\nb\n', rest: 1 });
    expect(headLines('a\nb\nc\nd', 1)).toEqual({ head: 'a\n', rest: 3 });
    expect(headLines('a\nb\n', 2)).toEqual({ head: 'a\nb\n', rest: 0 });
    expect(headLines('a\nb', 5)).toEqual({ head: 'a\nb', rest: 0 });
    const big = Array.from({ length: 40_000 }, (_, n) => `+line ${n}`).join('\n') + '\n';
    const { head, rest } = headLines(big, 60);
    expect(head.split('\n').slice(0, -1)).toHaveLength(60);
    expect(rest).toBe(40_000 - 60);
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

describe('models: names and limits', () => {
  const provider = (id: string, models: Record<string, { name: string; context: number; output: number }>) =>
    ({
      id,
      name: `${id} provider`,
      models: Object.fromEntries(
        Object.entries(models).map(([modelID, model]) => [
          modelID,
          { id: modelID, name: model.name, limit: { context: model.context, output: model.output } },
        ]),
      ),
    }) as unknown as Provider;

  it('indexes the metadata by lower-cased provider id and model id, skipping what is not a model', () => {
    const facts = modelFactsIndex({
      Anthropic: {
        id: 'Anthropic',
        models: { 'claude-x': { name: ' Claude X ', limit: { context: 200_000, output: 0 } } },
      },
      openai: { models: { 'gpt-y': { id: 'gpt-y' }, broken: 'nope' as unknown as ModelsDevModel } },
      empty: {},
    });
    expect([...facts.entries()]).toEqual([
      ['anthropic/claude-x', { name: 'Claude X', context: 200_000 }],
      ['openai/gpt-y', {}],
    ]);
  });

  it('names and limits from the metadata when it knows the model, else from OpenCode', () => {
    const facts = modelFactsIndex({
      fake: { models: { m1: { name: 'Fake One', limit: { context: 128_000, output: 8192 } } } },
    });
    const options = modelOptions(
      [
        provider('Fake', { m1: { name: 'opencode name', context: 0, output: 0 } }),
        provider('local', { m2: { name: '', context: 32_000, output: 4096 } }),
      ],
      facts,
    );
    expect(options).toEqual([
      expect.objectContaining({ key: 'Fake/m1', name: 'Fake One', contextLimit: 128_000, outputLimit: 8192 }),
      expect.objectContaining({ key: 'local/m2', name: 'm2', contextLimit: 32_000, outputLimit: 4096 }),
    ]);
    // Offline (no metadata): OpenCode's names.
    expect(
      modelOptions([provider('Fake', { m1: { name: 'opencode name', context: 0, output: 0 } })], new Map())[0]!.name,
    ).toBe('opencode name');
  });

  it('token counts and the context line', () => {
    expect([950, 8192, 12_345, 128_000, 1_000_000].map(formatTokens)).toEqual(['950', '8.2k', '12k', '128k', '1M']);
    const reply = assistant('msg_2', {
      tokens: { input: 9000, output: 500, reasoning: 100, cache: { read: 3000, write: 0 } },
    });
    expect(contextLine(reply, 128_000)).toBe('13k of 128k context (10%)');
    expect(contextLine(reply, 0)).toBe('');
    expect(contextLine(assistant('msg_3'), 128_000)).toBe('');
  });
});
