/**
 * The test-side harness (fake model + OpenCode workspace) against the real OpenCode binary, with
 * no Chamber code in between: plain HTTP with Basic auth, as Chamber's runtime will talk to it.
 * It pins the OpenCode behaviour the chat work relies on (listed in test/support/fake-model.ts),
 * so an OpenCode upgrade that changes it fails here first, in one place.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeModel, type FakeRequest, reply, startFakeModel } from './support/fake-model.js';
import { type OpenCodeWorkspace, createOpenCodeWorkspace } from './support/opencode-workspace.js';
import { repoRoot } from './support/paths.js';

const PASSWORD = 'fake-model-test-password';
const platform = process.platform === 'win32' ? 'windows' : process.platform;
const OPENCODE_BIN =
  process.env.OPENCODE_BINARY ||
  path.join(repoRoot, 'node_modules', `opencode-${platform}-${process.arch}`, 'bin', 'opencode');

interface OpenCodeServer {
  url: string;
  child: ChildProcess;
  stderr(): string;
}

/** Spawns `opencode serve` in its own process group and resolves once it prints its URL. */
async function startOpenCode(workspace: OpenCodeWorkspace): Promise<OpenCodeServer> {
  const child = spawn(OPENCODE_BIN, ['serve', '--port', '0', '--hostname', '127.0.0.1'], {
    cwd: workspace.directory,
    env: workspace.env,
    // Its own group, so afterAll can end OpenCode and anything it spawned (git, shells) in one go.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`opencode did not start in 30 s; stderr: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // --port 0 tries 4096 first, so the port is only known from this line.
      const match = /opencode server listening on (http:\/\/\S+)/.exec(stdout);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`opencode exited (${code ?? signal}) before listening; stderr: ${stderr}`));
    });
  });
  return { url, child, stderr: () => stderr };
}

async function stopOpenCode(server: OpenCodeServer | undefined): Promise<void> {
  const pid = server?.child.pid;
  if (!server || pid === undefined || server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-pid, name);
    } catch {}
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Whatever OpenCode started in its group and left behind.
  signal('SIGKILL');
}

interface Part {
  id: string;
  type: string;
  sessionID: string;
  messageID: string;
  text?: string;
  tool?: string;
  callID?: string;
  state?: { status: string; input?: Record<string, unknown>; output?: string };
}

interface MessageInfo {
  id: string;
  role: string;
  sessionID: string;
  error?: { name: string; data?: { message?: string; statusCode?: number; isRetryable?: boolean } };
}

interface PermissionRequest {
  id: string;
  sessionID: string;
  permission: string;
  patterns: string[];
  metadata: { filepath?: string; diff?: string };
  always: string[];
  tool?: { messageID: string; callID: string };
}

interface OpenCodeEvent {
  type: string;
  properties: Record<string, unknown>;
  /** When this process read it off the stream. */
  receivedAt: number;
}

/** One `/event` subscription for the whole file; tests filter by their own session. */
class EventLog {
  readonly events: OpenCodeEvent[] = [];
  private readonly abort = new AbortController();
  private readonly watchers = new Set<() => void>();
  readonly connected: Promise<void>;

  constructor(url: string, headers: Record<string, string>) {
    this.connected = this.read(url, headers);
  }

  private async read(url: string, headers: Record<string, string>): Promise<void> {
    const response = await fetch(url, { headers, signal: this.abort.signal });
    if (!response.ok || !response.body) throw new Error(`/event answered ${response.status}`);
    const body = response.body;
    // Consumed in the background until close(); the first event (server.connected) marks "ready".
    const ready = new Promise<void>((resolve) => {
      const once = (): void => {
        this.watchers.delete(once);
        resolve();
      };
      this.watchers.add(once);
    });
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of body) {
          buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, '\n');
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            end = buffer.indexOf('\n\n');
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trimStart())
              .join('\n');
            if (!data) continue;
            const parsed = JSON.parse(data) as { type: string; properties?: Record<string, unknown> };
            this.events.push({ type: parsed.type, properties: parsed.properties ?? {}, receivedAt: Date.now() });
            for (const watcher of [...this.watchers]) watcher();
          }
        }
      } catch {
        // Aborted by close().
      }
    })();
    await ready;
  }

  /** The first event (already seen or future) matching `predicate`. */
  waitFor(predicate: (event: OpenCodeEvent) => boolean, what: string, timeoutMs = 20_000): Promise<OpenCodeEvent> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.events.find(predicate);
        if (found) {
          cleanup();
          resolve(found);
        }
        return found !== undefined;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${what} event within ${timeoutMs} ms; saw ${this.events.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.watchers.delete(check);
      };
      this.watchers.add(check);
      check();
    });
  }

  forSession(sessionID: string): OpenCodeEvent[] {
    return this.events.filter((event) => event.properties.sessionID === sessionID);
  }

  close(): void {
    this.abort.abort();
  }
}

