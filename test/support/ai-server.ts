/**
 * A local OpenAI-compatible chat-completions server on loopback, for the AI commit message. What
 * it answers depends on the file names in the prompt (`FILE: <name>`), so one server serves every
 * case identically to both transports:
 * - `new.txt`            → plain text (not JSON): the runtime falls back to `{ subject: raw }`
 * - `with space.txt`     → blank content: 502 `No commit message returned by generator`
 * - `ünï cødé.txt`       → HTTP 500: 502 `Failed to generate commit message`
 * - `quote"s.txt`        → the socket is destroyed without an answer: 500 `fetch failed`
 * - `hang.txt`           → never answers (for timeout tests)
 * - anything else        → a fenced JSON commit message
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
  };
}

export interface AiServer {
  /** The chat-completions URL to configure. */
  endpoint: string;
  requests: AiRequestRecord[];
  close(): Promise<void>;
}

export const AI_JSON_REPLY = { subject: 'fix(main): adjust a', highlights: ['Changes the second line of a'] };

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

export async function startAiServer(): Promise<AiServer> {
  const requests: AiRequestRecord[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as AiRequestRecord['body'];
      requests.push({ headers: req.headers, body });
      const prompt = body.messages?.[0]?.content ?? '';
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
    requests,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
