/**
 * The chat view end to end: the built bundle served by the real chamber CLI on loopback, which
 * supervises the real OpenCode binary, whose model is the scripted loopback fake
 * (test/support/fake-model.ts); Debian's Chromium (headless). Tests run in order like one
 * person's session: a prompt whose reply streams in, a file write that asks permission, a model
 * error, an aborted reply, a reload that keeps the session.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiServer, type AiServer } from '../support/ai-server.js';
import { lastUserText, reply, startFakeModel, type FakeModel } from '../support/fake-model.js';
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
let ai: AiServer;
let metadata: { url: string; close(): Promise<void> };

/** A models.dev-style catalogue on loopback that knows the fake provider's model. */
async function serveModelsMetadata(): Promise<{ url: string; close(): Promise<void> }> {
  const catalogue = {
    // The UI looks providers up by their id lower-cased.
    Fake: {
      id: 'Fake',
      models: { m1: { id: 'm1', name: 'Fake Model One', limit: { context: 128_000, output: 8_192 } } },
    },
  };
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(catalogue));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

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

/** The chat's lazily loaded chunks the page has fetched so far. */
function chatChunks(): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => /\/assets\/(chat-entry|markdown)-[\w-]+\.js$/.exec(entry.name)?.[1] ?? '')
      .filter(Boolean)
      .sort(),
  );
}

/** Whether the conversation's last message is fully inside the list's visible area. */
function lastMessageInView(): Promise<boolean> {
  return page.evaluate(() => {
    const list = document.querySelector('[data-testid=chat-messages]');
    const last = [...(list?.querySelectorAll('[data-testid=chat-message]') ?? [])].at(-1);
    if (!list || !last) return false;
    return last.getBoundingClientRect().bottom <= list.getBoundingClientRect().bottom + 1;
  });
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
  metadata = await serveModelsMetadata();
  ai = await startAiServer();
  chamber = await startChamber({
    home: workspace.home,
    opencode: true,
    env: { ...env, CHAMBER_MODELS_METADATA_URL: metadata.url, CHAMBER_AI_URL: ai.baseUrl },
  });
  browser = await launchChromium();
  page = await newUiPage(browser, WAIT_MS);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await chamber?.close();
  await ai?.close();
  await metadata?.close();
  await model?.close();
  await workspace?.cleanup();
});

