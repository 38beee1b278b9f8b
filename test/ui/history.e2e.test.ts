/**
 * History at real size, end to end (the built bundle, the real chamber CLI, Debian's Chromium): a
 * repository of 300 commits whose rows never overlap (their boxes measured at the top, the middle
 * and the end of the list, which loads page by page), a quick-open input that keeps its height
 * under a long result list, a past commit's details, and the diff of one of its files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/fixtures.js';
import { buildLongHistory, HISTORY_AUTHOR, historySubject } from '../support/long-history.js';
import { ensureUiBundle, writeFile, startUiSession, type UiSession } from '../support/ui.js';

const WAIT_MS = 15_000;
const COMMITS = 300;

let base: string;
let home: string;
let work: string;
let page: Page;
let session: UiSession | undefined;

interface Box {
  top: number;
  bottom: number;
  text: string;
}

/** The commit rows drawn now, top to bottom, with their boxes. */
function commitBoxes(): Promise<Box[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=commit-row]')]
      .map((row) => {
        const box = row.getBoundingClientRect();
        return { top: box.top, bottom: box.bottom, text: row.querySelector('.commit-subject')?.textContent ?? '' };
      })
      .sort((a, b) => a.top - b.top),
  );
}

function expectNoOverlap(boxes: Box[]): void {
  expect(boxes.length).toBeGreaterThan(5);
  for (let i = 1; i < boxes.length; i++) {
    const [above, below] = [boxes[i - 1]!, boxes[i]!];
    // Each row is as tall as its two lines of text, and the next one starts below it.
    expect(above.bottom - above.top, above.text).toBeGreaterThanOrEqual(36);
    expect(below.top, `${below.text} starts below ${above.text}`).toBeGreaterThanOrEqual(above.bottom - 0.5);
  }
}

async function scrollHistoryTo(fraction: number): Promise<void> {
  await page.getByTestId('history-list').evaluate((list, f) => {
    list.scrollTop = (list.scrollHeight - list.clientHeight) * f;
  }, fraction);
  // Two frames: the virtualiser draws the new rows, then measures them.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

beforeAll(async () => {
  ensureUiBundle();
  base = makeTempDir('chamber-history-e2e-');
  home = path.join(base, 'home');
  work = path.join(home, 'work');
  buildLongHistory(work, COMMITS, { ...process.env, HOME: home });
  writeFile(
    path.join(home, '.config', 'openchamber', 'settings.json'),
    JSON.stringify({ lastDirectory: work, homeDirectory: home }),
  );
  // Enough files that quick-open's list is long.
  for (let i = 0; i < 80; i++) writeFile(path.join(work, 'docs', `note-${i}.md`), `note ${i}\n`);
  session = await startUiSession({ home, waitMs: WAIT_MS, load: { clipboard: true } });
  ({ page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('history at real size in Chromium', () => {
  it('lists 300 commits whose rows never overlap, loading older pages as the list reaches its end', async () => {
    await page.keyboard.press('Control+Shift+G');
    await page.getByTestId('git-tabs').locator('[data-value=history]').click();
    await page.locator('[data-testid=commit-row]', { hasText: historySubject(COMMITS) }).waitFor();
    expectNoOverlap(await commitBoxes());

    await scrollHistoryTo(0.5);
    expectNoOverlap(await commitBoxes());

    // The end of the first page asks for the next; the oldest commit is reached in the end.
    for (let attempt = 0; attempt < 20; attempt++) {
      await scrollHistoryTo(1);
      if ((await page.locator('[data-testid=commit-row]', { hasText: historySubject(1) }).count()) > 0) break;
      await page.waitForTimeout(100);
    }
    await page.locator('[data-testid=commit-row]', { hasText: historySubject(1) }).waitFor();
    expectNoOverlap(await commitBoxes());
    // Virtualised: a few dozen rows in the DOM, not 300.
    expect(await page.locator('[data-testid=commit-row]').count()).toBeLessThan(80);
  });

  it('shows a past commit’s details: full message, author, date, and the hash to copy', async () => {
    await scrollHistoryTo(0);
    const row = page.locator('[data-testid=commit-row]', { hasText: historySubject(COMMITS - 3) });
    await row.click();
    const details = page.getByTestId('commit-details');
    await details.waitFor();
    const message = await details.getByTestId('commit-full-message').textContent();
    expect(message).toContain(historySubject(COMMITS - 3));
    expect(message).toContain(`Why ${COMMITS - 3}: the old parser dropped trailing input.`);
    expect(message).toContain(`Second paragraph of ${COMMITS - 3}.`);
    expect(await details.textContent()).toContain(`${HISTORY_AUTHOR.name} <${HISTORY_AUTHOR.email}>`);
    expect(await details.getByTestId('commit-date').textContent()).toMatch(/2024/);
    const hash = (await details.getByTestId('commit-hash').textContent()) ?? '';
    expect(hash).toMatch(/^[0-9a-f]{40}$/);
    await details.getByTestId('copy-commit-hash').click();
    await page.getByTestId('toast').filter({ hasText: 'Commit hash copied' }).first().waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(hash);
    // The expanded commit's rows still do not overlap the ones below.
    expectNoOverlap(await commitBoxes());
  });

  it('shows the diff of a file in that past commit', async () => {
    const file = page.locator('[data-testid=commit-file][data-path="src/file-7.txt"]');
    await file.click();
    const viewer = page.getByTestId('diff-viewer');
    await viewer.waitFor();
    expect(await page.getByTestId('diff-path').textContent()).toBe('file-7.txt');
    expect(await page.getByTestId('diff-commit').textContent()).toContain(historySubject(COMMITS - 3));
    await page.getByTestId('diff-layout').locator('[data-value=unified]').click();
    const added = viewer.locator('[data-testid=diff-line][data-kind=add]', { hasText: `change ${COMMITS - 3}` });
    await added.waitFor();
    expect(await added.getByTestId('diff-new-number').textContent()).toBe('2');
    const removed = viewer.locator('[data-testid=diff-line][data-kind=del]', { hasText: `change ${COMMITS - 13}` });
    expect(await removed.count()).toBe(1);
    expect(await file.getAttribute('aria-selected')).toBe('true');
  });

  it('keeps quick-open’s input at its full height above a long result list', async () => {
    await page.keyboard.press('Control+p');
    const input = page.getByTestId('quick-open-input');
    await input.waitFor();
    await expect.poll(() => page.getByTestId('quick-open-item').count()).toBeGreaterThanOrEqual(50);
    const inputBox = await page.locator('.palette-input').boundingBox();
    expect(inputBox?.height).toBeGreaterThanOrEqual(49.5);
    const firstItem = await page.getByTestId('quick-open-item').first().boundingBox();
    expect(firstItem!.y).toBeGreaterThanOrEqual(inputBox!.y + inputBox!.height - 0.5);
    await page.keyboard.press('Escape');
  });
});
