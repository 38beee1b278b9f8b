/**
 * A scripted OpenAI-compatible chat-completions server on loopback, standing in for the model
 * behind the real OpenCode binary in agent/chat tests. OpenCode is pointed at it through a custom
 * provider (`"npm": "@ai-sdk/openai-compatible"`, see opencode-workspace.ts); every reply is
 * streamed as SSE the way OpenAI does, so OpenCode's real stream handling runs.
 *
 * OpenCode facts verified against the real binary (opencode 1.18.33). test/opencode-direct.test.ts
 * asserts the ones marked ✓ on every run; the rest were checked by hand (request dumps, GET /doc,
 * the bundled source).
 *
 * Requests OpenCode sends here
 * - `POST <baseURL>/chat/completions`, always `stream: true` with `stream_options.include_usage`,
 *   `max_tokens`, `Authorization: Bearer <apiKey>`, and `x-session-id: <OpenCode session id>` (the
 *   fake uses it to script one session's replies when several sessions share a fake ✓).
 * - A title request (a system message containing "You are a title generator", no `tools`; its
 *   streamed text becomes the session title ✓) is sent for a session's first prompt only, in
 *   parallel with the main request (either may arrive first). The main request: system prompt
 *   starting "You are opencode", `tools` + `tool_choice: "auto"`.
 * - Tools offered: bash, edit, glob, grep, question, read, skill, task, todowrite, webfetch, write.
 *   Argument names: write {filePath, content} ✓ (filePath may be relative to the workspace ✓),
 *   edit {filePath, oldString, newString, replaceAll?}, read {filePath, offset?, limit?},
 *   bash {command, timeout?, workdir?}.
 * - After a tool ran, the next main request carries the assistant `tool_calls` and a
 *   `{role: "tool", tool_call_id, content: <output>}` message ✓ (write's output: "Wrote file
 *   successfully.").
 *
 * Stream fields @ai-sdk/openai-compatible reads (it is bundled in the binary: nothing installed)
 * - `delta.content` → a `text` part ✓; `delta.reasoning_content` (or `delta.reasoning`) → a
 *   `reasoning` part ✓, with no model capability flag needed.
 * - `delta.tool_calls[{index, id, function: {name, arguments}}]` with the arguments in pieces, then
 *   `finish_reason: "tool_calls"` ✓.
 * - An HTTP error with body `{ error: { message, type, code } }` puts `error: { name: "APIError",
 *   data: { message, statusCode, isRetryable, responseBody, … } }` on the assistant message ✓ and
 *   emits `session.error` ✓. OpenCode itself retries (the SDK's own retries are off): 429, >= 500,
 *   and any error whose message/body matches its retryable patterns (e.g. contains "500", "rate
 *   limit", "overloaded", "server error") up to 5 more times, waiting `retry-after-ms` /
 *   `retry-after` when sent ✓, else 2 s, 4 s, 8 s…; meanwhile `session.status` is `{ type:
 *   "retry", attempt, message, next }` ✓. A 400 with a plain message surfaces at once ✓.
 *
 * OpenCode HTTP API (GET /doc serves the OpenAPI spec)
 * - `GET /event?directory=<ws>`: SSE, `data: {"id","type","properties"}` blocks, the first being
 *   `server.connected` ✓. For chat: `message.updated` (properties.info; the role is only here),
 *   `message.part.updated` (properties.part: text, reasoning, tool, step-start, step-finish; the
 *   user's prompt text is a part too) ✓, `message.part.delta` (properties {sessionID, messageID,
 *   partID, field: "text", delta}) ✓, `session.status` (properties.status.type busy | retry | idle),
 *   `session.idle` ✓, `session.error` (properties {sessionID, error}) ✓, `session.updated` (title),
 *   `permission.asked` ✓ / `permission.replied` ✓, `question.asked`. Streaming shape: a text or
 *   reasoning part is announced by `message.part.updated` with text "" ✓, grows by
 *   `message.part.delta` events ✓ that arrive while the model is still streaming ✓, and a final
 *   `message.part.updated` carries the whole text ✓.
 * - `permission.asked` properties: { id: "per…" ✓, sessionID, permission: "edit" ✓, patterns:
 *   [path relative to the project worktree: "hello.txt" in a git repo, "tmp/…/hello.txt" in a
 *   non-git directory, whose worktree is "/"], metadata: { filepath ✓ (absolute), diff ✓ },
 *   always: ["*"], tool: { messageID, callID ✓ } }.
 *   The write and edit tools ask the `edit` permission; config `"permission": {"edit": "ask"}`
 *   makes them ask ✓ (the default is allow). `permission.v2.*` events exist in the spec but were
 *   not emitted.
 * - Reply: `POST /permission/:requestID/reply` with `{"reply": "once" | "always" | "reject",
 *   "message"?}` → `true` ✓, then `permission.replied` {sessionID, requestID, reply} ✓. The older
 *   `POST /session/:id/permissions/:permissionID` with `{"response": …}` still exists, marked
 *   deprecated. Pending requests: `GET /permission` ✓.
 * - Abort: `POST /session/:id/abort` → `true` ✓; OpenCode drops the model request (the fake sees
 *   the connection close ✓), the assistant message gets `error.name: "MessageAbortedError"` ✓ (also
 *   sent as `session.error`), the text streamed so far is kept ✓, and the session goes idle ✓.
 * - `POST /session/:id/message` answers when the turn is over, with {info, parts} ✓ — and may
 *   answer before the turn's last events arrive on /event ✓. `POST /session/:id/prompt_async`
 *   answers 204 at once ✓: what a chat UI should use, following /event.
 * - `opencode serve --port 0` first tries port 4096, then a random one: read the port from the
 *   "opencode server listening on http://…" line ✓. With OPENCODE_SERVER_PASSWORD set, requests
 *   without Basic auth (user "opencode") get 401 ✓.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ChatContentPart {
  type: string;
  text?: string;
}

export interface ChatMessage {
  role: string;
  content?: string | ChatContentPart[] | null;
  tool_call_id?: string;
  tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[];
  reasoning_content?: string;
}

export interface ChatTool {
  type: string;
  function: { name: string; description?: string; parameters?: { properties?: Record<string, unknown> } };
}

/** The parts of a chat-completions request body tests look at; the rest stays reachable. */
export interface ChatRequestBody {
  model?: string;
  messages?: ChatMessage[];
  tools?: ChatTool[];
  stream?: boolean;
  [key: string]: unknown;
}

