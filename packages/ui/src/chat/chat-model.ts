/**
 * The conversation as data: OpenCode's events folded into messages and their parts, per session.
 * Pure (no React, no SDK calls), so the streaming rules are unit-tested:
 *
 * - Messages and parts are kept sorted by id: OpenCode's ids grow with time (its own TUI orders
 *   them the same way), so an event arriving late still lands in its place.
 * - `message.part.delta` appends to the named field of a known part; a delta for a part we have
 *   not seen is dropped (the part's `message.part.updated`, or the reload after a reconnect,
 *   brings its whole text).
 * - A reconnect reloads the session and merges by id (`mergeSnapshot`): no part twice, and text
 *   that streamed in after the snapshot was taken is not cut back.
 * - Deltas missed while the stream was down cannot be recovered (OpenCode does not store a part's
 *   text until it is complete: a reload mid-stream has it empty), so a text or reasoning part
 *   that was streaming when the stream dropped takes no more deltas (`markStreamingGaps`): it
 *   shows what arrived before the drop until its final `message.part.updated` brings the whole
 *   text. Never a text with a hole in it.
 */
import type { ModelsMetadataResponse } from '@chamber/contract';
import type {
  Event,
  Message,
  Part,
  PermissionRequest,
  Provider,
  Session,
  SessionStatus,
} from '@opencode-ai/sdk/v2/client';

export interface MessageEntry {
  info: Message;
  parts: Part[];
}

export interface ChatData {
  sessions: Session[];
  /** Loaded conversations, by session id (a session not here is loaded when opened). */
  conversations: Record<string, MessageEntry[]>;
  status: Record<string, SessionStatus['type']>;
  /** Pending permission requests, by session id, in arrival order. */
  permissions: Record<string, PermissionRequest[]>;
  /** Parts that missed deltas (streaming when the event stream dropped), by part id. */
  gaps: Record<string, true>;
}

export const EMPTY_CHAT: ChatData = { sessions: [], conversations: {}, status: {}, permissions: {}, gaps: {} };

/** What the store must do besides keeping the data (notify, refresh a list). */
export interface ChatEffects {
  /** Sessions that went from busy to idle with this batch (a reply ended). */
  finished: string[];
}

function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** `items` with `item` replacing the entry of the same id, or inserted in id order. */
export function upsertById<T extends { id: string }>(items: readonly T[], item: T): T[] {
  // Newest first: a streaming event is almost always about the last entry.
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const current = items[index]!;
    if (current.id === item.id) {
      const next = items.slice();
      next[index] = item;
      return next;
    }
    if (current.id < item.id) {
      const next = items.slice();
      next.splice(index + 1, 0, item);
      return next;
    }
  }
  return [item, ...items];
}

function updateConversation(
  data: ChatData,
  sessionID: string,
  update: (messages: MessageEntry[]) => MessageEntry[],
): ChatData {
  const messages = data.conversations[sessionID];
  // Not loaded: the load brings the current state, events before it have nothing to apply to.
  if (!messages) return data;
  const next = update(messages);
  return next === messages ? data : { ...data, conversations: { ...data.conversations, [sessionID]: next } };
}

function updateMessage(
  messages: MessageEntry[],
  messageID: string,
  update: (entry: MessageEntry) => MessageEntry,
): MessageEntry[] {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const entry = messages[index]!;
    if (entry.info.id === messageID) {
      const next = messages.slice();
      next[index] = update(entry);
      return next;
    }
  }
  return messages;
}

function appendToField(part: Part, field: string, delta: string): Part {
  const current = (part as unknown as Record<string, unknown>)[field];
  if (current !== undefined && typeof current !== 'string') return part;
  return { ...part, [field]: (current ?? '') + delta } as Part;
}

function sortSessions(sessions: Session[]): Session[] {
  return sessions.slice().sort((a, b) => b.time.updated - a.time.updated);
}

