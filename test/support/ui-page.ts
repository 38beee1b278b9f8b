/**
 * One small surface for driving the workspace UI, so a flow is written once and runs on both
 * hosts: in a web page through playwright-core, and in the desktop window through the DevTools
 * pipe the desktop driver already owns (`Runtime.evaluate` for reading, `Input.*` events for the
 * mouse and keyboard; no remote-debugging port). Selectors are CSS; keys use playwright's
 * notation ('Control+p', 'Enter').
 */
import type { Page } from 'playwright-core';
import type { DesktopDriver } from './desktop.js';

export interface UiPage {
  /** A JavaScript expression evaluated in the page (promises awaited), its value returned. */
  evaluate<T>(expression: string): Promise<T>;
  click(selector: string, options?: { clickCount?: number }): Promise<void>;
  /** Keys with modifiers, as the keyboard sends them to the focused element. */
  press(keys: string): Promise<void>;
  /** Text typed one key at a time into the focused element. */
  type(text: string): Promise<void>;
  /** Focus a text field and replace its value with `text`, as typing would. */
  fill(selector: string, text: string): Promise<void>;
}

const WAIT_MS = 10_000;

/** Quote a value for a CSS attribute selector. */
export const css = (value: string) => JSON.stringify(value);
export const byTestId = (id: string) => `[data-testid=${css(id)}]`;

/** Polls `expression` until `accept` holds for its value; bounded, with the last value in the error. */
export async function until<T>(
  ui: UiPage,
  expression: string,
  accept: (value: T) => boolean = Boolean,
  what = expression,
  timeoutMs = WAIT_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value: T | undefined;
  for (;;) {
    value = await ui.evaluate<T>(expression);
    if (accept(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`${what} did not hold within ${timeoutMs / 1000} s (last value: ${JSON.stringify(value)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `selector` matches an element. */
export function waitForSelector(ui: UiPage, selector: string): Promise<boolean> {
  return until<boolean>(ui, `document.querySelector(${css(selector)}) !== null`, Boolean, `an element ${selector}`);
}

export function playwrightUi(page: Page): UiPage {
  return {
    evaluate: (expression) => page.evaluate(expression),
    click: (selector, options) => page.locator(selector).first().click(options),
    press: (keys) => page.keyboard.press(keys),
    type: (text) => page.keyboard.type(text),
    fill: (selector, text) => page.locator(selector).first().fill(text),
  };
}

// DevTools `Input.dispatchKeyEvent` fields for the keys the flows use.
const NAMED_KEYS: Record<string, { code: string; keyCode: number; text?: string }> = {
  Enter: { code: 'Enter', keyCode: 13, text: '\r' },
  Escape: { code: 'Escape', keyCode: 27 },
  Tab: { code: 'Tab', keyCode: 9 },
  Backspace: { code: 'Backspace', keyCode: 8 },
  ArrowUp: { code: 'ArrowUp', keyCode: 38 },
  ArrowDown: { code: 'ArrowDown', keyCode: 40 },
  ArrowLeft: { code: 'ArrowLeft', keyCode: 37 },
  ArrowRight: { code: 'ArrowRight', keyCode: 39 },
  Home: { code: 'Home', keyCode: 36 },
  End: { code: 'End', keyCode: 35 },
  PageUp: { code: 'PageUp', keyCode: 33 },
  PageDown: { code: 'PageDown', keyCode: 34 },
};
const PUNCTUATION: Record<string, { code: string; keyCode: number }> = {
  ',': { code: 'Comma', keyCode: 188 },
  '.': { code: 'Period', keyCode: 190 },
  '/': { code: 'Slash', keyCode: 191 },
  '-': { code: 'Minus', keyCode: 189 },
  '`': { code: 'Backquote', keyCode: 192 },
  ' ': { code: 'Space', keyCode: 32 },
};
const MODIFIERS: Record<string, number> = { Alt: 1, Control: 2, Meta: 4, Shift: 8 };
const SHIFT = 8;

function keyFields(key: string): { key: string; code: string; keyCode: number; text?: string } {
  const named = NAMED_KEYS[key];
  if (named) return { key, code: named.code, keyCode: named.keyCode, text: named.text };
  if (key.length !== 1) throw new Error(`No key definition for ${key}`);
  if (/[a-z]/i.test(key))
    return { key, code: `Key${key.toUpperCase()}`, keyCode: key.toUpperCase().charCodeAt(0), text: key };
  if (/[0-9]/.test(key)) return { key, code: `Digit${key}`, keyCode: key.charCodeAt(0), text: key };
  const punctuation = PUNCTUATION[key];
  return { key, code: punctuation?.code ?? '', keyCode: punctuation?.keyCode ?? 0, text: key };
}

/** The desktop window, driven over the host's DevTools pipe through the desktop driver. */
export async function desktopUi(driver: DesktopDriver): Promise<UiPage> {
  const cdp = (method: string, params: Record<string, unknown>) => driver.request('cdp', { method, params });
  // Keyboard events reach the focused element even when the window manager has not focused the window.
  await cdp('Emulation.setFocusEmulationEnabled', { enabled: true });

  const evaluate = <T>(expression: string) => driver.request<T>('evaluate', { expression });
  const sendKey = async (key: string, modifiers = 0) => {
    const fields = keyFields(key);
    // With Ctrl, Alt or Meta held a key is a command, not text.
    const text = (modifiers & ~SHIFT) !== 0 ? undefined : fields.text;
    const base = { key: fields.key, code: fields.code, windowsVirtualKeyCode: fields.keyCode, modifiers };
    await cdp(
      'Input.dispatchKeyEvent',
      text ? { ...base, type: 'keyDown', text, unmodifiedText: text } : { ...base, type: 'rawKeyDown' },
    );
    await cdp('Input.dispatchKeyEvent', { ...base, type: 'keyUp' });
  };

  return {
    evaluate,
    async click(selector, options = {}) {
      await waitForSelector({ evaluate } as UiPage, selector);
      const point = await evaluate<{ x: number; y: number }>(`(() => {
        const element = document.querySelector(${css(selector)});
        element.scrollIntoView({ block: 'center', inline: 'center' });
        const rect = element.getBoundingClientRect();
        return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
      })()`);
      await cdp('Input.dispatchMouseEvent', { type: 'mouseMoved', ...point });
      for (let count = 1; count <= (options.clickCount ?? 1); count++) {
        const press = { ...point, button: 'left', clickCount: count };
        await cdp('Input.dispatchMouseEvent', { type: 'mousePressed', buttons: 1, ...press });
        await cdp('Input.dispatchMouseEvent', { type: 'mouseReleased', buttons: 0, ...press });
      }
    },
    async press(keys) {
      const parts = keys.split('+');
      // 'Control++' style chords are not needed; a trailing '+' would be the key itself.
      const key = parts.pop()!;
      let modifiers = 0;
      for (const part of parts) {
        const bit = MODIFIERS[part];
        if (bit === undefined) throw new Error(`Unknown modifier ${part} in ${keys}`);
        modifiers |= bit;
      }
      await sendKey(key, modifiers);
    },
    async type(text) {
      for (const character of text) await sendKey(character);
    },
    async fill(selector, text) {
      await waitForSelector({ evaluate } as UiPage, selector);
      await evaluate(
        `(() => { const field = document.querySelector(${css(selector)}); field.focus(); field.select(); })()`,
      );
      if (text) await cdp('Input.insertText', { text });
      else await sendKey('Backspace');
    },
  };
}
