/**
 * The chat flow of test/ui/chat.e2e.test.ts in the real desktop window: the host supervises the
 * real OpenCode (whose model is the loopback fake), the window shows the real UI bundle and is
 * driven over the host's DevTools pipe (support/ui-page.ts). Every OpenCode call of the chat view
 * (sessions, the event stream, prompts, permission replies, abort) crosses page → binding → pipe
 * → IpcHost → runtime → OpenCode: the page makes no request to `/api` and the host opens no
 * listening socket. The workspace is a git repository, so the approved edit is then seen in the
 * Changes view.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHAT_WAIT_MS,
  chatTitle,
  lastAssistantText,
  messageIds,
  openChat,
  sendPrompt,
  waitForLastAssistant,
  waitForPermission,
  waitForToolDiff,
  waitIdle,
} from '../support/chat-flow.js';
import { startDesktopDriver, type DesktopDriver } from '../support/desktop.js';
import { reply, startFakeModel, type FakeModel } from '../support/fake-model.js';
import { git } from '../support/fixtures.js';
import { createOpenCodeWorkspace, type OpenCodeWorkspace } from '../support/opencode-workspace.js';
import { listeningSockets } from '../support/sockets.js';
import { byTestId, css, desktopUi, until, waitForSelector, type UiPage } from '../support/ui-page.js';
import { writeFile } from '../support/ui.js';

let model: FakeModel;
let workspace: OpenCodeWorkspace;
let driver: DesktopDriver;
let ui: UiPage;

const LAST_ASSISTANT = `[...document.querySelectorAll('[data-testid=chat-message][data-role=assistant]')].at(-1)`;

beforeAll(async () => {
  model = await startFakeModel({ chunkDelayMs: 5 });
  workspace = await createOpenCodeWorkspace({ baseURL: model.baseURL, files: { 'README.md': '# demo\n' } });
  // A repository with everything committed (the project config too), so the agent's edit is the only change.
  git(workspace.directory, 'init', '-q', '-b', 'main');
  git(workspace.directory, 'add', '-A');
  git(workspace.directory, 'commit', '-q', '-m', 'First commit');
  const dataDir = path.join(workspace.root, 'data');
  // The workspace the UI (and so OpenCode) opens at start; the desktop sandbox allows it.
  writeFile(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({ lastDirectory: workspace.directory, homeDirectory: workspace.home }),
  );
  driver = await startDesktopDriver({
    homeDir: workspace.home,
    dataDir,
    cwd: workspace.directory,
    opencode: { enabled: true },
    // Where nothing listens: the models metadata fails, as offline, and OpenCode's names stand.
    env: { ...(workspace.env as Record<string, string>), CHAMBER_MODELS_METADATA_URL: 'http://127.0.0.1:9/api.json' },
  });
  ui = await desktopUi(driver);
}, 120_000);

afterAll(async () => {
  await driver?.stop();
  await model?.close();
  await workspace?.cleanup();
});

describe('the chat in the desktop window, against the real OpenCode and the fake model', () => {
  it('opens the chat and connects to OpenCode over IPC', async () => {
    expect(await ui.evaluate('__OPENCHAMBER_RUNTIME_APIS__.runtime.isDesktop')).toBe(true);
    await waitForSelector(ui, byTestId('file-tree'));
    await openChat(ui);
    expect(await ui.evaluate(`document.querySelector(${css(byTestId('agent-picker'))}).value`)).toBe('build');
    // The models metadata is unreachable: the model keeps OpenCode's name, and no toast says so.
    expect(
      await ui.evaluate(`document.querySelector('[data-testid=model-picker] option[value="fake/m1"]').textContent`),
    ).toBe('Fake model 1');
    expect(await ui.evaluate(`document.querySelectorAll(${css(byTestId('toast'))}).length`)).toBe(0);
  }, 90_000);

  it('a prompt: the reply streams into the window, its first words on screen before the model finished', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    model.script(reply.text('The window **streams** over IPC, word by word.', { hold: { after: 3, until: held } }));
    await sendPrompt(ui, 'Say something');
    await waitForLastAssistant(ui, (text) => text.includes('The window streams'), 'the first words');
    // Seen while the fake still holds back the rest of the reply.
    expect(model.mainRequests().at(-1)!.finishedAt).toBeUndefined();
    release();
    await waitForLastAssistant(ui, (text) => text.includes('over IPC, word by word.'), 'the whole reply');
    await waitIdle(ui);
    expect(await ui.evaluate(`${LAST_ASSISTANT}.querySelector('strong')?.textContent`)).toBe('streams');
    await until(
      ui,
      `document.querySelector(${css(byTestId('chat-title'))})?.textContent`,
      (t) => t === 'Fake session title',
      "OpenCode's title",
      CHAT_WAIT_MS,
    );
  }, 90_000);

  it('a write asks permission; Allow once writes the file, its diff is shown, and Changes lists it', async () => {
    const target = path.join(workspace.directory, 'hello.txt');
    model.script(reply.write('hello.txt', 'Hello from the window\nsecond line\n'), reply.text('Wrote the note.'));
    await sendPrompt(ui, 'Write a note');
    const asked = await waitForPermission(ui);
    expect(asked.permission).toBe('edit');
    expect(asked.added).toContain('Hello from the window');
    expect(fs.existsSync(target)).toBe(false);
    await ui.click(`${byTestId('permission-prompt')} ${byTestId('permission-once')}`);
    await until(
      ui,
      `document.querySelector(${css(byTestId('permission-prompt'))}) === null`,
      Boolean,
      'the prompt answered',
      CHAT_WAIT_MS,
    );
    expect(await waitForToolDiff(ui, 'write')).toContain('second line');
    await waitForLastAssistant(ui, (text) => text.includes('Wrote the note.'), 'the reply after the tool');
    await waitIdle(ui);
    expect(fs.readFileSync(target, 'utf8')).toBe('Hello from the window\nsecond line\n');

    // The edit in git: the Changes view lists the new file, its diff has the agent's lines.
    await ui.click(byTestId('rail-changes'));
    const row = `${byTestId('change-row')}[data-path="hello.txt"]`;
    await waitForSelector(ui, row);
    await ui.click(row);
    await until<string>(
      ui,
      `[...document.querySelectorAll(${css(`${byTestId('diff-viewer')} [data-kind=add]`)})].map((l) => l.textContent).join('\\n')`,
      (text) => text.includes('Hello from the window'),
      'the added lines in the git diff',
    );
    await ui.click(byTestId('rail-chat'));
    await waitForSelector(ui, byTestId('chat-input'));
  }, 90_000);

  it('Stop aborts a reply that hangs, keeping what streamed', async () => {
    model.script(reply.hang('Thinking about a very long answer'));
    await sendPrompt(ui, 'Take your time');
    // Every word the fake sends before it hangs is on screen (a Stop before the last word arrived
    // would keep less than the check below wants).
    await waitForLastAssistant(
      ui,
      (text) => text.includes('Thinking about a very long answer'),
      'the start of the long reply',
    );
    const request = model.mainRequests().at(-1)!;
    await ui.click(byTestId('chat-abort'));
    await until(ui, `${LAST_ASSISTANT}?.querySelector('[data-testid=chat-aborted]') != null`, Boolean, 'Stopped.');
    await waitIdle(ui);
    await until(ui, 'true', () => request.aborted, 'the model request dropped', CHAT_WAIT_MS);
    expect(await lastAssistantText(ui)).toContain('Thinking about a very long answer');
  }, 90_000);

  it('a file attached with the paperclip crosses the IPC channel in parts and reaches the model', async () => {
    // Over 512 Ki characters once in a data: URL, so the prompt's body goes to the host in parts.
    const file = path.join(workspace.root, 'big-notes.txt');
    fs.writeFileSync(file, `${'filler line\n'.repeat(60_000)}the marker 8086 at the end\n`);
    const { root } = await driver.request<{ root: { nodeId: number } }>('cdp', {
      method: 'DOM.getDocument',
      params: {},
    });
    const { nodeId } = await driver.request<{ nodeId: number }>('cdp', {
      method: 'DOM.querySelector',
      params: { nodeId: root.nodeId, selector: byTestId('attach-input') },
    });
    await driver.request('cdp', { method: 'DOM.setFileInputFiles', params: { nodeId, files: [file] } });
    await waitForSelector(ui, byTestId('attachment'));
    model.script(reply.text('Read the big notes.'));
    const before = model.mainRequests().length;
    await sendPrompt(ui, 'What is at the end of the notes?');
    await waitForLastAssistant(ui, (text) => text.includes('Read the big notes.'), 'the reply');
    await waitIdle(ui);
    expect(JSON.stringify(model.mainRequests()[before]!.body.messages)).toContain('the marker 8086 at the end');
  }, 90_000);

  it('a reload reopens the same session and conversation; nothing went to /api, the host listens nowhere', async () => {
    const before = await messageIds(ui);
    const title = await chatTitle(ui);
    expect(before.length).toBeGreaterThanOrEqual(7);
    await ui.evaluate('(globalThis.__beforeReload = true, setTimeout(() => location.reload(), 0), null)');
    await until(
      ui,
      `globalThis.__beforeReload === undefined && document.querySelector(${css(byTestId('chat-messages'))}) !== null`,
      Boolean,
      'the reloaded chat',
      CHAT_WAIT_MS,
    );
    await until(
      ui,
      `document.querySelector(${css(byTestId('chat-title'))})?.textContent`,
      (t) => t === title,
      'the same session',
      CHAT_WAIT_MS,
    );
    await expect.poll(() => messageIds(ui), { timeout: CHAT_WAIT_MS }).toEqual(before);

    const network = await driver.request<{ url: string }[]>('network');
    expect(network.length).toBeGreaterThan(0);
    for (const { url } of network) {
      expect(new URL(url).origin).toBe(driver.info.origin);
      expect(new URL(url).pathname).not.toMatch(/^\/api(\/|$)/i);
    }
    const requests = await driver.request<{ outcome: string; url: string }[]>('requests');
    expect(requests.filter((r) => r.outcome !== 'served')).toEqual([]);
    expect(listeningSockets().filter((socket) => socket.pids.includes(driver.info.pid))).toEqual([]);
  }, 90_000);
});