/** Fold one event into `data`; `effects` collects what the store must act on. */
export function applyEvent(data: ChatData, event: Event, effects?: ChatEffects): ChatData {
  switch (event.type) {
    case 'message.updated': {
      const { info } = event.properties;
      return updateConversation(data, info.sessionID, (messages) => {
        const existing = messages.find((entry) => entry.info.id === info.id);
        return upsertByMessageId(messages, { info, parts: existing?.parts ?? [] });
      });
    }
    case 'message.removed': {
      const { sessionID, messageID } = event.properties;
      return updateConversation(data, sessionID, (messages) => messages.filter((entry) => entry.info.id !== messageID));
    }
    case 'message.part.updated': {
      const { part } = event.properties;
      // The whole part: whatever deltas were missed, it is complete up to here.
      const next = data.gaps[part.id] ? { ...data, gaps: withoutKey(data.gaps, part.id) } : data;
      return updateConversation(next, part.sessionID, (messages) =>
        updateMessage(messages, part.messageID, (entry) => ({ ...entry, parts: upsertById(entry.parts, part) })),
      );
    }
    case 'message.part.delta': {
      const { sessionID, messageID, partID, field, delta } = event.properties;
      if (data.gaps[partID]) return data;
      return updateConversation(data, sessionID, (messages) =>
        updateMessage(messages, messageID, (entry) => {
          const index = entry.parts.findIndex((part) => part.id === partID);
          if (index < 0) return entry;
          const parts = entry.parts.slice();
          parts[index] = appendToField(parts[index]!, field, delta);
          return { ...entry, parts };
        }),
      );
    }
    case 'message.part.removed': {
      const { sessionID, messageID, partID } = event.properties;
      return updateConversation(data, sessionID, (messages) =>
        updateMessage(messages, messageID, (entry) => ({
          ...entry,
          parts: entry.parts.filter((part) => part.id !== partID),
        })),
      );
    }
    case 'session.created':
    case 'session.updated': {
      const { info } = event.properties;
      // Child sessions (a task tool's sub-agent) belong to their parent's conversation, not the list.
      if (info.parentID) return data;
      return { ...data, sessions: sortSessions(upsertById(data.sessions, info)) };
    }
    case 'session.deleted': {
      const { info } = event.properties;
      const conversations = { ...data.conversations };
      delete conversations[info.id];
      return { ...data, sessions: data.sessions.filter((session) => session.id !== info.id), conversations };
    }
    case 'session.status': {
      const { sessionID, status } = event.properties;
      return setStatus(data, sessionID, status.type, effects);
    }
    case 'session.idle':
      return setStatus(data, event.properties.sessionID, 'idle', effects);
    case 'permission.asked': {
      const request = event.properties;
      const pending = data.permissions[request.sessionID] ?? [];
      if (pending.some((item) => item.id === request.id)) return data;
      return { ...data, permissions: { ...data.permissions, [request.sessionID]: [...pending, request] } };
    }
    case 'permission.replied': {
      const { sessionID, requestID } = event.properties;
      return removePermission(data, sessionID, requestID);
    }
    default:
      return data;
  }
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  const next = { ...record };
  delete next[key];
  return next;
}

/**
 * Called when the event stream is back after a drop, before any event of the new stream: every
 * text or reasoning part still streaming (no end time, in an unfinished reply) may have missed
 * deltas, so it takes none until its next full update.
 */
export function markStreamingGaps(data: ChatData): ChatData {
  let gaps: Record<string, true> | null = null;
  for (const messages of Object.values(data.conversations)) {
    for (const { info, parts } of messages) {
      for (const part of parts) if (isStreaming(info, part)) (gaps ??= { ...data.gaps })[part.id] = true;
    }
  }
  return gaps ? { ...data, gaps } : data;
}

function upsertByMessageId(messages: MessageEntry[], entry: MessageEntry): MessageEntry[] {
  const wrapped = messages.map((item) => ({ id: item.info.id, item }));
  return upsertById(wrapped, { id: entry.info.id, item: entry }).map((w) => w.item);
}

function setStatus(data: ChatData, sessionID: string, type: SessionStatus['type'], effects?: ChatEffects): ChatData {
  const previous = data.status[sessionID] ?? 'idle';
  if (previous === type) return data;
  if (type === 'idle' && previous !== 'idle') effects?.finished.push(sessionID);
  return { ...data, status: { ...data.status, [sessionID]: type } };
}