export interface FakeToolCall {
  name: string;
  /** An object is sent as its JSON; a string is sent verbatim (for malformed-argument tests). */
  args: Record<string, unknown> | string;
  /** Default: `call_<n>`, unique per fake. */
  id?: string;
}

interface StreamTiming {
  /** Pause before each chunk, in ms (default: the fake's `chunkDelayMs`). */
  delayMs?: number;
  /**
   * Stream the first `after` text chunks, then wait for `until` before the rest (and before any
   * tool call or the finish): lets a test see partial output arrive while the reply provably has
   * not finished, however slow the machine is.
   */
  hold?: { after: number; until: Promise<unknown> };
}

export type FakeReply =
  | (StreamTiming & {
      kind: 'text';
      /** Streamed piece by piece, in this order. */
      chunks: string[];
      /** Reasoning streamed before the text as `delta.reasoning_content`. */
      reasoning?: string[];
    })
  | (StreamTiming & { kind: 'tool-calls'; calls: FakeToolCall[]; text?: string[] })
  | { kind: 'error'; status: number; message: string; type?: string; retryAfterMs?: number }
  | {
      kind: 'hang';
      /** Streamed before the stall, so a test can wait for visible progress first. */
      chunks: string[];
    };

/** Builders for scripted replies. */
export const reply = {
  /** Text streamed a word at a time (or in the given chunks). */
  text(text: string | string[], options: StreamTiming = {}): FakeReply {
    return { kind: 'text', chunks: typeof text === 'string' ? splitWords(text) : text, ...options };
  },
  /** Reasoning (a `reasoning` part in OpenCode) streamed first, then the text. */
  reasoning(reasoning: string, text: string, options: StreamTiming = {}): FakeReply {
    return { kind: 'text', reasoning: splitWords(reasoning), chunks: splitWords(text), ...options };
  },
  /** `words` words of filler, for long-reply and scrolling tests. */
  long(words: number, options: StreamTiming = {}): FakeReply {
    return { kind: 'text', chunks: splitWords(longText(words)), ...options };
  },
  /** One or more tool calls; OpenCode runs them and sends the results in its next request. */
  tools(calls: FakeToolCall[], options: StreamTiming & { text?: string } = {}): FakeReply {
    const { text, ...timing } = options;
    return { kind: 'tool-calls', calls, ...(text === undefined ? {} : { text: splitWords(text) }), ...timing };
  },
  tool(name: string, args: FakeToolCall['args'], options: StreamTiming & { id?: string } = {}): FakeReply {
    const { id, ...timing } = options;
    return reply.tools([{ name, args, ...(id === undefined ? {} : { id }) }], timing);
  },
  /** OpenCode's `write` tool: creates/overwrites `filePath` (absolute, or relative to the workspace). */
  write(filePath: string, content: string, options: StreamTiming & { id?: string } = {}): FakeReply {
    return reply.tool('write', { filePath, content }, options);
  },
  /** An HTTP error with an OpenAI-style JSON body. See the header for which ones OpenCode retries. */
  error(status: number, message: string, options: { type?: string; retryAfterMs?: number } = {}): FakeReply {
    return { kind: 'error', status, message, ...options };
  },
  /** Streams `before` then stalls until OpenCode drops the request (abort) or the fake closes. */
  hang(before = ''): FakeReply {
    return { kind: 'hang', chunks: before ? splitWords(before) : [] };
  },
};

