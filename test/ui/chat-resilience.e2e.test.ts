/**
 * The chat view when things go wrong under it, in Chromium against the real chamber CLI, the real
 * OpenCode and the fake model; the page reaches the server through a TCP relay
 * (support/tcp-proxy.ts), so a test can break the network between them:
 *
 * - OpenCode killed (SIGKILL) in the middle of a reply: the view reconnects when the supervisor
 *   has restarted it, shows the interrupted reply once, and the next prompt works;
 * - the event stream cut (every connection reset) in the middle of a reply, and a half-dead
 *   stream that carries nothing: the view reconnects and ends with the whole reply, once;
 * - a tool whose output is megabytes: shown clipped, expandable, the window responsive;
 * - a 2 MB transcript: opens, and scrolls top to bottom with every message laid out once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createOpencodeClient } from '@opencode-ai/sdk/v2/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/agent.js';
import { CHAT_WAIT_MS, messageIds, openChat, sendPrompt, waitIdle } from '../support/chat-flow.js';
import { createLongSession } from '../support/chat-transcript.js';
import { reply, startFakeModel, type FakeModel } from '../support/fake-model.js';
import { createOpenCodeWorkspace, type OpenCodeWorkspace } from '../support/opencode-workspace.js';
import { isAlive } from '../support/sockets.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { playwrightUi, type UiPage } from '../support/ui-page.js';
import {
  ensureUiBundle,
  launchChromium,
  newUiPage,
  startChamber,
  writeFile,
  type RunningChamber,
} from '../support/ui.js';

let model: FakeModel;
let workspace: OpenCodeWorkspace;
let chamber: RunningChamber;
let proxy: TcpProxy;
let browser: Browser;
let page: Page;
let ui: UiPage;

/** The pids of the OpenCode processes the server started, in order (from its log). */
function opencodePids(): number[] {
  const pids: number[] = [];
  for (const text of chamber.log) {
    for (const line of text.split('\n')) {
      if (!line.includes('"Starting OpenCode"')) continue;
      const pid = (JSON.parse(line) as { pid?: unknown }).pid;
      if (typeof pid === 'number') pids.push(pid);
    }
  }
  return pids;
}

const lastAssistant = () => page.locator('[data-testid=chat-message][data-role=assistant]').last();
const connection = () => page.getByTestId('chat-connection').textContent();

beforeAll(async () => {
  ensureUiBundle();
  model = await startFakeModel({ chunkDelayMs: 5 });
  workspace = await createOpenCodeWorkspace({
    baseURL: model.baseURL,
    permission: { edit: 'ask', bash: 'allow' },
    files: { 'README.md': '# demo\n' },
  });
  writeFile(
    path.join(workspace.home, '.config', 'openchamber', 'settings.json'),
    JSON.stringify({ lastDirectory: workspace.directory, homeDirectory: workspace.home }),
  );
  const env = Object.fromEntries(
    Object.entries(workspace.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  chamber = await startChamber({ home: workspace.home, opencode: true, env });
  const { port } = new URL(chamber.url);
  proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(port) });
  browser = await launchChromium();
  page = await newUiPage(browser, CHAT_WAIT_MS);
  ui = playwrightUi(page);
  await page.goto(proxy.url);
  await page.getByTestId('file-tree').waitFor();
  await openChat(ui);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await chamber?.close();
  await model?.close();
  await workspace?.cleanup();
});

/**
 * Samples the text of the newest assistant message every frame until stopped (what a person saw,
 * frame by frame); the messages there before the start are left out.
 */
async function sampleNewReply(): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __samples: string[]; __sampling: boolean };
    const selector = '[data-testid=chat-message][data-role=assistant]';
    const before = new Set([...document.querySelectorAll(selector)].map((node) => node.getAttribute('data-id')));
    w.__samples = [];
    w.__sampling = true;
    const tick = () => {
      const last = [...document.querySelectorAll(selector)].at(-1);
      if (last && !before.has(last.getAttribute('data-id'))) {
        const text = last.querySelector('[data-testid=chat-markdown]')?.textContent?.trim() ?? '';
        if (w.__samples.at(-1) !== text) w.__samples.push(text);
      }
      if (w.__sampling) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { __samples: string[]; __sampling: boolean };
      w.__sampling = false;
      return w.__samples;
    });
}

