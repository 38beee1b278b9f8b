/**
 * The set-up the workspace UI's browser tests share: a temp HOME whose settings reopen a git
 * repository built by code (`<home>/work`, committed once), the real chamber CLI on it, and a
 * Chromium page showing the UI, plus the small helpers every such test reaches for.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeTempDir } from './fixtures.js';
import { ensureUiBundle, startUiSession, writeFile, type RunningChamber } from './ui.js';

export interface UiWorkspace {
  base: string;
  home: string;
  /** The repository the UI opens. */
  work: string;
  chamber: RunningChamber;
  browser: Browser;
  page: Page;
  /** Run git in the repository (the test's own identity, no system config). */
  git(...args: string[]): string;
  /** The file tree's row of a path relative to the repository. */
  treeRow(file: string): ReturnType<Page['locator']>;
  /** The Changes view's row of a path relative to the repository. */
  changeRow(file: string): ReturnType<Page['locator']>;
  close(): Promise<void>;
}

export interface UiWorkspaceOptions {
  /** Temp directory prefix, e.g. `chamber-defects-e2e-`. */
  prefix: string;
  /** Files of the first commit, by path relative to the repository. */
  files: Record<string, string>;
  /** More `.gitconfig` text after the user's identity. */
  gitconfig?: string;
  /** Anything to do in the repository after the first commit, before the server starts. */
  prepare?(git: (...args: string[]) => string, work: string): void;
  /** Default timeout of the page's waits. */
  waitMs?: number;
  /** Called with the page before it loads the UI (e.g. to count requests). */
  beforeLoad?(page: Page): void;
}

export async function openUiWorkspace(options: UiWorkspaceOptions): Promise<UiWorkspace> {
  ensureUiBundle();
  const base = makeTempDir(options.prefix);
  const home = path.join(base, 'home');
  const work = path.join(home, 'work');
  const git = (...args: string[]): string =>
    execFileSync('git', args, {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  writeFile(
    path.join(home, '.gitconfig'),
    `[user]\n\tname = Test Person\n\temail = test@example.com\n${options.gitconfig ?? ''}`,
  );
  writeFile(
    path.join(home, '.config', 'openchamber', 'settings.json'),
    JSON.stringify({ lastDirectory: work, homeDirectory: home }),
  );
  for (const [file, content] of Object.entries(options.files)) writeFile(path.join(work, file), content);
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
  options.prepare?.(git, work);
  const session = await startUiSession({ home, waitMs: options.waitMs ?? 15_000 });
  const { chamber, browser, page } = session;
  options.beforeLoad?.(page);
  await page.goto(chamber.url);
  await page.getByTestId('file-tree').waitFor();
  return {
    base,
    home,
    work,
    chamber,
    browser,
    page,
    git,
    treeRow: (file) => page.getByTestId('file-tree').locator(`[role=treeitem][data-path="${path.join(work, file)}"]`),
    changeRow: (file) => page.locator(`[data-testid=change-row][data-path="${file}"]`),
    async close() {
      await session.close();
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
