/**
 * The workspace UI end to end: the built bundle served by the real chamber CLI on loopback, a
 * temp HOME, Debian's Chromium (headless) driven by playwright-core. Tests run in order and
 * share one server and one settings.json, like one person's session: first start, browse,
 * quick-open, settings, an error, a reload, a very large folder, then the desktop transport.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@chamber/runtime';
import { makeTempDir } from '../support/fixtures.js';
import {
  bridgeDesktopChannel,
  ensureUiBundle,
  holdNextRequest,
  launchChromium,
  newUiPage,
  recordApiRequests,
  startChamber,
  writeFile,
  type RunningChamber,
} from '../support/ui.js';

const WAIT_MS = 10_000;
const MANY = 10_000;

let base: string;
let home: string;
let work: string;
let other: string;
let outside: string;
let settingsFile: string;
let chamber: RunningChamber;
let browser: Browser;
let page: Page;

function readSettings(): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function row(p: Page, filePath: string) {
  return p.getByTestId('file-tree').locator(`[role=treeitem][data-path="${filePath}"]`);
}

function newPage(): Promise<Page> {
  return newUiPage(browser, WAIT_MS);
}

beforeAll(async () => {
  ensureUiBundle();
  base = makeTempDir('chamber-ui-e2e-');
  home = path.join(base, 'home');
  work = path.join(home, 'work');
  other = path.join(home, 'other');
  outside = path.join(base, 'outside');
  settingsFile = path.join(home, '.config', 'openchamber', 'settings.json');
  writeFile(path.join(work, 'README.md'), '# work\n');
  writeFile(path.join(work, 'src/index.ts'), 'export {};\n');
  writeFile(path.join(work, 'src/util/strings.ts'), 'export {};\n');
  writeFile(path.join(work, 'a/b/c/d/e/f/g/h/deep-target.txt'), 'deep');
  for (let i = 0; i < MANY; i++) writeFile(path.join(work, 'many', `file-${String(i).padStart(5, '0')}.txt`));
  writeFile(path.join(other, 'notes.md'));
  writeFile(path.join(outside, 'secret.txt'), 'outside');
  // The web server confined to HOME, so listing `outside` is a real runtime refusal.
  chamber = await startChamber({ home, roots: [home] });
  browser = await launchChromium();
  page = await newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await chamber?.close();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('workspace UI in Chromium', () => {
  it('the server answers the bundle at /, index.html for app routes, JSON for /api paths OpenCode would answer', async () => {
    const index = await fetch(chamber.url);
    expect(index.headers.get('content-type')).toContain('text/html');
    const html = await index.text();
    expect(html).toContain('<div id="root">');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(chamber.url + script)).headers.get('content-type')).toContain('javascript');
    expect(await (await fetch(`${chamber.url}/workspace/deep/route`)).text()).toBe(html);
    // An /api path outside the table is OpenCode's; this server runs with --no-opencode.
    const api = await fetch(`${chamber.url}/api/nope`);
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ error: 'OpenCode service unavailable' });
  });

  it('first start shows the picker at home; choosing a folder opens it and saves lastDirectory', async () => {
    await page.goto(chamber.url);
    const list = page.getByTestId('picker-list');
    await list.locator(`[data-path="${work}"]`).waitFor();
    await list.focus();
    await page.keyboard.type('wo'); // type-ahead
    await expect.poll(() => list.locator('[aria-selected=true]').getAttribute('data-path')).toBe(work);
    await page.keyboard.press('Enter'); // enter the folder
    await expect.poll(() => page.getByTestId('picker-path').inputValue()).toBe(work);
    await page.keyboard.press('Control+Enter'); // open the folder being shown

    await row(page, path.join(work, 'README.md')).waitFor();
    expect(await page.getByTestId('workspace-switch').textContent()).toContain('work');
    await expect.poll(() => readSettings().lastDirectory).toBe(work);
    expect(readSettings().homeDirectory).toBe(home);
    expect(readSettings().approvedDirectories).toEqual(expect.arrayContaining([home, work]));
  });

  it('browses lazily: a folder is listed when expanded, and the keyboard walks the tree', async () => {
    const src = path.join(work, 'src');
    expect(await row(page, path.join(src, 'index.ts')).count()).toBe(0);
    await row(page, src).click();
    await row(page, path.join(src, 'index.ts')).waitFor();
    expect(await row(page, src).getAttribute('aria-expanded')).toBe('true');

    await page.keyboard.press('ArrowDown'); // src/util
    await page.keyboard.press('ArrowRight'); // expand it
    await row(page, path.join(src, 'util', 'strings.ts')).waitFor();
    await page.keyboard.press('ArrowDown');
    expect(await row(page, path.join(src, 'util', 'strings.ts')).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByTestId('viewer-name').textContent()).toBe('strings.ts');
    await page.keyboard.press('ArrowLeft'); // to the parent folder
    expect(await row(page, path.join(src, 'util')).getAttribute('aria-selected')).toBe('true');
  });

  it('quick-open finds a deep file as you type, highlights the match and reveals it in the tree', async () => {
    await page.keyboard.press('Control+p');
    const input = page.getByTestId('quick-open-input');
    await input.waitFor();
    await input.pressSequentially('deeptarg');
    const first = page.getByTestId('quick-open-item').first();
    await expect.poll(() => first.getAttribute('data-path')).toBe(path.join(work, 'a/b/c/d/e/f/g/h/deep-target.txt'));
    // Polled: an answer for a shorter prefix may show first, highlighted for that prefix.
    await expect.poll(() => first.locator('mark').allTextContents()).toEqual(['deep', 'targ']);
    await input.press('Enter');

    const target = row(page, path.join(work, 'a/b/c/d/e/f/g/h/deep-target.txt'));
    await target.waitFor();
    expect(await target.getAttribute('aria-selected')).toBe('true');
    expect(await target.isVisible()).toBe(true);
    expect(await page.getByTestId('viewer-name').textContent()).toBe('deep-target.txt');
  });

  it('switching the theme and font size rewrites settings.json with the reference keys', async () => {
    // Leaving one dialog and opening the next at once must leave the second open.
    await page.keyboard.press('Control+p');
    await page.getByTestId('quick-open-input').waitFor();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+,');
    // Keyboard-first: the theme choice has the focus, arrows change it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('radio');
    await page.getByTestId('theme-choice').locator('[data-value=dark]').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expect.poll(() => readSettings().themeVariant).toBe('dark');
    expect(readSettings()).toMatchObject({ useSystemTheme: false, themeId: 'chamber-dark' });

    await page.keyboard.press('ArrowRight'); // the radio group moves on to "System"
    await expect.poll(() => readSettings().useSystemTheme).toBe(true);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');

    await page.getByTestId('ui-size-choice').locator('[data-value="15"]').click();
    await expect.poll(() => (readSettings().typographySizes as { uiLabel?: string })?.uiLabel).toBe('15px');
    expect(await page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('15px');

    expect(await page.getByTestId('data-directory').textContent()).toBe(path.dirname(settingsFile));
    expect(await page.getByTestId('transport').textContent()).toBe('web');
    await page.keyboard.press('Escape');

    // Closed and reopened at once: the first close's `close` event, queued by the browser, may land
    // after the reopening; it must not close the dialog again.
    await page.keyboard.press('Control+,');
    await page.getByTestId('theme-choice').waitFor();
    await page.evaluate(() => document.querySelector('dialog[open]')?.dispatchEvent(new Event('close')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await page.locator('dialog[open]').count()).toBe(1);
    expect(await page.getByTestId('theme-choice').count()).toBe(1);
    await page.keyboard.press('Escape');
  });

  it("a path typed the moment the picker's first listing lands replaces the field, not appended to it", async () => {
    // Seen once in a loaded CI run: the listing's path reached the field one render after the
    // focus had moved there, and the text typed over the selection was appended to it. Made
    // certain here: the listing is held, and the field is focused and selected in the very task
    // in which the picker, having taken that listing, moves the focus to its list; the text comes
    // 50 ms later, as a person's would.
    const { requested, release } = await holdNextRequest(page, (url) => url.pathname === '/api/fs/list');
    await page.keyboard.press('Control+o');
    await requested;
    await page.evaluate((typed) => {
      const list = document.querySelector<HTMLElement>('[data-testid=picker-list]')!;
      const field = document.querySelector<HTMLInputElement>('[data-testid=picker-path]')!;
      list.focus = function (options?: FocusOptions) {
        HTMLElement.prototype.focus.call(this, options);
        Reflect.deleteProperty(list, 'focus');
        queueMicrotask(() => {
          field.focus();
          field.select();
          setTimeout(() => document.execCommand('insertText', false, typed), 50);
        });
      };
    }, other);
    release();
    const pathInput = page.getByTestId('picker-path');
    await expect.poll(() => pathInput.inputValue()).toBe(other);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('workspace-picker').count()).toBe(0);
  });

  it('Open waits while a typed path is being listed, so it never opens the folder being left', async () => {
    // Seen in a loaded run: a path typed and submitted, then Open clicked before its listing
    // landed, opened the folder the picker was leaving. The listing is held here for as long as
    // the test needs.
    await page.keyboard.press('Control+o');
    const open = page.getByTestId('picker-open');
    await expect.poll(() => open.isEnabled()).toBe(true);
    const leaving = await open.textContent();
    const { requested, release } = await holdNextRequest(
      page,
      (url) => url.pathname === '/api/fs/list' && url.searchParams.get('path') === other,
    );
    const pathInput = page.getByTestId('picker-path');
    await pathInput.fill(other);
    await pathInput.press('Enter');
    await requested;
    const during = { disabled: await open.isDisabled(), label: await open.textContent() };
    await page.getByTestId('picker-list').focus();
    await page.keyboard.press('Control+Enter'); // the keyboard's Open waits too
    await page.waitForTimeout(200);
    const stillOpen = await page.getByTestId('workspace-picker').count();
    release();
    // Still naming the folder on show (not yet the one asked for), and not to be clicked.
    expect({ ...during, stillOpen }).toEqual({ disabled: true, label: leaving, stillOpen: 1 });
    await expect.poll(() => open.textContent()).toBe('Open other');
    expect(await open.isEnabled()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('workspace-picker').count()).toBe(0);
  });

  it('a refused listing shows the runtime message once, in place, with the whole picker on that folder', async () => {
    await page.keyboard.press('Control+o');
    const pathInput = page.getByTestId('picker-path');
    await pathInput.click();
    // The picker's own first listing (the current workspace) lands while the field has the focus:
    // what is being typed there must survive it.
    await pathInput.fill(outside);
    await pathInput.press('Enter');
    const problem = page.getByTestId('picker-problem');
    await problem.waitFor();
    expect(await problem.locator('span').first().textContent()).toBe('Access to directory denied');
    // Not half-switched: the path field, the breadcrumbs and the button all name the refused
    // folder, its (unlistable) folders are not the old ones, and it cannot be opened.
    expect(await pathInput.inputValue()).toBe(outside);
    expect(await page.locator('.picker-crumbs .crumb-button').last().textContent()).toBe('outside');
    expect(await page.getByTestId('picker-open').textContent()).toBe('Open outside');
    expect(await page.getByTestId('picker-open').isDisabled()).toBe(true);
    expect(await page.getByTestId('picker-list').locator('[role=option]').count()).toBe(0);
    // Once: no toast repeating it over the dialog.
    await page.waitForTimeout(300);
    expect(await page.getByTestId('toast').count()).toBe(0);
  });

  it('pins a folder into pinnedDirectories and lists it among the pinned', async () => {
    const pathInput = page.getByTestId('picker-path');
    await pathInput.fill(other);
    await pathInput.press('Enter');
    await expect.poll(() => pathInput.inputValue()).toBe(other);
    await page.getByTestId('picker-pin').click();
    await expect.poll(() => readSettings().pinnedDirectories).toEqual([other]);
    await page.getByTestId('pinned-directories').getByText('other', { exact: true }).waitFor();
  });

  it('a toast never covers the buttons of the dialog that has the focus', async () => {
    // The pinned folder is gone from disk: opening it fails, and the failure is toasted while the
    // picker is still open.
    fs.renameSync(other, `${other}-moved`);
    try {
      // Three failures: a stack of three toasts used to reach up over the Open button.
      for (let i = 0; i < 3; i++) {
        await page.getByTestId('pinned-directories').getByText('other', { exact: true }).click();
        await page.waitForTimeout(150);
      }
      const toast = page.getByTestId('toast').first();
      await toast.waitFor();
      await page.waitForTimeout(200);
      const overlaps = await page.evaluate(() => {
        const toastBox = document.querySelector('.toasts')!.getBoundingClientRect();
        const dialog = document.querySelector('dialog[open]')!;
        const hits: string[] = [];
        for (const button of dialog.querySelectorAll('button')) {
          // The toast's own close button lives in the dialog while it is open; it does not count.
          if (button.closest('.toasts')) continue;
          const box = button.getBoundingClientRect();
          if (box.width === 0 || box.height === 0) continue;
          const apart =
            box.right <= toastBox.left ||
            box.left >= toastBox.right ||
            box.bottom <= toastBox.top ||
            box.top >= toastBox.bottom;
          if (!apart) hits.push(button.textContent || button.getAttribute('aria-label') || '?');
        }
        return hits;
      });
      expect(overlaps).toEqual([]);
      expect(await page.getByTestId('picker-open').isVisible()).toBe(true);
    } finally {
      fs.renameSync(`${other}-moved`, other);
    }
    await page.keyboard.press('Escape');
  });

  it('a reload reopens the last workspace, with the saved appearance', async () => {
    await page.reload();
    await row(page, path.join(work, 'README.md')).waitFor();
    expect(await page.getByTestId('workspace-picker').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('15px');
  });

  it('renders a folder of 10k entries through the virtualised tree', async () => {
    const many = path.join(work, 'many');
    await row(page, many).click();
    await row(page, path.join(many, 'file-00000.txt')).waitFor();
    const inDom = await page.getByTestId('file-tree').locator('[role=treeitem]').count();
    expect(inDom).toBeLessThan(150); // a window of rows, not 10,000
    await page.getByTestId('file-tree').focus();
    await page.keyboard.press('End');
    const last = row(page, path.join(work, 'README.md')); // the last row: files sort after folders
    await last.waitFor();
    expect(await last.getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home'); // 'a', still expanded by the quick-open reveal
    await page.keyboard.press('ArrowLeft'); // collapse it
    await page.keyboard.press('ArrowDown'); // 'many'
    await page.keyboard.press('ArrowLeft'); // collapse
    expect(await row(page, path.join(many, 'file-00000.txt')).count()).toBe(0);
    await page.keyboard.press('ArrowRight'); // expand again (the listing is kept)
    await page.keyboard.press('ArrowRight'); // its first child
    expect(await row(page, path.join(many, 'file-00000.txt')).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('PageDown');
    await page.keyboard.press('PageDown');
    const selected = await page.getByTestId('file-tree').locator('[aria-selected=true]').getAttribute('data-path');
    const index = Number(/many\/file-(\d{5})\.txt$/.exec(selected ?? '')?.[1]);
    expect(index).toBeGreaterThan(10); // two pages down, still inside the big folder
    expect(index).toBeLessThan(200);
    const height = await page.getByTestId('file-tree').evaluate((el) => el.scrollHeight);
    expect(height).toBeGreaterThan(MANY * 20);
  });

  it('runs the same bundle over the desktop IPC channel, with no HTTP call to /api', async () => {
    const dataDir = path.join(base, 'desktop-data');
    const runtime = createRuntime({ homeDir: home, dataDir, sandbox: { mode: 'settings' }, env: {} });
    const desktop = await newPage();
    const apiRequests = recordApiRequests(desktop);
    await bridgeDesktopChannel(desktop, runtime);
    try {
      await desktop.goto(chamber.url);
      // First desktop start: the UI records home, which approves it, so the picker can list it.
      await desktop.getByTestId('picker-list').locator(`[data-path="${work}"]`).waitFor();
      expect(await desktop.getByTestId('status-transport').textContent()).toContain('Desktop');
      await desktop.getByTestId('picker-list').locator(`[data-path="${work}"]`).dblclick();
      await expect.poll(() => desktop.getByTestId('picker-path').inputValue()).toBe(work);
      await desktop.getByTestId('picker-open').click();
      await row(desktop, path.join(work, 'README.md')).waitFor();
      const saved = () =>
        JSON.parse(fs.readFileSync(path.join(dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
      await expect.poll(() => saved().lastDirectory).toBe(work);
      expect(saved().homeDirectory).toBe(home);
      expect(apiRequests).toEqual([]);
    } finally {
      await desktop.context().close();
      await runtime.close();
    }
  });
});
