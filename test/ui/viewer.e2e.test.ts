/**
 * The file viewer end to end: the built bundle served by the real chamber CLI, a temp HOME with a
 * workspace, Debian's Chromium (headless). A 50k-line TypeScript file opens from quick-open with
 * highlighting and line numbers, renders only what is in view, scrolls to its end, finds text
 * and opens at a line (`name:line`); a binary file says so; a file changed on disk is shown anew.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/fixtures.js';
import { ensureUiBundle, homeWithWorkspace, writeFile, startUiSession, type UiSession } from '../support/ui.js';

const WAIT_MS = 15_000;
const LINES = 50_000;

let base: string;
let home: string;
let work: string;
let page: Page;
let session: UiSession | undefined;

function treeRow(file: string) {
  return page.getByTestId('file-tree').locator(`[role=treeitem][data-path="${file}"]`);
}

/** Lines of the editor in the DOM (CodeMirror draws the viewport plus a margin). */
function drawnLines(): Promise<number> {
  return page.locator('[data-testid=viewer-code] .cm-line').count();
}

beforeAll(async () => {
  ensureUiBundle();
  base = makeTempDir('chamber-viewer-e2e-');
  ({ home, work } = homeWithWorkspace(base));
  // ~1.4 MB: under the 2 MiB the runtime answers whole.
  const big = Array.from({ length: LINES }, (_, i) => `const value${i + 1} = ${i + 1}; // line ${i + 1}\n`).join('');
  writeFile(path.join(work, 'src/big.ts'), big);
  writeFile(path.join(work, 'src/small.ts'), 'export const greeting = "hello";\n');
  fs.writeFileSync(path.join(work, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]));
  session = await startUiSession({ home, waitMs: WAIT_MS, load: { clipboard: true } });
  ({ page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('file viewer in Chromium', () => {
  it('opens a 50k-line file from quick-open: highlighted, numbered, only the viewport drawn', async () => {
    await page.keyboard.press('Control+p');
    await page.getByTestId('quick-open-input').pressSequentially('big.ts');
    const first = page.getByTestId('quick-open-item').first();
    await expect.poll(() => first.getAttribute('data-path')).toBe(path.join(work, 'src/big.ts'));
    const started = Date.now();
    await page.getByTestId('quick-open-input').press('Enter');
    await page.locator('[data-testid=viewer-code] .cm-line', { hasText: 'line 1' }).first().waitFor();
    const openMs = Date.now() - started;

    expect(await page.getByTestId('viewer-name').textContent()).toBe('big.ts');
    expect(await page.getByTestId('file-viewer').textContent()).toContain('50,000 lines');
    expect(await treeRow(path.join(work, 'src/big.ts')).getAttribute('aria-selected')).toBe('true');
    // Only the lines in view are in the DOM.
    expect(await drawnLines()).toBeLessThan(200);
    expect(await page.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^1$/ }).count()).toBe(1);
    // Highlighted by its extension: the keyword is coloured unlike the plain text.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const line = document.querySelector('[data-testid=viewer-code] .cm-line');
          const colours = new Set([...(line?.querySelectorAll('span') ?? [])].map((s) => getComputedStyle(s).color));
          return colours.size;
        }),
      )
      .toBeGreaterThan(2);
    expect(openMs).toBeLessThan(5_000);
    console.log(`viewer: 50k-line file drawn ${openMs} ms after Enter`);
  });

  it('scrolls to the end of the file smoothly, still drawing only the viewport', async () => {
    const frames = await page.evaluate(async () => {
      const scroller = document.querySelector<HTMLElement>('[data-testid=viewer-code] .cm-scroller')!;
      const times: number[] = [];
      let last = performance.now();
      // 60 frames of large steps, to the bottom.
      for (let i = 1; i <= 60; i++) {
        scroller.scrollTop = (scroller.scrollHeight * i) / 60;
        await new Promise(requestAnimationFrame);
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times.sort((a, b) => a - b);
    });
    await page.locator('[data-testid=viewer-code] .cm-line', { hasText: `line ${LINES}` }).waitFor();
    expect(await drawnLines()).toBeLessThan(200);
    const median = frames[Math.floor(frames.length / 2)]!;
    console.log(`viewer: scroll frame median ${median.toFixed(1)} ms, worst ${frames.at(-1)!.toFixed(1)} ms`);
    expect(median).toBeLessThan(100);
  });

  it('finds text in the file (Ctrl+F) and copies the path', async () => {
    await page.locator('[data-testid=viewer-code] .cm-content').click();
    await page.keyboard.press('Control+f');
    const field = page.locator('.cm-search input[name=search]');
    await field.waitFor();
    await field.pressSequentially('value49990 =');
    await field.press('Enter');
    await page.locator('.cm-searchMatch', { hasText: 'value49990 =' }).first().waitFor();
    await page.keyboard.press('Escape');

    await page.getByTestId('viewer-copy-path').click();
    await page.getByTestId('toast').filter({ hasText: 'Path copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('src/big.ts');
  });

  it('opens a file at a line from quick-open (name:line) with that line in view and the caret on it', async () => {
    await page.keyboard.press('Control+p');
    await page.getByTestId('quick-open-input').pressSequentially('big.ts:25000');
    await expect
      .poll(() => page.getByTestId('quick-open-item').first().getAttribute('data-path'))
      .toBe(path.join(work, 'src/big.ts'));
    await page.getByTestId('quick-open-input').press('Enter');
    const active = page.locator('[data-testid=viewer-code] .cm-activeLine');
    await expect.poll(() => active.textContent()).toContain('line 25000');
    expect(await active.isVisible()).toBe(true);
  });

  it('says a binary file has no text, and shows a file changed on disk anew when chosen again', async () => {
    await treeRow(path.join(work, 'logo.png')).click();
    await page.getByTestId('viewer-binary').waitFor();
    expect(await page.getByTestId('viewer-binary').textContent()).toContain('binary file');
    expect(await page.locator('[data-testid=viewer-code]').count()).toBe(0);

    const small = path.join(work, 'src/small.ts');
    await treeRow(small).click();
    await page.locator('[data-testid=viewer-code] .cm-line', { hasText: 'hello' }).waitFor();
    // Close, change on disk, open again: the new text.
    await page.getByTestId('viewer-close').click();
    await page.getByTestId('file-viewer').waitFor({ state: 'detached' });
    fs.writeFileSync(small, 'export const greeting = "changed";\n');
    await treeRow(small).click();
    await page.locator('[data-testid=viewer-code] .cm-line', { hasText: 'changed' }).waitFor();
  });
});