describe('chat view in Chromium, against the real OpenCode and the fake model', () => {
  it('opens the chat from the keyboard and connects to OpenCode', async () => {
    await page.goto(chamber.url);
    await page.getByTestId('file-tree').waitFor();
    // The chat's code (and markdown-it with highlight.js) is not part of the first paint.
    expect(await chatChunks()).toEqual([]);
    await page.keyboard.press('Control+Shift+A');
    await page.getByTestId('chat-view').waitFor();
    await expect.poll(chatChunks).toEqual(['chat-entry', 'markdown']);
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
    // Every word the fake sends before it hangs is on screen before Stop (else less is kept).
    await expect
      .poll(() => lastAssistant().textContent(), { timeout: WAIT_MS })
      .toContain('Thinking about a very long answer');
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

  it('the paperclip attaches a file from anywhere: chips, remove, and its text reaches the model', async () => {
    const outside = path.join(workspace.root, 'outside');
    fs.mkdirSync(outside, { recursive: true });
    const notes = path.join(outside, 'meeting-notes.txt');
    const other = path.join(outside, 'other.txt');
    fs.writeFileSync(notes, 'The launch moves to Thursday (attachment marker 4711).\n');
    fs.writeFileSync(other, 'not this one\n');
    await page.getByTestId('attach-input').setInputFiles([notes, other]);
    const chips = page.getByTestId('attachment');
    await expect
      .poll(() => chips.allTextContents())
      .toEqual([expect.stringContaining('meeting-notes.txt'), expect.stringContaining('other.txt')]);
    await chips.filter({ hasText: 'other.txt' }).getByTestId('attachment-remove').click();
    await expect.poll(() => chips.count()).toBe(1);
    // Too big: refused at once, with the limit.
    const big = path.join(outside, 'big.bin');
    fs.writeFileSync(big, Buffer.alloc(6 * 1024 * 1024));
    await page.getByTestId('attach-input').setInputFiles(big);
    await page.getByTestId('toast').filter({ hasText: 'big.bin is 6.0 MB: attach files up to 5.0 MB' }).waitFor();
    expect(await chips.count()).toBe(1);

    model.script(reply.text('Thursday it is.'));
    const before = model.mainRequests().length;
    await sendPrompt('When is the launch?');
    await expect.poll(() => lastAssistant().textContent(), { timeout: WAIT_MS }).toContain('Thursday it is.');
    await waitIdle();
    expect(await chips.count()).toBe(0);
    const request = model.mainRequests()[before]!;
    expect(lastUserText(request.body)).toContain('When is the launch?');
    expect(JSON.stringify(request.body.messages)).toContain('attachment marker 4711');
    expect(JSON.stringify(request.body.messages)).not.toContain('not this one');
    const bubble = page.locator('[data-testid=chat-message][data-role=user]').last();
    expect(await bubble.textContent()).toContain('meeting-notes.txt');
  }, 90_000);

  it('the model picker names the model from the models metadata, with its limits; a reply shows the context used', async () => {
    const option = page.locator('[data-testid=model-picker] option[value="fake/m1"]');
    await expect.poll(() => option.textContent(), { timeout: WAIT_MS }).toBe('Fake Model One');
    expect(await option.getAttribute('title')).toBe('128k context · 8.2k output');
    await expect
      .poll(
        () =>
          lastAssistant()
            .getByTestId('chat-context')
            .textContent()
            .catch(() => ''),
        { timeout: WAIT_MS },
      )
      .toMatch(/^\d+ of 128k context \(\d+%\)$/);
  }, 90_000);

  it('the prompt enhancer refines the prompt: its text and rationale, then use it or keep mine', async () => {
    const input = page.getByTestId('chat-input');
    await input.fill('Add a dark mode');
    await page.getByTestId('refine-button').click();
    const panel = page.getByTestId('refine-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('refine-prompt').textContent()).toBe('Refined: Add a dark mode');
    // The prompt box grew: the conversation still shows its last message above it.
    await expect.poll(lastMessageInView).toBe(true);
    expect(await panel.locator('[data-testid=refine-rationale] li').allTextContents()).toEqual([
      'Names the files to touch',
      'Adds a validation step',
    ]);
    // The refinement asked about this workspace, for the agent chosen.
    const asked = ai.requests
      .at(-1)!
      .body.messages!.map((message) => message.content)
      .join('\n');
    expect(asked).toContain('Add a dark mode');
    await panel.getByTestId('refine-keep').click();
    await panel.waitFor({ state: 'detached' });
    expect(await input.inputValue()).toBe('Add a dark mode');

    await page.getByTestId('refine-button').click();
    await panel.getByTestId('refine-use').click();
    await panel.waitFor({ state: 'detached' });
    expect(await input.inputValue()).toBe('Refined: Add a dark mode');

    // A failing endpoint: the toast says what failed and where to change it; the text stays.
    await input.fill('Add a dark mode [reply:http-401]');
    await page.getByTestId('refine-button').click();
    await page
      .getByTestId('toast')
      .filter({ hasText: 'Failed to refine prompt' })
      .filter({ hasText: 'Settings → AI' })
      .waitFor();
    expect(await panel.count()).toBe(0);
    expect(await input.inputValue()).toBe('Add a dark mode [reply:http-401]');
    await input.fill('');
  }, 90_000);

  it('a reply that ends while the window has no focus is announced (a toast without notification permission)', async () => {
    // The person went to another window (headless Chromium keeps the focus, so it is faked).
    await page.evaluate(() => {
      document.hasFocus = () => false;
    });
    model.script(reply.text('Done while you were away.'));
    await sendPrompt('Work while I am away');
    await page
      .getByTestId('toast')
      .filter({ hasText: `Agent finished: ${await page.getByTestId('chat-title').textContent()}` })
      .waitFor();
    await page.evaluate(() => {
      // The prototype's method again.
      delete (document as { hasFocus?: unknown }).hasFocus;
    });
  }, 90_000);
});