export function removePermission(data: ChatData, sessionID: string, requestID: string): ChatData {
  const pending = data.permissions[sessionID];
  if (!pending?.some((item) => item.id === requestID)) return data;
  return {
    ...data,
    permissions: { ...data.permissions, [sessionID]: pending.filter((item) => item.id !== requestID) },
  };
}

/** The part further along of two versions of one part (for merges across a reconnect). */
function newerPart(local: Part, loaded: Part): Part {
  if ((local.type === 'text' || local.type === 'reasoning') && local.type === loaded.type) {
    const loadedText = (loaded as { text: string }).text;
    // Deltas that arrived after the snapshot was taken make the local text longer, never different.
    if (local.text.length > loadedText.length && local.text.startsWith(loadedText)) {
      return { ...loaded, text: local.text } as Part;
    }
  }
  return loaded;
}

/**
 * A session's messages as just loaded (`loaded`), merged into what we hold: the snapshot wins
 * for everything it has (except text that streamed further since), local messages newer than
 * the snapshot's last one stay (they arrived on the stream after it was taken), older ones the
 * snapshot lacks are gone (deleted or reverted meanwhile). Each part appears once.
 */
export function mergeSnapshot(local: MessageEntry[] | undefined, loaded: MessageEntry[]): MessageEntry[] {
  const sorted = loaded
    .map((entry) => ({ info: entry.info, parts: entry.parts.slice().sort(byId) }))
    .sort((a, b) => byId(a.info, b.info));
  if (!local || local.length === 0) return sorted;
  const localById = new Map(local.map((entry) => [entry.info.id, entry]));
  const lastLoaded = sorted.at(-1)?.info.id ?? '';
  const merged = sorted.map((entry) => {
    const mine = localById.get(entry.info.id);
    if (!mine) return entry;
    const mineParts = new Map(mine.parts.map((part) => [part.id, part]));
    let parts = entry.parts.map((part) => {
      const ours = mineParts.get(part.id);
      return ours ? newerPart(ours, part) : part;
    });
    // Parts that came on the stream after the snapshot (newer than its last part) are kept.
    const lastPart = entry.parts.at(-1)?.id ?? '';
    for (const part of mine.parts) if (part.id > lastPart) parts = upsertById(parts, part);
    return { info: entry.info, parts };
  });
  for (const entry of local) if (entry.info.id > lastLoaded) merged.push(entry);
  return merged;
}

function isStreaming(info: Message, part: Part): boolean {
  return (
    info.role === 'assistant' &&
    info.time.completed === undefined &&
    (part.type === 'text' || part.type === 'reasoning') &&
    part.time?.end === undefined
  );
}

/**
 * A session's messages as just loaded, merged into `data` (`mergeSnapshot`). A part still
 * streaming that we were not following without a gap is marked as a gap: its deltas so far are
 * not in the snapshot (OpenCode stores the text when the part ends), so appending the next ones
 * would show a text without its beginning.
 */
export function mergeLoaded(data: ChatData, sessionID: string, loaded: MessageEntry[]): ChatData {
  const local = data.conversations[sessionID];
  const followed = new Set<string>();
  for (const entry of local ?? []) for (const part of entry.parts) if (!data.gaps[part.id]) followed.add(part.id);
  let gaps: Record<string, true> | null = null;
  for (const { info, parts } of loaded) {
    for (const part of parts) {
      if (isStreaming(info, part) && !followed.has(part.id)) (gaps ??= { ...data.gaps })[part.id] = true;
    }
  }
  return {
    ...data,
    ...(gaps ? { gaps } : {}),
    conversations: { ...data.conversations, [sessionID]: mergeSnapshot(local, loaded) },
  };
}

