/**
 * Freshness from file-system events, end to end (the built bundle, the real chamber CLI, Debian's
 * Chromium): a file changed on disk shows in Changes well before the old 4 s poll would have
 * noticed it, with no window focus to prompt it; a commit made in a terminal clears Changes and
 * reaches History; a new file appears in the tree and an open file's new text in the viewer; and
 * an idle window asks for no status at all; a folder listed again keeps its rows on screen until
 * the new listing lands.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUiWorkspace, type UiWorkspace } from '../support/ui-workspace.js';
import { holdNextRequest } from '../support/ui.js';

const WAIT_MS = 15_000;

let ws: UiWorkspace;
let work: string;
let page: Page;
const statusRequests: number[] = [];

const git = (...args: string[]): string => ws.git(...args);
const changeRow = (file: string) => ws.changeRow(file);
const treeRow = (file: string) => ws.treeRow(file);

beforeAll(async () => {
  ws = await openUiWorkspace({
    prefix: 'chamber-freshness-e2e-',
    files: { 'README.md': '# work\n', 'src/app.ts': 'export const app = 1;\n' },
    waitMs: WAIT_MS,
    beforeLoad(target) {
      target.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/git/status') statusRequests.push(Date.now());
      });
    },
  });
  ({ work, page } = ws);
  await page.keyboard.press('Control+Shift+G');
  await page.getByTestId('git-clean').waitFor();
}, 120_000);

afterAll(async () => {
  await ws?.close();
});

describe('freshness from file-system events in Chromium', () => {
  it('an idle window asks for no git status (the 4 s poll is a 30 s safety net now)', async () => {
    // Let the start-up refreshes (first load, the watch's `ready`) pass, then count.
    await page.waitForTimeout(1000);
    const before = statusRequests.length;
    await page.waitForTimeout(9000);
    expect(statusRequests.length - before).toBe(0);
  }, 20_000);

  it('a file changed on disk shows in Changes within a second, without focus or poll', async () => {
    const started = Date.now();
    fs.writeFileSync(path.join(work, 'src/app.ts'), 'export const app = 2;\n');
    await changeRow('src/app.ts').waitFor({ timeout: 3000 });
    const latency = Date.now() - started;
    console.log(`freshness: change on disk → Changes row in ${latency} ms`);
    expect(latency).toBeLessThan(1200);
  });

  it('a commit made in a terminal clears Changes and reaches History', async () => {
    git('commit', '-q', '-am', 'Committed outside Chamber');
    await page.getByTestId('git-clean').waitFor({ timeout: 3000 });
    await page.getByTestId('git-tabs').locator('[data-value=history]').click();
    await page.locator('[data-testid=commit-row]', { hasText: 'Committed outside Chamber' }).waitFor();
    await page.getByTestId('git-tabs').locator('[data-value=changes]').click();
  });

  it('a new file appears in the tree, and the open file shows its new text', async () => {
    await page.keyboard.press('Control+Shift+E');
    await treeRow('src').click();
    await treeRow('src/app.ts').click();
    await page.locator('[data-testid=viewer-code] .cm-line', { hasText: 'app = 2' }).waitFor();

    fs.writeFileSync(path.join(work, 'src/fresh.ts'), 'export {};\n');
    await treeRow('src/fresh.ts').waitFor({ timeout: 3000 });
    fs.writeFileSync(path.join(work, 'src/app.ts'), 'export const app = 3;\n');
    await page.locator('[data-testid=viewer-code] .cm-line', { hasText: 'app = 3' }).waitFor({ timeout: 3000 });
  });

  it('a folder listed again keeps its rows on screen until the new listing replaces them', async () => {
    // The re-listing a new file causes is held at the network, so the window between asking and
    // answering is as long as the test wants: the rows must stay, with no "Loading…" in their place.
    const src = path.join(work, 'src');
    const { requested, release } = await holdNextRequest(
      page,
      (url) => url.pathname === '/api/fs/list' && url.searchParams.get('path') === src,
    );
    fs.writeFileSync(path.join(src, 'later.ts'), 'export {};\n');
    await requested;
    await page.waitForTimeout(300); // renders of the asking have run
    const tree = page.getByTestId('file-tree');
    const during = {
      rows: await treeRow('src/app.ts').count(),
      loading: await tree.getByText('Loading…').count(),
    };
    release();
    await treeRow('src/later.ts').waitFor({ timeout: 3000 });
    expect(during).toEqual({ rows: 1, loading: 0 });
  });
});
