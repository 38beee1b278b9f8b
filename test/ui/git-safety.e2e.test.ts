/**
 * Safe git in the UI, end to end (the built bundle, the real chamber CLI, Debian's Chromium): the
 * file tree shows git's letters and hides `.git`; Discard asks first, then restores one file or
 * every change; a checkout blocked by local changes offers to bring them along or leave them
 * stashed, as GitHub Desktop does.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openUiWorkspace, type UiWorkspace } from '../support/ui-workspace.js';
import { writeFile } from '../support/ui.js';

const WAIT_MS = 15_000;

let ws: UiWorkspace;
let work: string;
let page: Page;

const git = (...args: string[]): string => ws.git(...args);
const read = (file: string) => fs.readFileSync(path.join(work, file), 'utf8');
const changeRow = (file: string) => ws.changeRow(file);
const treeRow = (file: string) => ws.treeRow(file);

async function refreshChanges(): Promise<void> {
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
}

async function checkoutFromDialog(branch: string): Promise<void> {
  await page.getByTestId('branch-button').click();
  await page.getByTestId('branch-input').fill(branch);
  await page.locator(`[data-testid=branch-option][data-branch="${branch}"]`).waitFor();
  await page.keyboard.press('Enter');
}

beforeAll(async () => {
  ws = await openUiWorkspace({
    prefix: 'chamber-git-safety-e2e-',
    gitconfig: '[init]\n\tdefaultBranch = main\n',
    files: { 'x.txt': 'a\nb\nc\nd\ne\n', 'src/app.ts': 'export const app = 1;\n', 'README.md': '# work\n' },
    prepare(run, dir) {
      run('checkout', '-q', '-b', 'other');
      writeFile(path.join(dir, 'x.txt'), 'A\nb\nc\nd\ne\n');
      run('commit', '-q', '-am', 'other changes line 1');
      run('checkout', '-q', 'main');
    },
    waitMs: WAIT_MS,
  });
  ({ work, page } = ws);
}, 120_000);

afterAll(async () => {
  await ws?.close();
});

describe('git safety in Chromium', () => {
  it('the tree hides .git and shows git’s letter on changed files and a mark on their folders', async () => {
    await treeRow('README.md').waitFor();
    expect(
      await page
        .getByTestId('file-tree')
        .locator(`[data-path="${path.join(work, '.git')}"]`)
        .count(),
    ).toBe(0);

    writeFile(path.join(work, 'src/app.ts'), 'export const app = 2;\n');
    writeFile(path.join(work, 'notes.md'), 'new\n');
    await refreshChanges();
    await page.getByTestId('file-tree').locator('[data-testid=tree-git-mark]').first().waitFor();
    await page.getByRole('button', { name: 'Refresh' }).first().click(); // the new file into the listing
    await treeRow('notes.md').waitFor();
    await expect.poll(() => treeRow('notes.md').getByTestId('tree-git-mark').getAttribute('data-mark')).toBe('U');
    expect(await treeRow('src').getByTestId('tree-git-mark').getAttribute('data-mark')).toBe('dir');
    await treeRow('src').click();
    expect(await treeRow('src/app.ts').getByTestId('tree-git-mark').textContent()).toBe('M');
    // The name takes the status colour.
    const colours = await page.evaluate(
      ([changed, plain]) =>
        [changed, plain].map((p) => {
          const row = document.querySelector(`[role=treeitem][data-path="${p}"] .tree-name`);
          return row ? getComputedStyle(row).color : '';
        }),
      [path.join(work, 'src/app.ts'), path.join(work, 'README.md')],
    );
    expect(colours[0]).not.toBe(colours[1]);
  });

  it('discards one file after a confirmation (Cancel keeps it)', async () => {
    await page.keyboard.press('Control+Shift+G');
    const row = changeRow('src/app.ts');
    await row.waitFor();

    await row.hover();
    await row.getByTestId('discard-change').click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain('src/app.ts');
    await page.getByTestId('confirm-cancel').click();
    expect(read('src/app.ts')).toBe('export const app = 2;\n');

    await row.hover();
    await row.getByTestId('discard-change').click();
    await page.getByTestId('confirm-accept').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(read('src/app.ts')).toBe('export const app = 1;\n');
    await changeRow('notes.md').waitFor();
  });

  it('discards every change after a confirmation', async () => {
    writeFile(path.join(work, 'README.md'), '# changed\n');
    await refreshChanges();
    await changeRow('README.md').waitFor();
    await page.getByTestId('discard-all').click();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain('Discard all 2 changes');
    await page.getByTestId('confirm-accept').click();
    await page.getByTestId('git-clean').waitFor();
    expect(read('README.md')).toBe('# work\n');
    expect(fs.existsSync(path.join(work, 'notes.md'))).toBe(false);
  });

  it('a checkout blocked by local changes brings them to the branch when asked', async () => {
    writeFile(path.join(work, 'x.txt'), 'a\nb\nc\nd\nE\n');
    await refreshChanges();
    await changeRow('x.txt').waitFor();
    await checkoutFromDialog('other');
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('would be overwritten by checkout');
    // No toast for a refusal the dialog answers.
    expect(await page.getByTestId('toast').filter({ hasText: 'overwritten' }).count()).toBe(0);
    await page.getByTestId('choice-bring').click();
    await expect.poll(() => page.getByTestId('current-branch').textContent()).toBe('other');
    expect(git('branch', '--show-current')).toBe('other');
    expect(read('x.txt')).toBe('A\nb\nc\nd\nE\n');
    await changeRow('x.txt').waitFor();
    expect(git('stash', 'list')).toBe('');
  });

  it('a checkout blocked by local changes leaves them stashed on the old branch when asked', async () => {
    await checkoutFromDialog('main');
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('choice-leave').click();
    await expect.poll(() => page.getByTestId('current-branch').textContent()).toBe('main');
    await page.getByTestId('git-clean').waitFor();
    expect(read('x.txt')).toBe('a\nb\nc\nd\ne\n');
    expect(git('stash', 'list')).toBe('stash@{0}: On other: Chamber: changes left on other');
    await page.getByTestId('toast').filter({ hasText: 'your changes are stashed on other' }).first().waitFor();
  });
});
