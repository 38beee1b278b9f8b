/**
 * The login page of a password-protected web server, in headless Chromium against the real CLI
 * (`--ui-password`): locked before anything reaches `/api`, the reference UI's messages for a
 * wrong password, an unexpected answer and a network failure, the workspace after the login,
 * a reload that stays in, a lost session that brings the login back and the workspace after it
 * (the page reloads),
 * the server's throttling message; and a desktop window of the same bundle, which never asks.
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
  homeWithWorkspace,
  newUiPage,
  recordApiRequests,
  type RunningChamber,
  startUiSession,
  type UiSession,
} from '../support/ui.js';

const WAIT_MS = 10_000;
const PASSWORD = 'correct horse';

let base: string;
let home: string;
let work: string;
let chamber: RunningChamber;
let browser: Browser;
let page: Page;
let session: UiSession | undefined;
let apiRequests: string[];

function readme(p: Page) {
  return p.getByTestId('file-tree').locator(`[role=treeitem][data-path="${path.join(work, 'README.md')}"]`);
}

async function submit(p: Page, password: string): Promise<void> {
  await p.getByTestId('login-password').fill(password);
  await p.getByTestId('login-submit').click();
}

async function errorText(p: Page): Promise<string> {
  return (await p.getByTestId('login-error').textContent()) ?? '';
}

beforeAll(async () => {
  ensureUiBundle();
  base = makeTempDir('chamber-ui-login-');
  ({ home, work } = homeWithWorkspace(base));
  session = await startUiSession({ home, password: PASSWORD, waitMs: WAIT_MS });
  ({ chamber, browser, page } = session);
  apiRequests = recordApiRequests(page);
}, 120_000);

afterAll(async () => {
  await session?.close();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('login page in Chromium', () => {
  it('a locked server shows the login page and nothing calls /api', async () => {
    await page.goto(chamber.url);
    await page.getByTestId('login-page').waitFor();
    expect(await page.getByRole('heading').textContent()).toBe('Chamber is locked');
    // The field has focus: typing goes straight into it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('login-password');
    expect(await page.getByTestId('login-submit').isDisabled()).toBe(true);
    expect(apiRequests).toEqual([]);
  });

  it("a wrong password: the reference's message, the field cleared and focused", async () => {
    await submit(page, 'wrong horse');
    await expect.poll(() => errorText(page)).toBe('Incorrect password. Try again.');
    expect(await page.getByTestId('login-password').inputValue()).toBe('');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('login-password');
    expect(await page.getByTestId('login-password').getAttribute('aria-invalid')).toBe('true');
  });

  it('an unexpected answer and a network failure get their own messages', async () => {
    await page.route('**/auth/session', (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' })
        : route.continue(),
    );
    await submit(page, PASSWORD);
    await expect.poll(() => errorText(page)).toBe('Unexpected response from server.');
    await page.unroute('**/auth/session');
    await page.route('**/auth/session', (route) =>
      route.request().method() === 'POST' ? route.abort('connectionrefused') : route.continue(),
    );
    await submit(page, PASSWORD);
    await expect.poll(() => errorText(page)).toBe('Network error. Check connection and retry.');
    await page.unroute('**/auth/session');
  });

  it('the right password opens the workspace (normal boot) with an HttpOnly, SameSite=Strict cookie', async () => {
    await submit(page, PASSWORD);
    await readme(page).waitFor();
    expect(await page.getByTestId('login-page').count()).toBe(0);
    expect(await page.getByTestId('workspace-switch').textContent()).toContain('work');
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'oc_ui_session', path: '/', httpOnly: true, sameSite: 'Strict', secure: false }),
    ]);
    // The page's scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('a reload stays logged in', async () => {
    await page.reload();
    await readme(page).waitFor();
    expect(await page.getByTestId('login-page').count()).toBe(0);
  });

  it('a session lost while working brings the login page back, and the same workspace after it', async () => {
    await page.context().clearCookies();
    // Any call now gets the gate's 401: the tree's refresh, unless the git view's poll is first.
    await page
      .getByRole('button', { name: 'Refresh' })
      .click({ timeout: 2_000 })
      .catch(() => undefined);
    await page.getByTestId('login-page').waitFor();
    expect(await page.getByTestId('login-error').textContent()).toBe('');
    await submit(page, PASSWORD);
    await readme(page).waitFor();
    expect(await page.getByTestId('workspace-switch').textContent()).toContain('work');
  });

  it('too many wrong passwords: the server says how long to wait', async () => {
    const other = await newUiPage(browser, WAIT_MS);
    try {
      await other.goto(chamber.url);
      await other.getByTestId('login-page').waitFor();
      for (let i = 0; i < 5; i++) {
        await submit(other, `guess ${i}`);
        await expect.poll(() => errorText(other)).toBe('Incorrect password. Try again.');
        // The same message again: wait for the field to be ready before the next try.
        await expect.poll(() => other.getByTestId('login-password').isEnabled()).toBe(true);
      }
      await submit(other, PASSWORD);
      await expect.poll(() => errorText(other)).toMatch(/^Too many attempts, try again in \d+ s$/);
    } finally {
      await other.context().close();
    }
  });

  it('a session check that fails shows "Unable to reach server" with Retry', async () => {
    const other = await newUiPage(browser, WAIT_MS);
    try {
      await other.route('**/auth/session', (route) =>
        route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
      );
      await other.goto(chamber.url);
      await other.getByTestId('auth-unreachable').waitFor();
      expect(await other.getByRole('heading').textContent()).toBe('Unable to reach server');
      await other.unroute('**/auth/session');
      await other.getByTestId('auth-retry').click();
      await other.getByTestId('login-page').waitFor();
    } finally {
      await other.context().close();
    }
  });

  it('a desktop window of the same bundle never shows the login page', async () => {
    const runtime = createRuntime({
      homeDir: home,
      dataDir: path.join(base, 'desktop-data'),
      sandbox: { mode: 'settings' },
      env: {},
    });
    const desktop = await newUiPage(browser, WAIT_MS);
    const desktopApi = recordApiRequests(desktop);
    await bridgeDesktopChannel(desktop, runtime);
    try {
      // The bundle comes from the locked server (static files are not gated); the page talks IPC.
      await desktop.goto(chamber.url);
      await desktop.getByTestId('picker-list').waitFor();
      expect(await desktop.getByTestId('login-page').count()).toBe(0);
      expect(await desktop.getByTestId('status-transport').textContent()).toContain('Desktop');
      expect(desktopApi).toEqual([]);
      expect(
        await desktop.evaluate(() => performance.getEntriesByType('resource').map((entry) => entry.name)),
      ).not.toContain(`${chamber.url}/auth/session`);
    } finally {
      await desktop.context().close();
      await runtime.close();
    }
  });
});
