/**
 * `npm run screenshots`: the README's pictures, taken from the real UI on a demo workspace in a
 * temp HOME (headless Chromium), in both themes. Writes docs/screenshots/*.png.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../test/support/paths.js';
import { ensureUiBundle, launchChromium, startChamber, writeFile } from '../test/support/ui.js';

const outDir = path.join(repoRoot, 'docs/screenshots');
/** The pictures the README shows; others are taken only when named on the command line. */
const README_SHOTS = [
  'workspace-light',
  'workspace-dark',
  'quick-open-dark',
  'picker-light',
  'settings-light',
  'changes-light',
  'changes-dark',
  'history-light',
];
const wanted = process.argv.length > 2 ? process.argv.slice(2) : README_SHOTS;

function buildDemo(base: string): { home: string; project: string } {
  const home = path.join(base, 'home', 'ada');
  const project = path.join(home, 'projects', 'orbit-api');
  const files: Record<string, string> = {
    'README.md': '# orbit-api\n',
    'package.json': '{}\n',
    'tsconfig.json': '{}\n',
    '.gitignore': 'node_modules\n',
    '.env.example': 'PORT=3000\n',
    Dockerfile: 'FROM node:20\n',
    'src/index.ts': 'export {};\n',
    'src/server.ts': 'export {};\n',
    'src/config.ts': 'export {};\n',
    'src/routes/users.ts': 'export {};\n',
    'src/routes/sessions.ts': 'export {};\n',
    'src/routes/billing/invoices.ts': 'export {};\n',
    'src/routes/billing/payment-methods.ts': 'export {};\n',
    'src/db/schema.sql': '-- schema\n',
    'src/db/migrations/0001_init.sql': '-- init\n',
    'src/db/migrations/0002_add_sessions.sql': '-- sessions\n',
    'src/lib/rate-limiter.ts': 'export {};\n'.repeat(200),
    'src/lib/retry.ts': 'export {};\n',
    'test/users.test.ts': 'export {};\n',
    'test/billing/invoices.test.ts': 'export {};\n',
    'docs/architecture.md': '# Architecture\n',
    'docs/diagrams/request-flow.svg': '<svg/>',
    'scripts/deploy.sh': '#!/bin/sh\n',
  };
  for (const [name, content] of Object.entries(files)) writeFile(path.join(project, name), content);
  for (const sibling of ['web-console', 'infra', 'notes']) writeFile(path.join(home, 'projects', sibling, 'README.md'));
  for (const dir of ['Documents', 'Downloads', '.config/nvim']) fs.mkdirSync(path.join(home, dir), { recursive: true });
  buildDemoHistory(home, project);
  return { home, project };
}

const RATE_LIMITER = `export interface Limit {
  windowMs: number;
  max: number;
}

const buckets = new Map<string, number[]>();

export function allow(key: string, limit: Limit, now = Date.now()): boolean {
  const hits = (buckets.get(key) ?? []).filter((t) => now - t < limit.windowMs);
  if (hits.length >= limit.max) return false;
  hits.push(now);
  buckets.set(key, hits);
  return true;
}

export function reset(key: string): void {
  buckets.delete(key);
}
`;

