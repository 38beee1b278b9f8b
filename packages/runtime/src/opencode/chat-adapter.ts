/**
 * The AI endpoint `opencode:`: a chat completion answered by the model the user configured in
 * OpenCode, so prompt refinement and the commit message need no second endpoint or key.
 *
 * It is a `fetch` for `chatCompletion` (ai/chat.ts): it takes the OpenAI-style request, runs it as
 * one turn of a throwaway OpenCode session (the system prompt as the turn's system, the user
 * messages as its text, every built-in tool off), deletes the session, and answers the
 * OpenAI-style JSON the caller already reads. OpenCode's own failures come back as the HTTP
 * status and error body an endpoint would send, so the caller's messages apply unchanged.
 */
import type { Readable } from 'node:stream';
import type { ProxyRequest, ProxyResponse } from './forward.js';

/** OpenCode 1.x's built-in tools: a chat completion must not read, write or run anything. */
const BUILT_IN_TOOLS = [
  'bash',
  'edit',
  'glob',
  'grep',
  'list',
  'patch',
  'question',
  'read',
  'skill',
  'task',
  'todoread',
  'todowrite',
  'webfetch',
  'websearch',
  'write',
];

interface OpenCodeProxy {
  proxy(request: ProxyRequest): Promise<ProxyResponse>;
  readonly directory: string;
}

interface ChatMessage {
  role?: unknown;
  content?: unknown;
}

async function readText(body: Readable | null): Promise<string> {
  if (!body) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((part) => (typeof (part as { text?: unknown })?.text === 'string' ? (part as { text: string }).text : ''))
      .join('');
  return '';
}

function json(status: number, value: unknown): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

/** An OpenAI-style error answer, what `chatCompletion` quotes. */
function failure(status: number, message: string): Response {
  return json(status, { error: { message } });
}

export function createOpenCodeChatFetch(opencode: OpenCodeProxy): typeof fetch {
  const call = async (method: string, target: string, body: unknown, signal?: AbortSignal) => {
    const answer = await opencode.proxy({
      method,
      target,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? null : Buffer.from(JSON.stringify(body)),
      signal,
    });
    const text = await readText(answer.body);
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // reported below with the status
    }
    return { status: answer.status, text, parsed };
  };
  const complain = (what: string, status: number, parsed: unknown, text: string): Response => {
    const said = (parsed as { error?: unknown; reason?: unknown } | null) ?? {};
    const reason = [said.error, said.reason].filter((value) => typeof value === 'string').join(': ');
    return failure(status, `OpenCode ${what}: ${reason || text.slice(0, 200) || `status ${status}`}`);
  };

  const chatFetch = async (_input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    let request: { model?: unknown; messages?: ChatMessage[] };
    try {
      request = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as typeof request;
    } catch {
      return failure(400, 'not a JSON chat-completions request');
    }
    const messages = Array.isArray(request.messages) ? request.messages : [];
    const system = messages
      .filter((message) => message.role === 'system')
      .map((message) => textOf(message.content))
      .join('\n\n');
    const user = messages
      .filter((message) => message.role !== 'system')
      .map((message) => textOf(message.content))
      .join('\n\n');
    // "provider/model" picks a model OpenCode knows; anything else means OpenCode's default.
    const [providerID, ...rest] = typeof request.model === 'string' ? request.model.split('/') : [];
    const model = providerID && rest.length > 0 ? { providerID, modelID: rest.join('/') } : undefined;
    const directory = `directory=${encodeURIComponent(opencode.directory)}`;
    const signal = init?.signal ?? undefined;

    // A title of our own, so OpenCode does not ask the model for one.
    const created = await call('POST', `/session?${directory}`, { title: 'Chamber AI request' }, signal);
    const sessionID = (created.parsed as { id?: unknown } | null)?.id;
    if (created.status !== 200 || typeof sessionID !== 'string') {
      return complain(
        'could not start a session',
        created.status === 200 ? 502 : created.status,
        created.parsed,
        created.text,
      );
    }
    const target = `/session/${encodeURIComponent(sessionID)}`;
    const onAbort = () => void call('POST', `${target}/abort?${directory}`, undefined).catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const answer = await call(
        'POST',
        `${target}/message?${directory}`,
        {
          ...(system ? { system } : {}),
          ...(model ? { model } : {}),
          tools: Object.fromEntries(BUILT_IN_TOOLS.map((tool) => [tool, false])),
          parts: [{ type: 'text', text: user }],
        },
        signal,
      );
      if (answer.status < 200 || answer.status > 299) {
        return complain('could not answer', answer.status, answer.parsed, answer.text);
      }
      const result = answer.parsed as {
        info?: { error?: { name?: string; data?: { message?: string; statusCode?: number } } };
        parts?: { type?: string; text?: string }[];
      } | null;
      const error = result?.info?.error;
      if (error) {
        const status =
          typeof error.data?.statusCode === 'number' && error.data.statusCode >= 400 ? error.data.statusCode : 502;
        return failure(status, `OpenCode's model failed: ${error.data?.message ?? error.name ?? 'unknown error'}`);
      }
      const content = (result?.parts ?? [])
        .flatMap((part) => (part.type === 'text' && part.text ? [part.text] : []))
        .join('');
      return json(200, {
        object: 'chat.completion',
        model: model ? `${model.providerID}/${model.modelID}` : 'opencode',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      });
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // Throwaway: the user's session list is not the place for these.
      await call('DELETE', `${target}?${directory}`, undefined).catch(() => undefined);
    }
  };
  return chatFetch as typeof fetch;
}