const partOf = (event: OpenCodeEvent): Part => event.properties.part as Part;
const infoOf = (event: OpenCodeEvent): MessageInfo => event.properties.info as MessageInfo;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('the fake model drives the real OpenCode', () => {
  let fake: FakeModel;
  let workspace: OpenCodeWorkspace;
  let server: OpenCodeServer | undefined;
  let events: EventLog;
  const auth = { authorization: `Basic ${Buffer.from(`opencode:${PASSWORD}`).toString('base64')}` };

  function endpoint(route: string): string {
    const url = new URL(route, server?.url);
    url.searchParams.set('directory', workspace.directory);
    return url.toString();
  }

  async function call<T>(method: string, route: string, body?: unknown): Promise<{ status: number; json: T }> {
    const response = await fetch(endpoint(route), {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as T };
  }

  async function newSession(): Promise<string> {
    const { status, json } = await call<{ id: string }>('POST', '/session', {});
    expect(status).toBe(200);
    return json.id;
  }

  /** Starts a turn without waiting for it (204 at once), as a chat UI does. */
  async function promptAsync(sessionID: string, text: string): Promise<void> {
    const { status } = await call('POST', `/session/${sessionID}/prompt_async`, { parts: [{ type: 'text', text }] });
    expect(status).toBe(204);
  }

  /** A whole turn: OpenCode answers once the turn is over. */
  async function prompt(sessionID: string, text: string): Promise<{ info: MessageInfo; parts: Part[] }> {
    const { status, json } = await call<{ info: MessageInfo; parts: Part[] }>('POST', `/session/${sessionID}/message`, {
      parts: [{ type: 'text', text }],
    });
    expect(status).toBe(200);
    return json;
  }

  const idle = (sessionID: string): Promise<OpenCodeEvent> =>
    events.waitFor((e) => e.type === 'session.idle' && e.properties.sessionID === sessionID, 'session.idle');

  const mainRequest = (sessionID: string): Promise<FakeRequest> =>
    fake.waitForRequest((request) => request.kind === 'main' && request.sessionID === sessionID);

  beforeAll(async () => {
    fake = await startFakeModel();
    workspace = await createOpenCodeWorkspace({ baseURL: fake.baseURL, password: PASSWORD });
    server = await startOpenCode(workspace);
    events = new EventLog(endpoint('/event'), auth);
    await withTimeout(events.connected, 20_000, 'subscribing to /event');
  }, 60_000);

  afterAll(async () => {
    events?.close();
    await stopOpenCode(server);
    await fake?.close();
    await workspace?.cleanup();
  }, 30_000);

  it('requires the server password', async () => {
    const response = await fetch(endpoint('/session'));
    expect(response.status).toBe(401);
    expect(events.events[0]?.type).toBe('server.connected');
  });

  it('streams a text reply: the first words arrive before the model has finished', async () => {
    const sessionID = await newSession();
    const text = 'The quick brown fox jumps over the lazy dog again';
    // The fake sends three words, then waits for the test: the reply cannot end before we saw them.
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    fake.scriptSession(sessionID, reply.text(text, { delayMs: 30, hold: { after: 3, until: released } }));
    await promptAsync(sessionID, 'Say something');

    const request = await mainRequest(sessionID);
    const isAssistantText = (event: OpenCodeEvent): boolean => {
      if (event.type !== 'message.part.updated' || event.properties.sessionID !== sessionID) return false;
      const part = partOf(event);
      const message = events
        .forSession(sessionID)
        .find((e) => e.type === 'message.updated' && infoOf(e).id === part.messageID);
      return part.type === 'text' && message !== undefined && infoOf(message).role === 'assistant';
    };
    const first = await events.waitFor(isAssistantText, 'assistant text part');
    const partID = partOf(first).id;
    // The increments come as message.part.delta events on the part.
    const firstDelta = await events.waitFor(
      (e) => e.type === 'message.part.delta' && e.properties.partID === partID,
      'message.part.delta',
    );
    expect(request.finishedAt).toBeUndefined();
    expect(firstDelta.properties).toMatchObject({ sessionID, field: 'text', delta: 'The ' });
    release();
    await idle(sessionID);

    expect(request.finishedAt).toBeGreaterThan(firstDelta.receivedAt);
    const deltas = events
      .forSession(sessionID)
      .filter((e) => e.type === 'message.part.delta' && e.properties.partID === partID);
    expect(deltas.map((e) => e.properties.delta).join('')).toBe(text);
    const final = events
      .forSession(sessionID)
      .filter((e) => e.type === 'message.part.updated' && partOf(e).id === partID)
      .at(-1);
    expect(final && partOf(final).text).toBe(text);

    // The title generator got its own request, and the fixed title became the session's.
    const title = await fake.waitForRequest((r) => r.kind === 'title' && r.sessionID === sessionID);
    expect(title.body.tools).toBeUndefined();
    await events.waitFor(
      (e) =>
        e.type === 'session.updated' &&
        e.properties.sessionID === sessionID &&
        (e.properties.info as { title?: string }).title === 'Fake session title',
      'session.updated with the title',
    );
  });

  it('turns streamed reasoning_content into a reasoning part', async () => {
    const sessionID = await newSession();
    fake.scriptSession(sessionID, reply.reasoning('Thinking about what to answer', 'Forty-two'));
    const { info, parts } = await prompt(sessionID, 'What is the answer?');

    expect(info.error).toBeUndefined();
    const reasoning = parts.find((part) => part.type === 'reasoning');
    expect(reasoning?.text).toBe('Thinking about what to answer');
    expect(parts.find((part) => part.type === 'text')?.text).toBe('Forty-two');
    // Reasoning is announced before the text. The HTTP answer can overtake the events: wait for idle.
    await idle(sessionID);
    const kinds = events
      .forSession(sessionID)
      .filter((e) => e.type === 'message.part.updated')
      .map((e) => partOf(e).type);
    expect(kinds.indexOf('reasoning')).toBeLessThan(kinds.lastIndexOf('text'));
  });

  it('asks permission for a write tool call and writes the file once allowed', async () => {
    const sessionID = await newSession();
    const content = 'Written by the fake model through OpenCode.\n';
    fake.scriptSession(
      sessionID,
      reply.write('notes/hello.txt', content, { id: 'call_write_1' }),
      reply.text('I wrote notes/hello.txt.'),
    );
    await promptAsync(sessionID, 'Write a note');

    // The tool and its argument names are OpenCode's, not ours: pin them.
    const first = await mainRequest(sessionID);
    const write = first.body.tools?.find((tool) => tool.function.name === 'write');
    expect(Object.keys(write?.function.parameters?.properties ?? {}).sort()).toEqual(['content', 'filePath']);

    const asked = await events.waitFor(
      (e) => e.type === 'permission.asked' && e.properties.sessionID === sessionID,
      'permission.asked',
    );
    const permission = asked.properties as unknown as PermissionRequest;
    const target = path.join(workspace.directory, 'notes', 'hello.txt');
    expect(permission.permission).toBe('edit');
    expect(permission.id).toMatch(/^per/);
    expect(permission.metadata.filepath).toBe(target);
    expect(permission.metadata.diff).toContain('+Written by the fake model');
    expect(permission.tool?.callID).toBe('call_write_1');
    expect(fs.existsSync(target)).toBe(false);
    const { json: pending } = await call<PermissionRequest[]>('GET', '/permission');
    expect(pending.map((p) => p.id)).toContain(permission.id);

    const replied = await call<boolean>('POST', `/permission/${permission.id}/reply`, { reply: 'once' });
    expect(replied).toEqual({ status: 200, json: true });
    await events.waitFor(
      (e) => e.type === 'permission.replied' && e.properties.requestID === permission.id,
      'permission.replied',
    );
    await idle(sessionID);

    expect(fs.readFileSync(target, 'utf8')).toBe(content);
    const tool = events
      .forSession(sessionID)
      .filter((e) => e.type === 'message.part.updated' && partOf(e).type === 'tool')
      .map(partOf)
      .at(-1);
    expect(tool).toMatchObject({ tool: 'write', callID: 'call_write_1', state: { status: 'completed' } });
    // The result went back to the model, whose next scripted reply closed the turn.
    const followUps = fake.mainRequests().filter((r) => r.sessionID === sessionID);
    expect(followUps).toHaveLength(2);
    const toolMessage = followUps[1]?.body.messages?.find((m) => m.role === 'tool');
    expect(toolMessage?.tool_call_id).toBe('call_write_1');
  });

  it('puts a model error on the assistant message', async () => {
    const sessionID = await newSession();
    fake.scriptSession(sessionID, reply.error(400, 'The fake model refused this request'));
    const { info } = await prompt(sessionID, 'Fail please');

    expect(info.role).toBe('assistant');
    expect(info.error?.name).toBe('APIError');
    expect(info.error?.data?.message).toBe('The fake model refused this request');
    expect(info.error?.data?.statusCode).toBe(400);
    const error = await events.waitFor(
      (e) => e.type === 'session.error' && e.properties.sessionID === sessionID,
      'session.error',
    );
    expect((error.properties.error as MessageInfo['error'])?.name).toBe('APIError');
    // 400 is final: OpenCode did not ask again.
    expect(fake.mainRequests().filter((r) => r.sessionID === sessionID)).toHaveLength(1);
  });

  it('retries a 500 (after retry-after-ms) and reports the retry as the session status', async () => {
    const sessionID = await newSession();
    fake.scriptSession(sessionID, reply.error(500, 'upstream hiccup', { retryAfterMs: 50 }), reply.text('Recovered'));
    const { info, parts } = await prompt(sessionID, 'Try twice');

    expect(info.error).toBeUndefined();
    expect(parts.find((part) => part.type === 'text')?.text).toBe('Recovered');
    await idle(sessionID);
    const retry = events
      .forSession(sessionID)
      .find((e) => e.type === 'session.status' && (e.properties.status as { type: string }).type === 'retry');
    expect(retry?.properties.status).toMatchObject({ type: 'retry', attempt: 1, message: 'upstream hiccup' });
  });

  it('stops a hanging reply on abort', async () => {
    const sessionID = await newSession();
    fake.scriptSession(sessionID, reply.hang('Working on it'));
    await promptAsync(sessionID, 'Take forever');

    const request = await mainRequest(sessionID);
    await events.waitFor(
      (e) => e.type === 'message.part.delta' && e.properties.sessionID === sessionID && e.properties.delta === 'it',
      'the partial text',
    );
    expect(request.finishedAt).toBeUndefined();

    const aborted = await call<boolean>('POST', `/session/${sessionID}/abort`);
    expect(aborted).toEqual({ status: 200, json: true });
    await idle(sessionID);
    await withTimeout(request.done, 10_000, 'the model request closing');
    expect(request.aborted).toBe(true);

    const { json: messages } = await call<{ info: MessageInfo; parts: Part[] }[]>(
      'GET',
      `/session/${sessionID}/message`,
    );
    const last = messages.at(-1);
    expect(last?.info.role).toBe('assistant');
    expect(last?.info.error?.name).toBe('MessageAbortedError');
    // What had streamed before the abort is kept.
    expect(last?.parts.find((part) => part.type === 'text')?.text).toBe('Working on it');
  });

  it('left the real home alone and installed nothing', () => {
    // The pre-seeded plugin dependency kept OpenCode's background npm install from running.
    expect(fs.readdirSync(path.join(workspace.home, '.config', 'opencode', 'node_modules'))).toEqual([]);
    expect(fs.existsSync(path.join(workspace.home, '.local', 'share', 'opencode', 'opencode.db'))).toBe(true);
  });
});