export interface FakeRequest {
  /** `title`: OpenCode's title generator; `main`: the agent's own turn. */
  kind: 'title' | 'main';
  body: ChatRequestBody;
  headers: http.IncomingHttpHeaders;
  /** OpenCode's session id (the `x-session-id` header). */
  sessionID: string | undefined;
  reply: FakeReply;
  receivedAt: number;
  /** When the first streamed chunk was written. */
  firstChunkAt?: number;
  /** When the fake ended the response normally (all chunks written, or the error sent). */
  finishedAt?: number;
  /** The client went away before the response ended (OpenCode aborted it). */
  aborted: boolean;
  /** Settles when the response is over, however it ended. */
  done: Promise<void>;
}

export interface FakeModelOptions {
  /** Default pause before each streamed chunk (ms). Default 5: fast, yet visibly incremental. */
  chunkDelayMs?: number;
  /** What title requests get. */
  title?: string;
  /** What a main request gets when nothing is scripted. */
  defaultReply?: FakeReply;
  /** A hanging reply or a hold ends by itself after this long (ms), so a forgotten abort cannot wedge a run. */
  maxHangMs?: number;
  /** The model id echoed in chunks (the config's model key). */
  model?: string;
}

export interface FakeModel {
  /** `http://127.0.0.1:<port>/v1`, the provider's `baseURL`. */
  baseURL: string;
  /** Every chat-completions request, in arrival order. */
  requests: FakeRequest[];
  /** Queue replies for the next main requests (any session). */
  script(...replies: FakeReply[]): void;
  /** Queue replies for one OpenCode session's main requests; they win over the shared queue. */
  scriptSession(sessionID: string, ...replies: FakeReply[]): void;
  /** Scripted replies not yet consumed. */
  pending(): number;
  /** The main requests so far (title requests left out). */
  mainRequests(): FakeRequest[];
  /** Resolves with the first request (past or future) matching `predicate`; rejects after `timeoutMs`. */
  waitForRequest(predicate: (request: FakeRequest) => boolean, timeoutMs?: number): Promise<FakeRequest>;
  /** Ends hanging responses, drops connections and stops listening. */
  close(): Promise<void>;
}

export const DEFAULT_TITLE = 'Fake session title';
export const DEFAULT_REPLY_TEXT = 'Hello from the fake model.';
const TITLE_MARKER = 'You are a title generator';

export function splitWords(text: string): string[] {
  // Each chunk keeps its trailing whitespace, so joining the chunks gives the text back.
  return text.match(/\s*\S+\s*/g) ?? (text ? [text] : []);
}