/** A reply of `words` numbered words, so a lost or doubled piece shows in the text. */
const numbered = (prefix: string, words: number) =>
  Array.from({ length: words }, (_, n) => `${prefix}${n}`).join(' ') + '.';

describe('the chat when OpenCode, the network or the sizes misbehave', () => {
  it('OpenCode killed mid-reply: the view reconnects, the interrupted reply shows once, the next prompt works', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    model.script(reply.text('Half of this reply arrives before the crash.', { hold: { after: 4, until: held } }));
    await sendPrompt(ui, 'Start a reply');
    await expect.poll(() => lastAssistant().textContent(), { timeout: CHAT_WAIT_MS }).toContain('Half of this reply');
    const [first] = opencodePids();
    process.kill(first!, 'SIGKILL');
    await waitFor(() => !isAlive(first!), 10_000, 'OpenCode to die');
    release();
    await expect.poll(connection, { timeout: CHAT_WAIT_MS }).not.toBe('OpenCode');
    await waitFor(() => opencodePids().length > 1, CHAT_WAIT_MS, 'OpenCode restarted');
    await expect.poll(connection, { timeout: CHAT_WAIT_MS }).toBe('OpenCode');
    await waitIdle(ui);
    // The reply OpenCode will never finish says so, once, with what streamed before the crash.
    await lastAssistant().getByTestId('chat-interrupted').waitFor();
    expect(await lastAssistant().textContent()).toContain('Half of this reply');
    expect(await page.getByTestId('chat-interrupted').count()).toBe(1);
    const ids = await messageIds(ui);
    expect(ids).toHaveLength(2);

    model.script(reply.text('After the restart all is well.'));
    await sendPrompt(ui, 'Again');
    await expect.poll(() => lastAssistant().textContent(), { timeout: CHAT_WAIT_MS }).toContain('all is well');
    await waitIdle(ui);
    const after = await messageIds(ui);
    expect(after.slice(0, 2)).toEqual(ids);
    expect(after).toHaveLength(4);
    expect(new Set(after).size).toBe(4);
    const text = await page.getByTestId('chat-messages').textContent();
    expect(text!.split('After the restart all is well.')).toHaveLength(2);
    expect(text!.split('Half of this reply')).toHaveLength(2);
  }, 120_000);

  it('the event stream cut mid-reply: the view reconnects and shows the whole reply once, never a wrong text', async () => {
    const words = numbered('w', 60);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Slow enough that the reconnect happens while the reply still streams.
    model.script(reply.text(words, { delayMs: 40, hold: { after: 5, until: held } }));
    const samples = await sampleNewReply();
    await sendPrompt(ui, 'Count slowly');
    await expect.poll(() => lastAssistant().textContent(), { timeout: CHAT_WAIT_MS }).toContain('w3');
    expect(proxy.open()).toBeGreaterThan(0);
    proxy.cut();
    release();
    await expect.poll(connection, { timeout: CHAT_WAIT_MS }).not.toBe('OpenCode');
    await expect.poll(connection, { timeout: CHAT_WAIT_MS }).toBe('OpenCode');
    await expect
      .poll(async () => (await lastAssistant().getByTestId('chat-markdown').textContent())?.trim(), {
        timeout: CHAT_WAIT_MS,
      })
      .toBe(words);
    await waitIdle(ui);
    // Every text shown on the way was a beginning of the reply: nothing doubled, nothing skipped.
    const seen = await samples();
    expect(seen.length).toBeGreaterThan(2);
    for (const text of seen) expect(words.startsWith(text), `shown: ${text}`).toBe(true);
    const ids = await messageIds(ui);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await page.getByTestId('chat-messages').textContent())!.split(words)).toHaveLength(2);
  }, 120_000);

  it('a half-dead event stream (open, silent) is dropped after the heartbeats stop, and the reply arrives', async () => {
    const words = numbered('s', 20);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    model.script(reply.text(words, { hold: { after: 3, until: held } }));
    await sendPrompt(ui, 'Count again');
    await expect.poll(() => lastAssistant().textContent(), { timeout: CHAT_WAIT_MS }).toContain('s2');
    // Nothing more reaches the page on the connections open now; nothing tells it so either.
    proxy.stall();
    release();
    await page.waitForTimeout(1000);
    expect((await lastAssistant().getByTestId('chat-markdown').textContent())?.trim()).not.toBe(words);
    // OpenCode's heartbeat comes every 10 s; the view gives up on a stream silent for 25 s.
    await expect
      .poll(async () => (await lastAssistant().getByTestId('chat-markdown').textContent())?.trim(), {
        timeout: 45_000,
        interval: 500,
      })
      .toBe(words);
    await expect.poll(connection, { timeout: CHAT_WAIT_MS }).toBe('OpenCode');
    await waitIdle(ui);
  }, 120_000);

  it('a tool whose output is megabytes: clipped, expandable, the conversation stays small', async () => {
    model.script(reply.tool('bash', { command: 'seq 1 400000', description: 'Count a lot' }), reply.text('Counted.'));
    await sendPrompt(ui, 'Count to 400000');
    await expect.poll(() => lastAssistant().textContent(), { timeout: CHAT_WAIT_MS }).toContain('Counted.');
    await waitIdle(ui);
    const tool = page.locator('[data-testid=tool-part][data-tool=bash]').last();
    expect(await tool.getAttribute('data-status')).toBe('completed');
    await tool.getByTestId('tool-toggle').click();
    const output = tool.getByTestId('tool-output');
    await output.waitFor();
    // OpenCode keeps the tail (and says where the whole output went); the view shows its first lines.
    const clipped = (await output.textContent())!;
    expect(clipped.split('\n').length).toBeLessThanOrEqual(24);
    await tool.getByTestId('show-more').click();
    // Expanded: the whole output OpenCode gave, far more than the clipped lines. OpenCode keeps
    // part of the count and says where the rest went; how much it keeps is OpenCode's (2,000
    // lines in most runs, tens of thousands in a few on a loaded machine), so the check is the
    // shape and the equality with what OpenCode stored, not a number.
    // A large text to lay out: on a loaded machine that takes more than a second.
    await expect
      .poll(async () => (await output.textContent())!.length, { timeout: 15_000 })
      .toBeGreaterThan(clipped.length * 2);
    const expanded = (await output.textContent())!;
    expect(expanded).toContain('output truncated');
    expect(expanded.startsWith(clipped)).toBe(true);
    const numbers = expanded
      .split('\n')
      .filter((line) => /^\d+$/.test(line))
      .map(Number);
    expect(numbers.length).toBeGreaterThan(1_000);
    // In order, none lost (the last line may be cut where OpenCode cut it).
    const whole = numbers.slice(0, -1);
    expect(whole.every((n, i) => i === 0 || n === whole[i - 1]! + 1)).toBe(true);
    // And it is exactly what OpenCode stored for the tool (how much that is, is OpenCode's call).
    const sdk = createOpencodeClient({ baseUrl: `${chamber.url}/api` });
    const sessions = (await sdk.session.list({ directory: workspace.directory })).data ?? [];
    const stored = [];
    for (const session of sessions) {
      const messages =
        (await sdk.session.messages({ sessionID: session.id, directory: workspace.directory })).data ?? [];
      for (const part of messages.flatMap((message) => message.parts)) {
        if (part.type === 'tool' && part.tool === 'bash' && part.state.status === 'completed') {
          if (part.state.input.command === 'seq 1 400000') stored.push(part.state.output);
        }
      }
    }
    expect(stored).toHaveLength(1);
    expect(expanded.trim()).toBe(stored[0]!.trim());

    // A 2 MB file written by the agent: the permission prompt and the tool draw the diff's first lines.
    const content = Array.from({ length: 40_000 }, (_, n) => `line ${n} ${'x'.repeat(40)}`).join('\n') + '\n';
    model.script(reply.write('big.txt', content), reply.text('Wrote the big file.'));
    await sendPrompt(ui, 'Write a big file');
    const prompt = page.getByTestId('permission-prompt');
    await prompt.locator('[data-testid=diff-line][data-kind=add]').first().waitFor();
    expect(await prompt.locator('[data-testid=diff-line]').count()).toBeLessThanOrEqual(60);
    await prompt.getByTestId('permission-once').click();
    await expect.poll(() => lastAssistant().textContent(), { timeout: CHAT_WAIT_MS }).toContain('Wrote the big file.');
    await waitIdle(ui);
    expect(fs.statSync(path.join(workspace.directory, 'big.txt')).size).toBe(content.length);
    const diff = page
      .locator('[data-testid=tool-part][data-tool=write][data-status=completed]')
      .last()
      .getByTestId('tool-diff');
    expect(await diff.locator('[data-testid=diff-line]').count()).toBeLessThanOrEqual(60);
    expect(await diff.getByTestId('show-more').textContent()).toMatch(/^Show 1,000 more lines \(39,9\d\d not shown\)$/);
    await diff.getByTestId('show-more').click();
    await expect.poll(() => diff.locator('[data-testid=diff-line]').count()).toBeGreaterThan(1000);
    // The page holds a screenful of the 2 MB, not all of it.
    expect((await page.getByTestId('chat-messages').innerHTML()).length).toBeLessThan(1_000_000);
  }, 120_000);

  it('a 2 MB transcript opens and scrolls top to bottom, every message laid out once', async () => {
    const sdk = createOpencodeClient({ baseUrl: `${chamber.url}/api` });
    const long = await createLongSession(sdk, model, workspace.directory, { title: 'Long transcript', turns: 44 });
    expect(long.bytes).toBeGreaterThan(2_000_000);

    await page.getByTestId('session-row').filter({ hasText: 'Long transcript' }).click();
    await page.locator(`[data-testid=chat-message][data-id="${long.messageIds.at(-1)!}"]`).waitFor();
    // Top to bottom, three screens at a time, checking the layout at every stop (in the page: a
    // round trip per stop would make this minutes long).
    const walk = await page.getByTestId('chat-messages').evaluate(async (element) => {
      const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const problems: string[] = [];
      const seen: string[] = [];
      let stops = 0;
      let maxRendered = 0;
      element.scrollTop = 0;
      await frame();
      for (;;) {
        stops += 1;
        const view = element.getBoundingClientRect();
        const slots = [...element.querySelectorAll<HTMLElement>('.chat-slot')]
          .map((slot) => ({
            rect: slot.getBoundingClientRect(),
            id: slot.querySelector('[data-testid=chat-message]')?.getAttribute('data-id') ?? '',
          }))
          .sort((a, b) => a.rect.top - b.rect.top);
        const ids = slots.map((slot) => slot.id);
        maxRendered = Math.max(maxRendered, ids.length);
        const at = `at ${element.scrollTop}px`;
        if (new Set(ids).size !== ids.length) problems.push(`a message rendered twice ${at}`);
        for (let index = 1; index < slots.length; index += 1) {
          if (slots[index]!.rect.top < slots[index - 1]!.rect.bottom - 1) problems.push(`rows overlap ${at}`);
        }
        const visible = slots.filter((slot) => slot.rect.bottom > view.top && slot.rect.top < view.bottom);
        const covered = visible.length > 0 && visible[0]!.rect.top <= view.top + 1;
        const bottom = element.scrollTop + element.clientHeight >= element.scrollHeight - 2;
        if (!covered || (!bottom && visible.at(-1)!.rect.bottom < view.bottom - 1)) problems.push(`a gap ${at}`);
        for (const id of ids) if (!seen.includes(id)) seen.push(id);
        if (bottom) break;
        element.scrollTop += element.clientHeight * 3;
        await frame();
      }
      return { problems, seen, stops, maxRendered, height: element.scrollHeight };
    });
    expect(walk.problems).toEqual([]);
    expect(walk.maxRendered).toBeLessThan(20);
    const seen = walk.seen;
    expect(seen.slice().sort()).toEqual(long.messageIds.slice().sort());
  }, 240_000);
});
