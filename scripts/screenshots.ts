/**
 * `npm run screenshots`: the README's pictures, taken from the real UI on a demo workspace in a
 * temp HOME (headless Chromium), in both themes. Writes docs/screenshots/*.png.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../test/support/paths.js';
import { ensureUiBundle, launchChromium, startChamber, writeFile } from '../test/support/ui.js';

const outDir = path.join(repoRoot, 'docs/screenshots');
/** The pictures the README shows; others are taken only when named on the command line. */
const README_SHOTS = ['workspace-light', 'workspace-dark', 'quick-open-dark', 'picker-light', 'settings-light'];
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
  return { home, project };
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
