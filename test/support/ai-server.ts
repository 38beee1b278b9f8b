/**
 * A local OpenAI-compatible chat-completions server on loopback, for the AI commit message, prompt
 * refinement and the AI endpoint test. It serves any path ending in `/chat/completions`, so a base
 * URL (`http://…/v1`) and a full URL both work; `/status/<code>/chat/completions` answers that
 * HTTP status with an OpenAI-style error body, whatever was asked.
 *
 * Commit messages (one user message): the answer depends on the file names in the prompt
 * (`FILE: <name>`), so one server serves every case identically to both transports:
 * - `new.txt`            → plain text (not JSON): the runtime falls back to `{ subject: raw }`
 * - `with space.txt`     → blank content: 502 `No commit message returned by generator`
 * - `ünï cødé.txt`       → HTTP 500: 502 `Failed to generate commit message`
 * - `quote"s.txt`        → the socket is destroyed without an answer: 500 `fetch failed`
 * - `hang.txt`           → never answers (for timeout tests)
 * - anything else        → a fenced JSON commit message
 *
 * Refinement (a system message first): the answer depends on a `[reply:<kind>]` marker in the raw
 * request (see `RefineReply`); without one, a JSON `{ prompt: "Refined: <raw request>", rationale }`.
 * The endpoint test's message ("Reply with the single word OK.") gets `OK`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AiRequestRecord {
  headers: http.IncomingHttpHeaders;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    max_tokens?: number;
    stream?: boolean;
    reasoning?: unknown;
    temperature?: number;
  };
}

export interface AiServer {
  /** The chat-completions URL to configure. */
  endpoint: string;
  /** The OpenAI-style base URL (`…/v1`): the runtime appends `/chat/completions`. */
  baseUrl: string;
  requests: AiRequestRecord[];
  close(): Promise<void>;
}

export const AI_JSON_REPLY = { subject: 'fix(main): adjust a', highlights: ['Changes the second line of a'] };

/** The `[reply:<kind>]` markers a refinement prompt can carry, and what each makes the server do. */
export type RefineReply =
  /** the JSON answer inside a ```json fence */
  | 'fenced'
  /** prose instead of JSON: 502 Failed to parse refinement response */
  | 'prose'
  /** JSON without `prompt`: 502 Refinement response missing prompt */
  | 'no-prompt'
  /** an empty `content`: 502 No prompt returned by generator */
  | 'empty'
  /** HTTP 401 with an OpenAI error body: 502 Failed to refine prompt */
  | 'http-401'
  /** HTTP 500 with a text body: 502 Failed to refine prompt */
  | 'http-500'
  /** HTTP 200 whose body is HTML, not JSON: 500 */
  | 'not-json'
  /** the connection is dropped without an answer: 500 */
  | 'drop'
  /** never answers (timeout tests) */
  | 'hang';

/** The answer's `rationale` (blank and non-string entries are dropped by the runtime). */
export const REFINE_RATIONALE = ['  Names the files to touch  ', '', 'Adds a validation step', 7];

/** The raw request inside a refinement's user message (between its two headings). */
export function rawRequestOf(userContent: string): string {
  const match = /## Raw Request\n\n([\s\S]*?)\n\n## Execution Parameters/.exec(userContent);
  return match?.[1] ?? '';
}

function reply(res: http.ServerResponse, content: string): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(
    JSON.stringify({
      id: 'cmpl-test',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content } }],
    }),
  );
}

function refine(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  userContent: string,
  hanging: Set<http.ServerResponse>,
): void {
  const raw = rawRequestOf(userContent);
  const kind = /\[reply:([a-z0-9-]+)\]/.exec(raw)?.[1] as RefineReply | undefined;
  const answer = JSON.stringify({ prompt: `Refined: ${raw}`, rationale: REFINE_RATIONALE });
  switch (kind) {
    case 'fenced':
      return reply(res, `\`\`\`json\n${answer}\n\`\`\``);
    case 'prose':
      return reply(res, `Here is a better prompt: ${raw}`);
    case 'no-prompt':
      return reply(res, JSON.stringify({ rationale: ['nothing'] }));
    case 'empty':
      return reply(res, '');
    case 'http-401':
      res.writeHead(401, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: 'Invalid API key', type: 'invalid_request_error' } }));
    case 'http-500':
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      return void res.end('upstream exploded');
    case 'not-json':
      res.writeHead(200, { 'Content-Type': 'text/html' });
      return void res.end('<html><body>Welcome to nginx</body></html>');
    case 'drop':
      return void req.socket.destroy();
    case 'hang':
      hanging.add(res);
      return;
    default:
      return reply(res, answer);
  }
}

export async function startAiServer(): Promise<AiServer> {
  const requests: AiRequestRecord[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as AiRequestRecord['body'];
      requests.push({ headers: req.headers, body });
      const forced = /\/status\/(\d{3})\/chat\/completions$/.exec(req.url ?? '');
      if (forced) {
        res.writeHead(Number(forced[1]), { 'Content-Type': 'application/json' });
        return res.end(JSON.stringify({ error: { message: `Forced status ${forced[1]}`, type: 'test' } }));
      }
      if (!(req.url ?? '').endsWith('/chat/completions')) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('Not found');
      }
      if (body.messages?.[0]?.role === 'system') return refine(req, res, body.messages[1]?.content ?? '', hanging);
      const prompt = body.messages?.[0]?.content ?? '';
      if (prompt === 'Reply with the single word OK.') return reply(res, 'OK');
      if (prompt.includes('FILE: hang.txt')) {
        hanging.add(res);
        return;
      }
      if (prompt.includes('FILE: new.txt')) return reply(res, '  Update the new file  ');
      if (prompt.includes('FILE: with space.txt')) return reply(res, '   ');
      if (prompt.includes('FILE: ünï cødé.txt')) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        return res.end('upstream exploded');
      }
      if (prompt.includes('FILE: quote"s.txt')) return req.socket.destroy();
      reply(res, `\`\`\`json\n${JSON.stringify(AI_JSON_REPLY)}\n\`\`\``);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/v1/chat/completions`,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