export function longText(words: number): string {
  const vocabulary = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  // Twelve words a line, so a long reply has many lines to lay out and scroll.
  const lines: string[] = [];
  for (let start = 0; start < words; start += 12) {
    const line: string[] = [];
    for (let index = start; index < Math.min(words, start + 12); index += 1) {
      line.push(vocabulary[index % vocabulary.length] ?? 'word');
    }
    lines.push(line.join(' '));
  }
  return lines.join('\n');
}

/** The text of a message's content, whichever of the two shapes the SDK used. */
export function contentText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  if (!content) return '';
  return content.map((part) => part.text ?? '').join('');
}

/** The last user message's text (what the prompt was). */
export function lastUserText(body: ChatRequestBody): string {
  const users = (body.messages ?? []).filter((message) => message.role === 'user');
  return contentText(users.at(-1)?.content);
}

function isTitleRequest(body: ChatRequestBody): boolean {
  return (body.messages ?? []).some(
    (message) => message.role === 'system' && contentText(message.content).includes(TITLE_MARKER),
  );
}

export async function startFakeModel(options: FakeModelOptions = {}): Promise<FakeModel> {
  const chunkDelayMs = options.chunkDelayMs ?? 5;
  const title = options.title ?? DEFAULT_TITLE;
  const defaultReply = options.defaultReply ?? reply.text(DEFAULT_REPLY_TEXT);
  const maxHangMs = options.maxHangMs ?? 120_000;
  const model = options.model ?? 'm1';
  const requests: FakeRequest[] = [];
  const shared: FakeReply[] = [];
  const perSession = new Map<string, FakeReply[]>();
  const watchers = new Set<(request: FakeRequest) => void>();
  // Aborting this wakes every sleeping stream and hanging reply at once on close().
  const closing = new AbortController();
  let callCounter = 0;

  function nextReply(kind: FakeRequest['kind'], sessionID: string | undefined): FakeReply {
    if (kind === 'title') return reply.text(title, { delayMs: 0 });
    const own = sessionID === undefined ? undefined : perSession.get(sessionID);
    return own?.shift() ?? shared.shift() ?? defaultReply;
  }

  async function serve(record: FakeRequest, res: http.ServerResponse): Promise<void> {
    const script = record.reply;
    if (script.kind === 'error') {
      const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
      if (script.retryAfterMs !== undefined) headers['retry-after-ms'] = String(script.retryAfterMs);
      res.writeHead(script.status, headers);
      res.end(JSON.stringify({ error: { message: script.message, type: script.type ?? 'fake_error', code: null } }));
      record.finishedAt = Date.now();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const id = `chatcmpl-fake-${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const gone = (): boolean => res.destroyed || res.writableEnded || closing.signal.aborted;
    // Reported as completion_tokens, so a UI showing token counts has plausible numbers.
    let chunksSent = 0;
    const write = (payload: Record<string, unknown>): void => {
      record.firstChunkAt ??= Date.now();
      chunksSent += 1;
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, ...payload })}\n\n`);
    };
    const delta = (fields: Record<string, unknown>, finish: string | null = null): void =>
      write({ choices: [{ index: 0, delta: fields, finish_reason: finish }] });
    const pause = async (ms: number): Promise<boolean> => {
      if (ms > 0) await sleep(ms, undefined, { signal: closing.signal }).catch(() => undefined);
      return !gone();
    };
    const delayMs = (script.kind === 'hang' ? undefined : script.delayMs) ?? chunkDelayMs;
    // Waits for `until`, the client going away or the fake closing; capped so nothing waits forever.
    const stall = (until: Promise<unknown>): Promise<void> =>
      new Promise<void>((resolve) => {
        const stop = (): void => {
          clearTimeout(timer);
          res.off('close', stop);
          closing.signal.removeEventListener('abort', stop);
          resolve();
        };
        const timer = setTimeout(stop, maxHangMs);
        res.once('close', stop);
        closing.signal.addEventListener('abort', stop, { once: true });
        until.then(stop, stop);
      });

    delta({ role: 'assistant', content: '' });
    if (script.kind === 'hang') {
      for (const chunk of script.chunks) {
        if (!(await pause(delayMs))) return;
        delta({ content: chunk });
      }
      if (gone()) return;
      await stall(new Promise<never>(() => undefined));
      if (!res.destroyed) res.end();
      return;
    }
    for (const chunk of script.kind === 'text' ? (script.reasoning ?? []) : []) {
      if (!(await pause(delayMs))) return;
      delta({ reasoning_content: chunk });
    }
    const textChunks = script.kind === 'text' ? script.chunks : (script.text ?? []);
    // A hold past the last chunk still holds, before the tool calls / the finish.
    const holdAt = script.hold ? Math.min(script.hold.after, textChunks.length) : -1;
    for (let index = 0; index <= textChunks.length; index += 1) {
      if (script.hold && index === holdAt) {
        await stall(script.hold.until);
        if (gone()) return;
      }
      const chunk = textChunks[index];
      if (chunk === undefined) break;
      if (!(await pause(delayMs))) return;
      delta({ content: chunk });
    }
    if (script.kind === 'tool-calls') {
      for (const [index, call] of script.calls.entries()) {
        callCounter += 1;
        const argumentsText = typeof call.args === 'string' ? call.args : JSON.stringify(call.args);
        if (!(await pause(delayMs))) return;
        delta({
          tool_calls: [
            { index, id: call.id ?? `call_${callCounter}`, type: 'function', function: { name: call.name } },
          ],
        });
        // Arguments in three pieces, as real providers split them mid-token.
        const size = Math.max(1, Math.ceil(argumentsText.length / 3));
        for (let offset = 0; offset < argumentsText.length; offset += size) {
          if (!(await pause(delayMs))) return;
          delta({ tool_calls: [{ index, function: { arguments: argumentsText.slice(offset, offset + size) } }] });
        }
      }
    }
    if (!(await pause(delayMs))) return;
    write({
      choices: [{ index: 0, delta: {}, finish_reason: script.kind === 'tool-calls' ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: chunksSent, total_tokens: 10 + chunksSent },
    });
    res.end('data: [DONE]\n\n');
    record.finishedAt = Date.now();
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'GET' && url.pathname.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: model, object: 'model', owned_by: 'fake' }] }));
        return;
      }
      if (req.method !== 'POST' || !url.pathname.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `fake model: no route ${req.method} ${url.pathname}` } }));
        return;
      }
      let body: ChatRequestBody;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as ChatRequestBody;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake model: body is not JSON' } }));
        return;
      }
      const header = req.headers['x-session-id'];
      const sessionID = Array.isArray(header) ? header[0] : header;
      const kind = isTitleRequest(body) ? 'title' : 'main';
      let settle = (): void => undefined;
      const record: FakeRequest = {
        kind,
        body,
        headers: req.headers,
        sessionID,
        reply: nextReply(kind, sessionID),
        receivedAt: Date.now(),
        aborted: false,
        done: new Promise<void>((resolve) => (settle = resolve)),
      };
      res.once('close', () => {
        // Closed by the client mid-response; the fake's own close() is not an abort.
        if (!res.writableFinished && !closing.signal.aborted) record.aborted = true;
        settle();
      });
      requests.push(record);
      for (const watcher of watchers) watcher(record);
      serve(record, res).catch((error: unknown) => {
        // A stream error is a bug in the fake, not a scripted outcome: make it loud in the test.
        console.error('fake model: stream failed', error);
        res.destroy();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script(...replies) {
      shared.push(...replies);
    },
    scriptSession(sessionID, ...replies) {
      const queue = perSession.get(sessionID) ?? [];
      queue.push(...replies);
      perSession.set(sessionID, queue);
    },
    pending() {
      let count = shared.length;
      for (const queue of perSession.values()) count += queue.length;
      return count;
    },
    mainRequests() {
      return requests.filter((request) => request.kind === 'main');
    },
    waitForRequest(predicate, timeoutMs = 20_000) {
      const found = requests.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<FakeRequest>((resolve, reject) => {
        const watcher = (request: FakeRequest): void => {
          if (!predicate(request)) return;
          cleanup();
          resolve(request);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake model: no matching request within ${timeoutMs} ms (${requests.length} seen)`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          watchers.delete(watcher);
        };
        watchers.add(watcher);
      });
    },
    async close() {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
