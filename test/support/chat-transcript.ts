/**
 * A long conversation for the chat's size tests and benchmarks: `turns` prompts answered by the
 * fake model with ~50 KB of Markdown each (headings, prose, lists, highlighted code), created
 * through OpenCode's API (not the UI), so it is stored exactly as a real session is.
 */
import type { OpencodeClient } from '@opencode-ai/sdk/v2/client';
import { longText, reply, type FakeModel } from './fake-model.js';

/** One turn's reply: ~50 KB of Markdown in 25 pieces of ~2 KB. */
export function transcriptChunks(turn: number): string[] {
  const chunks: string[] = [];
  for (let index = 0; index < 25; index += 1) {
    chunks.push(
      [
        `## Turn ${turn}, part ${index}`,
        '',
        longText(120).replace(/\n/g, ' '),
        '',
        `- item ${index} one`,
        `- item ${index} two with \`code\``,
        '',
        '```ts',
        ...Array.from({ length: 12 }, (_, n) => `const value${n} = compute(${n}, '${turn}-${index}');`),
        '```',
        '',
        longText(100).replace(/\n/g, ' '),
        '',
        '',
      ].join('\n'),
    );
  }
  return chunks;
}

/** Creates the session and its turns; answers its id and the bytes of its messages as JSON. */
export async function createLongSession(
  sdk: OpencodeClient,
  model: FakeModel,
  directory: string,
  options: { title: string; turns: number },
): Promise<{ sessionID: string; bytes: number; messageIds: string[] }> {
  const created = await sdk.session.create({ directory, title: options.title });
  if (!created.data) throw new Error(`session.create failed: ${JSON.stringify(created.error)}`);
  const sessionID = created.data.id;
  for (let turn = 0; turn < options.turns; turn += 1) {
    model.scriptSession(sessionID, reply.text(transcriptChunks(turn), { delayMs: 0 }));
    const answer = await sdk.session.prompt({ sessionID, directory, parts: [{ type: 'text', text: `Turn ${turn}` }] });
    if (answer.error !== undefined) throw new Error(`prompt failed: ${JSON.stringify(answer.error)}`);
  }
  const messages = await sdk.session.messages({ sessionID, directory });
  const entries = messages.data ?? [];
  return { sessionID, bytes: JSON.stringify(entries).length, messageIds: entries.map((entry) => entry.info.id) };
}