/** The demo project as a repository with a remote, some history and changes to commit. */
function buildDemoHistory(home: string, project: string): void {
  writeFile(
    path.join(home, '.gitconfig'),
    '[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n[init]\n\tdefaultBranch = main\n',
  );
  let day = 1;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: project,
      env: {
        ...process.env,
        HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_DATE: new Date(Date.now() - (10 - day) * 86_400_000).toISOString(),
        GIT_COMMITTER_DATE: new Date(Date.now() - (10 - day) * 86_400_000).toISOString(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  const remote = path.join(home, 'projects', '.remotes', 'orbit-api.git');
  fs.mkdirSync(remote, { recursive: true });
  execFileSync('git', ['init', '--bare', '--quiet', remote], { env: { ...process.env, HOME: home } });
  writeFile(path.join(project, 'src/lib/rate-limiter.ts'), RATE_LIMITER);
  git('init', '--quiet');
  git('add', '.');
  git('commit', '--quiet', '-m', 'Initial API skeleton');
  git('remote', 'add', 'origin', remote);
  for (const [file, content, message] of [
    ['src/routes/sessions.ts', 'export const sessions = [];\n', 'Add session routes'],
    ['src/db/migrations/0002_add_sessions.sql', 'CREATE TABLE sessions (id TEXT);\n', 'Migrate: sessions table'],
    ['src/lib/retry.ts', 'export const retries = 3;\n', 'Retry failed webhooks three times'],
  ] as const) {
    day++;
    writeFile(path.join(project, file), content);
    git('add', '.');
    git('commit', '--quiet', '-m', message);
  }
  git('push', '--quiet', '-u', 'origin', 'main');
  day++;
  git('branch', 'feat/billing-webhooks');
  writeFile(path.join(project, 'src/routes/billing/invoices.ts'), 'export const invoices = [];\n');
  git('commit', '--quiet', '-am', 'List invoices');
  // Uncommitted work: an edited limiter, a new test, an edited config.
  writeFile(
    path.join(project, 'src/lib/rate-limiter.ts'),
    RATE_LIMITER.replace(
      '  max: number;\n',
      '  max: number;\n  /** Requests allowed above max for short bursts. */\n  burst?: number;\n',
    )
      .replace(
        'if (hits.length >= limit.max) return false;',
        'if (hits.length >= limit.max + (limit.burst ?? 0)) return false;',
      )
      .replace(
        'export function reset(key: string): void {\n  buckets.delete(key);\n}\n',
        'export function reset(key?: string): void {\n  if (key === undefined) buckets.clear();\n  else buckets.delete(key);\n}\n',
      ),
  );
  writeFile(
    path.join(project, 'test/rate-limiter.test.ts'),
    "import { allow } from '../src/lib/rate-limiter';\n\nallow('a', { windowMs: 1000, max: 1 });\n",
  );
  writeFile(path.join(project, 'src/config.ts'), 'export const port = Number(process.env.PORT ?? 3000);\n');
}

async function shoot(page: Page, name: string): Promise<void> {
  if (!wanted.includes(name)) return;
  await page.waitForTimeout(250); // let transitions settle
  await page.screenshot({ path: path.join(outDir, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

/** Two terminal tabs, the active one with a little real output, and the tree keeping the focus. */
async function showTerminals(page: Page): Promise<void> {
  const pane = page.locator('[data-testid=terminal-pane]:not([hidden])');
  const type = async (line: string) => {
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    // Wait for the command to finish (its prompt back), so the next one is not echoed early.
    await page.waitForTimeout(400);
  };
  await page.getByTestId('terminal-new').click();
  await page.locator('[data-testid=terminal-tab]').nth(1).waitFor();
  await pane.and(page.locator('[data-status=live]')).waitFor();
  await pane.locator('.xterm').click();
  // A short prompt, so the picture shows the commands rather than the host name.
  await type("PS1='\\[\\e[34m\\]\\W\\[\\e[0m\\] $ '; clear");
  await type('ls src');
  await type('wc -l src/lib/*.ts');
  await page.waitForTimeout(500);
  const selected = page.locator('[data-testid=file-tree] [aria-selected=true]');
  await selected.click();
}

async function run(): Promise<void> {
  ensureUiBundle();
  fs.mkdirSync(outDir, { recursive: true });
  // A fixed, short base so the pictures show tidy paths (`~/projects/...`).
  const base = path.join(fs.realpathSync(os.tmpdir()), 'chamber-demo');
  fs.rmSync(base, { recursive: true, force: true });
  const { home, project } = buildDemo(base);
  const dataDir = path.join(home, '.config', 'openchamber');
  writeFile(
    path.join(dataDir, 'settings.json'),
    JSON.stringify({ pinnedDirectories: [project, path.join(home, 'projects', 'infra')] }, null, 2),
  );
  const chamber = await startChamber({ home, dataDir });
  const browser = await launchChromium();
  try {
    for (const theme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        deviceScaleFactor: 1,
        colorScheme: theme,
      });
      const page = await context.newPage();
      await page.goto(chamber.url);
      await page.getByTestId('workspace-picker').waitFor();
      await page.locator('[data-testid=picker-list] [role=option]').first().waitFor();
      await page.getByTestId('picker-path').fill(path.join(home, 'projects'));
      await page.getByTestId('picker-path').press('Enter');
      await page.locator(`[data-testid=picker-list] [data-path="${project}"]`).waitFor();
      await page.getByTestId('picker-list').press('ArrowDown');
      await page.getByTestId('picker-list').press('ArrowUp');
      await shoot(page, `picker-${theme}`);

      await page.locator(`[data-testid=picker-list] [data-path="${project}"]`).dblclick();
      await page.getByTestId('picker-open').click();
      const tree = page.getByTestId('file-tree');
      await tree.waitFor();
      for (const dir of ['src', 'src/routes', 'src/routes/billing', 'src/db']) {
        await tree.locator(`[data-path="${path.join(project, dir)}"]`).click();
        await tree.locator(`[data-path="${path.join(project, dir)}"][aria-expanded=true]`).waitFor();
      }
      await tree.locator(`[data-path="${path.join(project, 'src/lib')}"]`).click();
      await tree.locator(`[data-path="${path.join(project, 'src/lib/rate-limiter.ts')}"]`).click();
      await showTerminals(page);
      await shoot(page, `workspace-${theme}`);

      await page.keyboard.press('Control+p');
      await page.getByTestId('quick-open-input').fill('billinv');
      await page.getByTestId('quick-open-item').first().waitFor();
      await page.waitForTimeout(200);
      await shoot(page, `quick-open-${theme}`);
      await page.keyboard.press('Escape');

      await page.keyboard.press('Control+,');
      await page.getByTestId('data-directory').filter({ hasText: '/' }).waitFor();
      await shoot(page, `settings-${theme}`);
      await page.keyboard.press('Escape');

      // Changes: light shows the unified diff, dark the side-by-side one.
      await page.keyboard.press('Control+Shift+G');
      const limiter = page.locator('[data-testid=change-row][data-path="src/lib/rate-limiter.ts"]');
      await limiter.click();
      await page
        .getByTestId('diff-layout')
        .locator(`[data-value=${theme === 'light' ? 'unified' : 'split'}]`)
        .click();
      await page.locator('[data-testid=diff-rows] .diff-row').first().waitFor();
      await page.getByTestId('commit-message').fill('Allow short bursts above the rate limit');
      await shoot(page, `changes-${theme}`);

      // The history with a commit open (its details and files) and one of its files' diff.
      if (wanted.includes(`history-${theme}`)) {
        await page.getByTestId('git-tabs').locator('[data-value=history]').click();
        await page.locator('[data-testid=commit-row]').nth(1).click();
        await page.locator('[data-testid=commit-file]').first().waitFor();
        await page.locator('[data-testid=commit-file]').first().click();
        await page.getByTestId('diff-commit').waitFor();
        await page.locator('[data-testid=diff-rows] .diff-row').first().waitFor();
        await shoot(page, `history-${theme}`);
        await page.getByTestId('git-tabs').locator('[data-value=changes]').click();
      }
      if (wanted.includes(`worktrees-${theme}`)) {
        await page.getByTestId('git-tabs').locator('[data-value=worktrees]').click();
        await page.getByTestId('worktree-row').first().waitFor();
        await shoot(page, `worktrees-${theme}`);
        await page.getByTestId('git-tabs').locator('[data-value=changes]').click();
      }
      if (wanted.includes(`branches-${theme}`)) {
        await page.getByTestId('branch-button').click();
        await page.locator('[data-testid=branch-option]').first().waitFor();
        await shoot(page, `branches-${theme}`);
        await page.keyboard.press('Escape');
      }
      await context.close();
      // The next theme starts from the first-run picker again.
      fs.writeFileSync(
        path.join(dataDir, 'settings.json'),
        JSON.stringify({ pinnedDirectories: [project, path.join(home, 'projects', 'infra')] }, null, 2),
      );
    }
  } finally {
    await browser.close();
    await chamber.close();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

await run();
