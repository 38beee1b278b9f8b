/**
 * The chat view's steps as any host runs them (a web page or the desktop window, see ui-page.ts):
 * open the chat, send a prompt, read the conversation, answer a permission, stop a reply. Each
 * step waits for what the person would see; the tests around them hold the fake model and check
 * the disk.
 */
import { byTestId, css, until, type UiPage } from './ui-page.js';

/** OpenCode's start and a first instance load can take seconds on a loaded machine. */
export const CHAT_WAIT_MS = 30_000;

const all = (selector: string) => `[...document.querySelectorAll(${css(selector)})]`;
const LAST_ASSISTANT = `${all('[data-testid=chat-message][data-role=assistant]')}.at(-1)`;
const valueOf = (selector: string) => `document.querySelector(${css(selector)})?.value ?? null`;
const textOf = (selector: string) => `document.querySelector(${css(selector)})?.textContent ?? null`;

/** The chat from the rail: connected to OpenCode, its model and agent in the pickers. */
export async function openChat(ui: UiPage, model = 'fake/m1'): Promise<void> {
  await ui.click(byTestId('rail-chat'));
  await until(ui, textOf(byTestId('chat-connection')), (t) => t === 'OpenCode', 'OpenCode connected', CHAT_WAIT_MS);
  await until(ui, valueOf(byTestId('model-picker')), (v) => v === model, 'the model picker', CHAT_WAIT_MS);
}

/** Types `text` in the prompt box and sends it with Enter (the box empties when it went). */
export async function sendPrompt(ui: UiPage, text: string): Promise<void> {
  await ui.fill(byTestId('chat-input'), text);
  await ui.press('Enter');
  await until(ui, valueOf(byTestId('chat-input')), (v) => v === '', 'the prompt sent', CHAT_WAIT_MS);
}

/** The last assistant message's text as shown (empty while there is none). */
export function lastAssistantText(ui: UiPage): Promise<string> {
  return ui.evaluate<string>(`${LAST_ASSISTANT}?.textContent ?? ''`);
}

export function waitForLastAssistant(ui: UiPage, accept: (text: string) => boolean, what: string): Promise<string> {
  return until<string>(ui, `${LAST_ASSISTANT}?.textContent ?? ''`, accept, what, CHAT_WAIT_MS);
}

/** The reply is over: the view is no longer busy. */
export async function waitIdle(ui: UiPage): Promise<void> {
  await until(
    ui,
    `document.querySelector(${css(byTestId('chat-view'))})?.dataset.busy ?? null`,
    (busy) => busy === 'false',
    'the reply to end',
    CHAT_WAIT_MS,
  );
}

/** The permission prompt in the conversation: its permission and the added lines of its diff. */
export async function waitForPermission(ui: UiPage): Promise<{ permission: string; added: string[] }> {
  return until<{ permission: string; added: string[] } | null>(
    ui,
    `(() => {
      const prompt = document.querySelector(${css(byTestId('permission-prompt'))});
      if (!prompt) return null;
      const added = [...prompt.querySelectorAll('[data-testid=diff-line][data-kind=add]')].map(
        (l) => l.querySelector('.diff-text')?.textContent ?? '',
      );
      return added.length ? { permission: prompt.dataset.permission, added } : null;
    })()`,
    Boolean,
    'the permission prompt with its diff',
    CHAT_WAIT_MS,
  ) as Promise<{ permission: string; added: string[] }>;
}

/** The added lines a completed `tool` part shows as its diff (once it has completed). */
export function waitForToolDiff(ui: UiPage, tool: string): Promise<string[]> {
  const part = `[data-testid=tool-part][data-tool=${css(tool)}][data-status=completed]`;
  return until<string[]>(
    ui,
    `${all(`${part} [data-testid=diff-line][data-kind=add] .diff-text`)}.map((text) => text.textContent)`,
    (lines) => lines.length > 0,
    `the completed ${tool} with its diff`,
    CHAT_WAIT_MS,
  );
}

/** Every message id of the conversation, sorted (the list is virtualised, so it is scrolled through). */
export function messageIds(ui: UiPage): Promise<string[]> {
  return ui.evaluate<string[]>(`(async () => {
    const list = document.querySelector(${css(byTestId('chat-messages'))});
    if (!list) return [];
    const ids = new Set();
    for (let top = 0; top <= list.scrollHeight; top += 300) {
      list.scrollTop = top;
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const node of document.querySelectorAll('[data-testid=chat-message]')) ids.add(node.dataset.id);
    }
    list.scrollTop = list.scrollHeight;
    return [...ids].sort();
  })()`);
}

/** The open session's title in the chat header. */
export function chatTitle(ui: UiPage): Promise<string | null> {
  return ui.evaluate<string | null>(textOf(byTestId('chat-title')));
}
