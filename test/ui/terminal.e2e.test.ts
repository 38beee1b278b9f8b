/**
 * The terminal panel end to end: the built bundle served by the real chamber CLI on loopback, a
 * temp HOME whose settings reopen a workspace, real shells, Debian's Chromium (headless). The
 * tests run in order in one page, like one person's session: type, reload, a second tab, a
 * resize, an exit and a restart, the keyboard, the theme, a server restart; then the desktop
 * transport.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@chamber/runtime';
import { makeTempDir } from '../support/fixtures.js';
import {
  bridgeDesktopChannel,
  ensureUiBundle,
  homeWithWorkspace,
  launchChromium,
  newUiPage,
  recordApiRequests,
  startChamber,
  writeFile,
  type RunningChamber,
} from '../support/ui.js';

const WAIT_MS = 15_000;

let base: string;
let home: string;
let work: string;
let chamber: RunningChamber;
let browser: Browser;
let page: Page;

interface Probe {
  text(): string;
  cols(): number;
  rows(): number;
  appearance(): { background?: string; fontSize?: number };
}

function newPage(): Promise<Page> {
  return newUiPage(browser, WAIT_MS);
}

/** The visible terminal's pane (the active tab's). */
function activePane(p: Page): Locator {
  return p.locator('[data-testid=terminal-pane]:not([hidden])');
}

/** The whole xterm buffer of the active terminal, scrollback included, one string per line. */
async function screenLines(p: Page): Promise<string[]> {
  const text = await activePane(p)
    .locator('[data-testid=terminal-view]')
    .evaluate((el) => (el as unknown as { chamberTerminal: Probe }).chamberTerminal.text());
  return text.split('\n');
}

function probe<T>(p: Page, read: (probe: Probe) => T): Promise<T> {
  return activePane(p)
    .locator('[data-testid=terminal-view]')
    .evaluate((el, source) => {
      const reader = new Function('probe', `return (${source})(probe)`) as (probe: Probe) => T;
      return reader((el as unknown as { chamberTerminal: Probe }).chamberTerminal);
    }, read.toString());
}

async function waitLive(p: Page): Promise<void> {
  await activePane(p).and(p.locator('[data-status=live]')).waitFor();
}

/** Type a command line into the active terminal, as a person would. */
async function run(p: Page, command: string): Promise<void> {
  await activePane(p).locator('.xterm').click();
  await p.keyboard.type(command);
  await p.keyboard.press('Enter');
}

/** Wait until some line of the active terminal is exactly `line`; answers how many are. */
async function waitForLine(p: Page, line: string): Promise<number> {
  await expect.poll(async () => (await screenLines(p)).includes(line), { timeout: WAIT_MS }).toBe(true);
  return (await screenLines(p)).filter((candidate) => candidate === line).length;
}

/** `echo` through the shell and wait for the answer: the terminal is attached and the shell reads. */
async function roundTrip(p: Page, word: string): Promise<void> {
  await run(p, `echo "${word}-$((20+22))"`);
  await waitForLine(p, `${word}-42`);
}

