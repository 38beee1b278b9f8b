/**
 * Defects a new user met, each pinned by a browser test (the built bundle, the real chamber CLI,
 * Debian's Chromium): the welcome page's shortcut list fits above the terminal panel; after a
 * commit the main area shows the file as it is now, not as it was first read.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUiWorkspace, type UiWorkspace } from '../support/ui-workspace.js';

const WAIT_MS = 15_000;

let ws: UiWorkspace;
let work: string;
let page: Page;

const treeRow = (file: string) => ws.treeRow(file);

beforeAll(async () => {
  ws = await openUiWorkspace({ prefix: 'chamber-defects-e2e-', files: { 'notes.md': 'first\n' }, waitMs: WAIT_MS });
  ({ work, page } = ws);
}, 120_000);

afterAll(async () => {
  await ws?.close();
});

describe('defects a new user met, in Chromium', () => {
  it('the welcome page’s shortcut list fits above the terminal panel', async () => {
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('terminal-tabs').waitFor(); // the panel is open
    const fit = await page.evaluate(() => {
      const main = document.querySelector('main.main')!;
      const rows = [...document.querySelectorAll('.welcome-shortcuts .shortcut-row')];
      const last = Math.max(...rows.map((row) => row.getBoundingClientRect().bottom));
      return {
        rows: rows.length,
        lastBottom: last,
        mainBottom: main.getBoundingClientRect().bottom,
        panelTop: document.querySelector('section.panel')!.getBoundingClientRect().top,
        scrolls: main.scrollHeight > main.clientHeight,
      };
    });
    expect(fit.rows).toBeGreaterThan(8);
    expect(fit.lastBottom).toBeLessThanOrEqual(fit.panelTop);
    expect(fit.lastBottom).toBeLessThanOrEqual(fit.mainBottom);
    expect(fit.scrolls).toBe(false);
  });

  it('after a commit the main area shows the file as it is now', async () => {
    await treeRow('notes.md').click();
    await page.locator('[data-testid=viewer-code] .cm-line', { hasText: 'first' }).waitFor();
    const sizeBefore = await page.getByTestId('file-viewer').locator('.diff-subtitle').textContent();

    fs.writeFileSync(path.join(work, 'notes.md'), `${'second line, longer than the first\n'.repeat(40)}`);
    await page.keyboard.press('Control+Shift+G');
    const row = page.locator('[data-testid=change-row][data-path="notes.md"]');
    await row.waitFor();
    await row.click();
    await page.getByTestId('diff-viewer').waitFor();
    await page.getByTestId('commit-message').fill('Grow the notes');
    await page.getByTestId('commit-message').press('Control+Enter');
    await page.getByTestId('git-clean').waitFor();

    // The diff of a committed file closes; the main area shows the file, read again.
    await page.getByTestId('file-viewer').waitFor();
    await page.locator('[data-testid=viewer-code] .cm-line', { hasText: 'second line' }).first().waitFor();
    expect(await page.getByTestId('file-viewer').locator('.diff-subtitle').textContent()).not.toBe(sizeBefore);
    expect(await page.getByTestId('file-viewer').locator('.diff-subtitle').textContent()).toContain('1.4 KB');
  });
});
