/**
 * `node --conditions=source --import tsx scripts/screenshots-chat.ts`: the chat view's pictures
 * (docs/screenshots/chat-light.png, chat-dark.png), taken from the real UI and the real OpenCode
 * with the loopback fake model of the tests scripted into a realistic conversation: reasoning,
 * a long Markdown answer with code, an approved edit with its diff, a write waiting for permission.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { reply, startFakeModel } from '../test/support/fake-model.js';
import { createOpenCodeWorkspace } from '../test/support/opencode-workspace.js';
import { repoRoot } from '../test/support/paths.js';
import { ensureUiBundle, launchChromium, startChamber, writeFile } from '../test/support/ui.js';

const outDir = path.join(repoRoot, 'docs/screenshots');

const LIMITER = `export interface Limit {
  windowMs: number;
  max: number;
}

const buckets = new Map<string, number[]>();

export function allow(key: string, limit: Limit, now = Date.now()): boolean {
  const recent = (buckets.get(key) ?? []).filter((t) => now - t < limit.windowMs);
  if (recent.length >= limit.max) return false;
  recent.push(now);
  buckets.set(key, recent);
  return true;
}
`;

const ANSWER = `It is a **sliding-window log**: every key keeps the times of its recent requests.

### How \`allow()\` decides
1. Drop the timestamps older than \`windowMs\`.
2. If \`max\` requests remain in the window, **reject**.
3. Otherwise record \`now\` and let the request through.

\`\`\`ts
const recent = (buckets.get(key) ?? []).filter((t) => now - t < limit.windowMs);
if (recent.length >= limit.max) return false; // over the limit
\`\`\`

It is exact, but memory grows with \`max\`; a token bucket would allow short bursts in O(1). See [the notes](https://example.com/rate-limits).`;

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-input').press('Enter');
}

async function run(): Promise<void> {
  ensureUiBundle();
  const model = await startFakeModel({ chunkDelayMs: 2, title: 'Rate limiter: allow short bursts' });
  const workspace = await createOpenCodeWorkspace({
    baseURL: model.baseURL,
    files: { 'src/lib/rate-limiter.ts': LIMITER, 'README.md': '# orbit-api\n' },
  });
  writeFile(
    path.join(workspace.home, '.config', 'openchamber', 'settings.json'),
    JSON.stringify({ lastDirectory: workspace.directory, homeDirectory: workspace.home }),
  );
  const env = Object.fromEntries(
    Object.entries(workspace.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const chamber = await startChamber({ home: workspace.home, opencode: true, env });
  const browser = await launchChromium();
  try {
    for (const theme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme: theme });
      const page = await context.newPage();
      page.setDefaultTimeout(60_000);
      await page.goto(chamber.url);
      await page.getByTestId('file-tree').waitFor();
      await page.keyboard.press('Control+Shift+A');
      await page.getByTestId('chat-view').waitFor();
      await page.locator('[data-testid=chat-connection]', { hasText: 'OpenCode' }).waitFor();
      // The terminal panel closed: the conversation gets the height.
      await page.keyboard.press('Control+`');
      // A fresh browser profile remembers no session: open the one the light run made.
      if (theme === 'dark') await page.getByTestId('session-row').first().click();
      if (theme === 'light') {
        model.script(
          reply.tool('edit', {
            filePath: 'src/lib/rate-limiter.ts',
            oldString: '  max: number;\n}',
            newString: '  max: number;\n  /** Extra requests allowed at once above `max`. */\n  burst?: number;\n}',
          }),
          reply.text('Added an optional `burst` to `Limit`.'),
        );
        await send(page, 'Allow short bursts: add a `burst` option.');
        await page.getByTestId('permission-once').click();
        await page.locator('[data-testid=tool-part][data-status=completed]').waitFor();
        await page.locator('[data-testid=chat-view][data-busy=false]').waitFor();
        model.script(
          reply.reasoning('The user wants to know how the limiter rejects requests. Explain allow().', ANSWER),
        );
        await send(page, 'Remind me: how does it decide when to reject a request?');
        await page.locator('[data-testid=chat-markdown]', { hasText: 'the notes' }).waitFor();
        await page.locator('[data-testid=chat-view][data-busy=false]').waitFor();
        model.script(
          reply.write(
            'test/rate-limiter.test.ts',
            "import { allow } from '../src/lib/rate-limiter';\n\nallow('a', { windowMs: 1000, max: 1, burst: 2 });\n",
          ),
        );
        await send(page, 'And a test for it.');
      }
      await page.getByTestId('permission-prompt').waitFor();
      await page.locator('[data-testid=chat-markdown]').first().waitFor();
      // No hover effects in the picture.
      await page.mouse.move(640, 0);
      await shoot(page, `chat-${theme}`);
      await context.close();
    }
  } finally {
    await browser.close();
    await chamber.close();
    await model.close();
    await workspace.cleanup();
    fs.rmSync(path.join(workspace.root), { recursive: true, force: true });
  }
}

await run();
