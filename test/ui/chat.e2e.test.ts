/**
 * The chat view end to end: the built bundle served by the real chamber CLI on loopback, which
 * supervises the real OpenCode binary, whose model is the scripted loopback fake
 * (test/support/fake-model.ts); Debian's Chromium (headless). Tests run in order like one
 * person's session: a prompt whose reply streams in, a file write that asks permission, a model
 * error, an aborted reply, a reload that keeps the session.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startFakeModel, type FakeModel } from '../support/fake-model.js';
import { createOpenCodeWorkspace, type OpenCodeWorkspace } from '../support/opencode-workspace.js';
import {
  ensureUiBundle,
  launchChromium,
  newUiPage,
  startChamber,
  writeFile,
  type RunningChamber,
} from '../support/ui.js';

const WAIT_MS = 30_000;

let model: FakeModel;
let workspace: OpenCodeWorkspace;
let chamber: RunningChamber;
let browser: Browser;
let page: Page;

const assistantMessages = () => page.locator('[data-testid=chat-message][data-role=assistant]');
const lastAssistant = () => assistantMessages().last();

async function sendPrompt(text: string): Promise<void> {
  const input = page.getByTestId('chat-input');
  await input.click();
  await input.fill(text);
  await input.press('Enter');
  // Enter sent it: the box is empty again.
  await expect.poll(() => input.inputValue(), { timeout: WAIT_MS }).toBe('');
}

/** Every message id of the conversation, in order (the list is virtualised: scrolled through). */
async function messageIds(): Promise<string[]> {
  const ids: string[] = [];
  const list = page.getByTestId('chat-messages');
  const height = await list.evaluate((element) => element.scrollHeight);
  for (let top = 0; top <= height; top += 300) {
    await list.evaluate((element, to) => (element.scrollTop = to), top);
    await page.waitForTimeout(50);
    const seen = await page
      .locator('[data-testid=chat-message]')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-id') ?? ''));
    for (const id of seen) if (!ids.includes(id)) ids.push(id);
  }
  return ids.sort();
}

async function waitIdle(): Promise<void> {
  await page.locator('[data-testid=chat-view][data-busy=false]').waitFor();
}