/** Does `tput cols` (or `lines`) in the shell now print the size the terminal has? */
async function shellSees(p: Page, what: 'cols' | 'lines'): Promise<boolean> {
  await run(p, `echo "${what}=$(tput ${what})"`);
  const size = await probe(p, (terminal) => [terminal.cols(), terminal.rows()]);
  const expected = `${what}=${what === 'cols' ? size[0] : size[1]}`;
  // The answer may take a moment: wait for this command's line, then compare the latest one.
  await expect
    .poll(async () => {
      const lines = await screenLines(p);
      return /[$#] $/.test(lines.at(-1) ?? '') && (lines.at(-2) ?? '').startsWith(`${what}=`);
    })
    .toBe(true);
  const answers = (await screenLines(p)).filter((line) => line.startsWith(`${what}=`));
  return answers.at(-1) === expected;
}

async function sessionIdOf(p: Page): Promise<string> {
  const id = await activePane(p).getAttribute('data-session-id');
  expect(id).toBeTruthy();
  return id!;
}

async function inputStatus(url: string, sessionId: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/terminal/${sessionId}/input`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain' },
    body: 'echo nope\r',
  });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  ensureUiBundle();
  base = makeTempDir('chamber-ui-terminal-');
  // The person chose this workspace before: the UI reopens it at start.
  ({ home, work } = homeWithWorkspace(base));
  chamber = await startChamber({ home });
  browser = await launchChromium();
  page = await newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await chamber?.close();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('terminal panel in Chromium', () => {
  it('opens a shell in the workspace that runs what is typed', async () => {
    await page.goto(chamber.url);
    await waitLive(page);
    expect(await page.getByTestId('terminal-tab').count()).toBe(1);
    await run(page, 'echo hello-$((6*7))');
    expect(await waitForLine(page, 'hello-42')).toBe(1);
    await run(page, 'pwd');
    expect(await waitForLine(page, work)).toBe(1);
  });

  it('keeps the output and the same shell through a page reload', async () => {
    // A program that asks the terminal for its attributes gets xterm's answer (`ESC [ ? … c`) once;
    // replaying that query after the reload must not type the answer into the shell again.
    await run(page, `printf '\\033[c'; read -rs -t 5 -d c reply; echo "answered-\${#reply}"`);
    await expect
      .poll(async () => (await screenLines(page)).some((line) => /^answered-[1-9]\d*$/.test(line)))
      .toBe(true);
    await run(page, 'KEPT=before-reload; echo "set-$KEPT"');
    await waitForLine(page, 'set-before-reload');
    // The snapshot once the next prompt is printed, so nothing of that command is still to come.
    await expect.poll(async () => /[$#] $/.test((await screenLines(page)).at(-1) ?? '')).toBe(true);
    const before = await screenLines(page);

    await page.reload();
    await waitLive(page);
    expect(await page.getByTestId('terminal-tab').count()).toBe(1);
    // The same shell: the variable set before the reload is still set.
    await run(page, 'echo "still-$KEPT"');
    await waitForLine(page, 'still-before-reload');
    const after = await screenLines(page);
    // The scrollback came back exactly once, in order, then the new command on the last prompt.
    expect(after.slice(0, before.length - 1)).toEqual(before.slice(0, -1));
    expect(after[before.length - 1]).toBe(`${before.at(-1)}echo "still-$KEPT"`);
    expect(after.filter((line) => line === 'hello-42')).toHaveLength(1);
    expect(after.filter((line) => line.endsWith('echo hello-$((6*7))'))).toHaveLength(1);
  });

  it('a second tab is its own shell; closing it ends its session', async () => {
    const firstId = await sessionIdOf(page);
    await page.getByTestId('terminal-new').click();
    await expect.poll(() => page.getByTestId('terminal-tab').count()).toBe(2);
    await waitLive(page);
    const secondId = await sessionIdOf(page);
    expect(secondId).not.toBe(firstId);
    expect(await page.getByTestId('terminal-tab').nth(1).getByRole('tab').getAttribute('aria-selected')).toBe('true');
    await run(page, 'echo "second-$KEPT-$((1+1))"');
    await waitForLine(page, 'second--2'); // a new shell: $KEPT is not set there

    await page.getByTestId('terminal-tab').nth(1).getByTestId('terminal-close').click();
    await expect.poll(() => page.getByTestId('terminal-tab').count()).toBe(1);
    expect(await sessionIdOf(page)).toBe(firstId);
    await expect
      .poll(() => inputStatus(chamber.url, secondId))
      .toEqual({ status: 404, body: { error: 'Terminal session not found' } });
    expect((await inputStatus(chamber.url, firstId)).status).toBe(200);
  });

  it('fits the pane: a narrower window gives the shell fewer columns', async () => {
    await run(page, 'echo "cols=$(tput cols)"');
    const wide = await probe(page, (terminal) => terminal.cols());
    expect(await waitForLine(page, `cols=${wide}`)).toBeGreaterThan(0);
    expect(wide).toBeGreaterThan(100);

    await page.setViewportSize({ width: 900, height: 700 });
    await expect.poll(() => probe(page, (terminal) => terminal.cols())).toBeLessThan(wide - 20);
    // The resize is sent after the fit (debounced): the shell sees it once it has arrived.
    await expect.poll(() => shellSees(page, 'cols')).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });

    // A taller panel (its top edge, from the keyboard): more rows, and the shell sees them.
    const short = await probe(page, (terminal) => terminal.rows());
    await page.getByTestId('panel-resizer').focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowUp');
    await expect.poll(() => probe(page, (terminal) => terminal.rows())).toBeGreaterThan(short + 4);
    await expect.poll(() => shellSees(page, 'lines')).toBe(true);
  });

  it('takes a flood whole: each chunk is acknowledged once xterm has parsed it', async () => {
    // About 2 MB, twice the runtime's window of unacknowledged characters (EVENT_FLOW.window):
    // without acknowledgements from the page the stream would stop part-way.
    await run(page, 'seq 1 300000; echo "flood-$((1+1))"');
    await expect.poll(async () => (await screenLines(page)).includes('flood-2'), { timeout: 60_000 }).toBe(true);
    const lines = await screenLines(page);
    expect(lines[lines.indexOf('flood-2') - 1]).toBe('300000');
    await roundTrip(page, 'after-flood');
  });

  it('shows an exit with its code and restarts a shell in the same tab', async () => {
    await page.keyboard.press('Control+Shift+Backquote'); // new terminal
    await expect.poll(() => page.getByTestId('terminal-tab').count()).toBe(2);
    await waitLive(page);
    const exitedId = await sessionIdOf(page);
    await run(page, 'exit 3');
    const state = activePane(page).getByTestId('terminal-state');
    await expect
      .poll(() => state.locator('.terminal-state-text').textContent())
      .toBe('Process exited with code 3 (signal 0)');
    await waitForLine(page, '[Process exited with code 3 (signal 0)]');
    expect(await page.getByTestId('terminal-tab').nth(1).getByRole('tab').getAttribute('data-status')).toBe('exited');

    await state.getByTestId('terminal-restart').click();
    await waitLive(page);
    expect(await sessionIdOf(page)).not.toBe(exitedId);
    expect(await screenLines(page)).not.toContain('[Process exited with code 3 (signal 0)]');
    await roundTrip(page, 'restarted');
  });

  it('a reload after `exit 3` replays the exit without a "Terminal session not found" toast', async () => {
    const second = await sessionIdOf(page);
    await page.keyboard.press('Control+Shift+Backquote'); // a third tab, to exit
    await expect.poll(() => page.getByTestId('terminal-tab').count()).toBe(3);
    await waitLive(page);
    await run(page, 'exit 3');
    const state = activePane(page).getByTestId('terminal-state');
    await expect.poll(() => state.locator('.terminal-state-text').textContent()).toContain('exited with code 3');

    await page.reload();
    await expect.poll(() => page.getByTestId('terminal-tab').count()).toBe(3);
    await expect
      .poll(() => activePane(page).getByTestId('terminal-state').locator('.terminal-state-text').textContent())
      .toContain('exited with code 3');
    // A resize sent before the replayed exit arrived used to be refused and toasted.
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('toast').allTextContents()).toEqual([]);

    await page.getByTestId('terminal-tab').nth(2).getByTestId('terminal-close').click();
    await expect.poll(() => page.getByTestId('terminal-tab').count()).toBe(2);
    await page.getByTestId('terminal-tab').nth(1).getByRole('tab').click();
    await expect.poll(() => sessionIdOf(page)).toBe(second);
    await waitLive(page);
  });

  it('moves between tabs and hides the panel from the keyboard, even from inside a terminal', async () => {
    const second = await sessionIdOf(page);
    await page.keyboard.press('Control+Shift+BracketLeft'); // previous
    await expect.poll(() => sessionIdOf(page)).not.toBe(second);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid=terminal-pane]') !== null))
      .toBe(true);
    await page.keyboard.press('Control+Shift+BracketRight'); // next
    await expect.poll(() => sessionIdOf(page)).toBe(second);

    await page.keyboard.press('Control+Backquote'); // hide the panel
    await expect.poll(() => page.getByTestId('terminal-tabs').count()).toBe(0);
    await page.keyboard.press('Control+Backquote'); // show it: the same terminals, scrollback kept
    await waitLive(page);
    expect(await sessionIdOf(page)).toBe(second);
    expect(await screenLines(page)).toContain('restarted-42');
    await roundTrip(page, 'shown-again');

    // The shortcut list names the terminal shortcuts.
    await page.keyboard.press('Control+,');
    const dialog = page.locator('dialog[open]');
    for (const label of ['New terminal', 'Next terminal', 'Previous terminal', 'Show or hide the terminal panel']) {
      await dialog.getByText(label, { exact: true }).waitFor();
    }
    await page.keyboard.press('Escape');
  });

  it('follows the theme and the code font size', async () => {
    expect(await probe(page, (terminal) => terminal.appearance())).toEqual({ background: '#ffffff', fontSize: 12 });
    // The previous test closed Settings with Escape just before: reopening at once must hold.
    await page.keyboard.press('Control+,');
    await page.getByTestId('theme-choice').waitFor();
    await page.getByTestId('theme-choice').locator('[data-value=dark]').click();
    await page.getByTestId('code-size-choice').locator('[data-value="14"]').click();
    await page.keyboard.press('Escape');
    await expect
      .poll(() => probe(page, (terminal) => terminal.appearance()))
      .toEqual({ background: '#16181d', fontSize: 14 });
    await roundTrip(page, 'dark');
  });

  it('a server restart: the tab says it is reconnecting, then that the session ended, and offers a new shell', async () => {
    const port = Number(new URL(chamber.url).port);
    await chamber.close();
    chamber = await startChamber({ home, port });
    const state = activePane(page).getByTestId('terminal-state');
    await expect
      .poll(() => state.locator('.terminal-state-text').textContent())
      .toMatch(/^Reconnecting \(\d\/3\)\.\.\.$/);
    await expect
      .poll(() => state.locator('.terminal-state-text').textContent(), { timeout: 20_000 })
      .toBe('Terminal session ended: Terminal session not found');
    await page.getByTestId('toast').filter({ hasText: 'Terminal session not found' }).first().waitFor();
    await state.getByTestId('terminal-restart').click();
    await waitLive(page);
    await roundTrip(page, 'after-restart');
  });

  it('runs the same terminals over the desktop IPC channel, with no HTTP call to /api', async () => {
    const dataDir = path.join(base, 'desktop-data');
    // No homeDirectory yet: the UI records it at start, which approves home for the sandbox.
    writeFile(path.join(dataDir, 'settings.json'), JSON.stringify({ lastDirectory: work }));
    const runtime = createRuntime({ homeDir: home, dataDir, sandbox: { mode: 'settings' }, env: {} });
    const desktop = await newPage();
    const apiRequests = recordApiRequests(desktop);
    await bridgeDesktopChannel(desktop, runtime);
    try {
      await desktop.goto(chamber.url);
      await waitLive(desktop);
      expect(await desktop.getByTestId('status-transport').textContent()).toContain('Desktop');
      await roundTrip(desktop, 'desktop');
      await run(desktop, 'DESK=kept; echo "desk-$DESK"');
      await waitForLine(desktop, 'desk-kept');

      await desktop.reload();
      await waitLive(desktop);
      await run(desktop, 'echo "again-$DESK"');
      await waitForLine(desktop, 'again-kept');
      expect((await screenLines(desktop)).filter((line) => line === 'desktop-42')).toHaveLength(1);
      expect(apiRequests).toEqual([]);
    } finally {
      await desktop.context().close();
      await runtime.close();
    }
  });
});