/** Token and cost figures of an assistant message, as one line (empty when there is nothing yet). */
export function usageLine(info: Message): string {
  if (info.role !== 'assistant') return '';
  const { tokens, cost } = info;
  const total =
    tokens.total ?? tokens.input + tokens.output + tokens.reasoning + tokens.cache.read + tokens.cache.write;
  if (total === 0 && cost === 0) return '';
  const pieces = [`${formatCount(tokens.input)} in`, `${formatCount(tokens.output)} out`];
  if (tokens.reasoning) pieces.push(`${formatCount(tokens.reasoning)} reasoning`);
  if (tokens.cache.read || tokens.cache.write) {
    pieces.push(`${formatCount(tokens.cache.read)} cache read`, `${formatCount(tokens.cache.write)} cache write`);
  }
  pieces.push(`$${cost.toFixed(cost > 0 && cost < 0.01 ? 4 : 2)}`);
  return pieces.join(' · ');
}

function formatCount(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)}k` : String(value);
}

/** The human text of an assistant error (`info.error`): OpenCode's message, or its name. */
export function errorText(info: Message): string | null {
  if (info.role !== 'assistant' || !info.error) return null;
  const data = info.error.data as { message?: unknown };
  return typeof data.message === 'string' && data.message ? data.message : info.error.name;
}

// --- tool parts --------------------------------------------------------------------------

type ToolPartOf = Extract<Part, { type: 'tool' }>;

function stringField(record: Record<string, unknown> | undefined, ...names: string[]): string | null {
  for (const name of names) {
    const value = record?.[name];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

/** What a tool call is about, for its one-line header: OpenCode's title, else the main argument. */
export function toolSubject(part: ToolPartOf): string {
  const { state } = part;
  const title = state.status === 'completed' || state.status === 'running' ? state.title : undefined;
  if (title) return title;
  return stringField(state.input, 'filePath', 'command', 'pattern', 'url', 'path', 'description', 'query') ?? '';
}

/**
 * The unified diff a file-changing tool carries: OpenCode's own (`metadata.diff`, as the edit
 * tool and the permission request send it), else, for a write, its content as an all-added file.
 */
export function toolDiff(part: ToolPartOf): string | null {
  if (part.tool !== 'write' && part.tool !== 'edit' && part.tool !== 'patch' && part.tool !== 'multiedit') return null;
  const metadata = 'metadata' in part.state ? part.state.metadata : undefined;
  const diff = stringField(metadata, 'diff');
  if (diff) return diff;
  const content = typeof part.state.input.content === 'string' ? part.state.input.content : null;
  if (content === null) return null;
  return addedFileDiff(stringField(part.state.input, 'filePath') ?? 'file', content);
}

/** `content` as the diff of a new file (so the diff viewer draws it, every line added). */
export function addedFileDiff(filePath: string, content: string): string {
  const lines = content.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return [
    `--- /dev/null`,
    `+++ b/${filePath}`,
    `@@ -0,0 +1,${lines.length} @@`,
    ...lines.map((line) => `+${line}`),
    '',
  ].join('\n');
}

export interface Clipped {
  text: string;
  /** Characters left out (0 when the whole text fits). */
  hidden: number;
}

/** The head of a long tool output: at most `maxLines` lines and `maxChars` characters. */
export function clipText(text: string, maxLines: number, maxChars: number): Clipped {
  let end = Math.min(text.length, maxChars);
  let lines = 0;
  for (let index = 0; index < end; index += 1) {
    if (text.charCodeAt(index) === 10 && ++lines >= maxLines) {
      end = index;
      break;
    }
  }
  return { text: text.slice(0, end), hidden: text.length - end };
}

/**
 * The first `count` lines of `text` and how many lines follow them, without splitting the whole
 * text: a diff of a multi-megabyte write is drawn a screenful at a time, and only what is drawn
 * is parsed.
 */
export function headLines(text: string, count: number): { head: string; rest: number } {
  let end = 0;
  for (let line = 0; line < count; line += 1) {
    const newline = text.indexOf('\n', end);
    if (newline < 0) return { head: text, rest: 0 };
    end = newline + 1;
  }
  let rest = 0;
  for (let index = text.indexOf('\n', end); index >= 0; index = text.indexOf('\n', index + 1)) rest += 1;
  if (end < text.length && !text.endsWith('\n')) rest += 1;
  return { head: text.slice(0, end), rest };
}

// --- models -------------------------------------------------------------------------------

export interface ModelOption {
  /** `providerID/modelID`. */
  key: string;
  providerID: string;
  modelID: string;
  name: string;
  providerName: string;
  /** Tokens; 0 when unknown. */
  contextLimit: number;
  outputLimit: number;
}

/** What the models metadata route (models.dev) says about one model. */
export interface ModelFacts {
  name?: string;
  context?: number;
  output?: number;
}

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;

/**
 * The models metadata route's catalogue by `<lower-cased provider id>/<model id>` (the
 * reference UI's key): providers are keyed by id, each with its models by id.
 */
export function modelFactsIndex(metadata: ModelsMetadataResponse): Map<string, ModelFacts> {
  const index = new Map<string, ModelFacts>();
  for (const [providerKey, provider] of Object.entries(metadata)) {
    if (!provider || typeof provider !== 'object' || !provider.models || typeof provider.models !== 'object') continue;
    const providerID = (typeof provider.id === 'string' && provider.id ? provider.id : providerKey).toLowerCase();
    for (const [modelKey, model] of Object.entries(provider.models)) {
      if (!model || typeof model !== 'object') continue;
      const modelID = typeof model.id === 'string' && model.id ? model.id : modelKey;
      const name = typeof model.name === 'string' && model.name.trim() ? model.name.trim() : undefined;
      const context = positive(model.limit?.context);
      const output = positive(model.limit?.output);
      index.set(`${providerID}/${modelID}`, {
        ...(name ? { name } : {}),
        ...(context ? { context } : {}),
        ...(output ? { output } : {}),
      });
    }
  }
  return index;
}

/**
 * Every model of every configured provider, in the providers' order. Names and limits come from
 * the models metadata when it knows the model, else from OpenCode (offline the route may fail,
 * and a custom provider is not in the catalogue).
 */
export function modelOptions(providers: readonly Provider[], facts: ReadonlyMap<string, ModelFacts>): ModelOption[] {
  return providers.flatMap((provider) =>
    Object.values(provider.models).map((model) => {
      const known = facts.get(`${provider.id.toLowerCase()}/${model.id}`);
      return {
        key: `${provider.id}/${model.id}`,
        providerID: provider.id,
        modelID: model.id,
        name: known?.name ?? (model.name || model.id),
        providerName: provider.name || provider.id,
        contextLimit: known?.context ?? positive(model.limit.context) ?? 0,
        outputLimit: known?.output ?? positive(model.limit.output) ?? 0,
      };
    }),
  );
}

/** A token count as people read it: 950, 12.5k, 128k, 1M. */
export function formatTokens(value: number): string {
  if (value < 1000) return String(value);
  if (value < 1_000_000) return `${Number((value / 1000).toFixed(value < 10_000 ? 1 : 0))}k`;
  return `${Number((value / 1_000_000).toFixed(1))}M`;
}

/** "12.3k of 128k context (10%)" for an assistant reply, when the model's context size is known. */
export function contextLine(info: Message, contextLimit: number): string {
  if (info.role !== 'assistant' || contextLimit <= 0) return '';
  const { tokens } = info;
  const used = tokens.input + tokens.cache.read + tokens.cache.write + tokens.output + tokens.reasoning;
  if (used <= 0) return '';
  return `${formatTokens(used)} of ${formatTokens(contextLimit)} context (${Math.max(1, Math.round((used / contextLimit) * 100))}%)`;
}

// --- @ mentions --------------------------------------------------------------------------

export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  query: string;
}

/** The `@word` being typed at `caret` (an `@` at the start or after whitespace), if any. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const match = /(^|\s)@([^\s@]*)$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/** `text` with the mention at `mention` replaced by `@path ` and where the caret goes after it. */
export function insertMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  path: string,
): { text: string; caret: number } {
  const inserted = `@${path} `;
  const rest = text.slice(caret).replace(/^\S*/, '').replace(/^ /, '');
  return { text: text.slice(0, mention.start) + inserted + rest, caret: mention.start + inserted.length };
}

/** The `@path` mentions left in a prompt that name one of `known` (relative paths). */
export function mentionedPaths(text: string, known: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?:^|\s)@(\S+)/g)) if (known.has(match[1]!)) found.add(match[1]!);
  return [...found];
}