beforeAll(async () => {
  ensureUiBundle();
  model = await startFakeModel({ chunkDelayMs: 5 });
  workspace = await createOpenCodeWorkspace({ baseURL: model.baseURL, files: { 'README.md': '# demo\n' } });
  // The workspace is the one the UI (and so OpenCode) opens at start.
  writeFile(
    path.join(workspace.home, '.config', 'openchamber', 'settings.json'),
    JSON.stringify({ lastDirectory: workspace.directory, homeDirectory: workspace.home }),
  );
  const env = Object.fromEntries(
    Object.entries(workspace.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  chamber = await startChamber({ home: workspace.home, opencode: true, env });
  browser = await launchChromium();
  page = await newUiPage(browser, WAIT_MS);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await chamber?.close();
  await model?.close();
  await workspace?.cleanup();
});

describe('chat view in Chromium, against the real OpenCode and the fake model', () => {
  it('opens the chat from the keyboard and connects to OpenCode', async () => {
    await page.goto(chamber.url);
    await page.getByTestId('file-tree').waitFor();
    await page.keyboard.press('Control+Shift+A');
    await page.getByTestId('chat-view').waitFor();
    await expect.poll(() => page.getByTestId('chat-connection').textContent(), { timeout: WAIT_MS }).toBe('OpenCode');
    // The pickers come from OpenCode's providers and agents.
    await expect.poll(() => page.getByTestId('model-picker').inputValue(), { timeout: WAIT_MS }).toBe('fake/m1');
    expect(await page.getByTestId('agent-picker').inputValue()).toBe('build');
    // The prompt box has the focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('chat-input');
  }, 90_000);

  it('a prompt: the reply streams in, its first words on screen before the model finished', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const words = 'Streaming **works**: the first words arrive before the last ones are written.';
    model.script(reply.text(words, { hold: { after: 3, until: held } }));
    await sendPrompt('Say something');
    await page.locator('[data-testid=chat-message][data-role=user]', { hasText: 'Say something' }).waitFor();
    await expect.poll(() => lastAssistant().textContent(), { timeout: WAIT_MS }).toContain('Streaming works');
    const request = model.mainRequests().at(-1)!;
    // Seen while the fake is still holding back the rest of the reply.
    expect(request.finishedAt).toBeUndefined();
    expect(await page.getByTestId('chat-view').getAttribute('data-busy')).toBe('true');
    release();
    await expect
      .poll(async () => (await lastAssistant().locator('[data-testid=chat-markdown]').textContent())?.trim(), {
        timeout: WAIT_MS,
      })
      .toBe('Streaming works: the first words arrive before the last ones are written.');
    expect(await lastAssistant().locator('strong').textContent()).toBe('works');
    await waitIdle();
    expect(request.finishedAt).toBeDefined();
    await lastAssistant().getByTestId('chat-usage').waitFor();
    // The session got OpenCode's title, in the header and the sidebar list.
    await expect
      .poll(() => page.getByTestId('chat-title').textContent(), { timeout: WAIT_MS })
      .toBe('Fake session title');
    await page.getByTestId('session-row').filter({ hasText: 'Fake session title' }).waitFor();
  }, 90_000);

  it('a write asks permission in the conversation; Allow once writes the file and shows its diff', async () => {
    const target = path.join(workspace.directory, 'notes', 'hello.txt');
    model.script(reply.write('notes/hello.txt', 'Hello from the agent\nsecond line\n'), reply.text('Wrote the note.'));
    await sendPrompt('Write a note');
    const prompt = page.getByTestId('permission-prompt');
    await prompt.waitFor();
    expect(await prompt.getAttribute('data-permission')).toBe('edit');
    // The prompt shows the change it asks for, as diff rows.
    await prompt.locator('[data-testid=diff-line][data-kind=add]', { hasText: 'Hello from the agent' }).waitFor();
    expect(fs.existsSync(target)).toBe(false);
    await prompt.getByTestId('permission-once').click();
    await expect
      .poll(() => fs.existsSync(target) && fs.readFileSync(target, 'utf8'), { timeout: WAIT_MS })
      .toBe('Hello from the agent\nsecond line\n');
    await prompt.waitFor({ state: 'detached' });
    const tool = page.locator('[data-testid=tool-part][data-tool=write]');
    await page.locator('[data-testid=tool-part][data-tool=write][data-status=completed]').waitFor();
    await tool.locator('[data-testid=diff-line][data-kind=add]', { hasText: 'second line' }).waitFor();
    await expect.poll(() => lastAssistant().textContent(), { timeout: WAIT_MS }).toContain('Wrote the note.');
    await waitIdle();
  }, 90_000);

  it("the model's error is shown as an error", async () => {
    model.script(reply.error(400, 'The fake model refuses: prompt too long'));
    await sendPrompt('Fail please');
    const error = lastAssistant().getByTestId('chat-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('The fake model refuses: prompt too long');
    await waitIdle();
  }, 90_000);

  it('Stop aborts a reply that hangs, keeping what streamed', async () => {
    model.script(reply.hang('Thinking about a very long answer'));
    await sendPrompt('Take your time');
    await expect.poll(() => lastAssistant().textContent(), { timeout: WAIT_MS }).toContain('Thinking about');
    const request = model.mainRequests().at(-1)!;
    await page.getByTestId('chat-abort').click();
    await lastAssistant().getByTestId('chat-aborted').waitFor();
    await waitIdle();
    await expect.poll(() => request.aborted, { timeout: WAIT_MS }).toBe(true);
    expect(await lastAssistant().textContent()).toContain('Thinking about a very long answer');
    await page.getByTestId('chat-send').waitFor();
  }, 90_000);

  it('a reload reopens the chat on the same session with its conversation', async () => {
    const before = await messageIds();
    const title = await page.getByTestId('chat-title').textContent();
    await page.reload();
    await page.getByTestId('chat-view').waitFor();
    await expect.poll(() => page.getByTestId('chat-title').textContent(), { timeout: WAIT_MS }).toBe(title);
    await page.getByTestId('chat-messages').waitFor();
    await expect.poll(() => messageIds(), { timeout: WAIT_MS }).toEqual(before);
    expect(before.length).toBeGreaterThanOrEqual(9);
    await page.locator('[data-testid=tool-part][data-tool=write][data-status=completed]').waitFor();
  }, 90_000);
});
