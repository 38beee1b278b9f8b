/**
 * Settings → AI and Settings → Prompt enhancer end to end: the built bundle served by the real
 * chamber CLI on loopback (no AI variables: everything comes from what is set in the UI), a temp
 * HOME whose workspace is a repository with a change, the loopback fake OpenAI-compatible server
 * of test/support/ai-server.ts, Debian's Chromium (headless). In order, like one person's session:
 * an endpoint where nothing listens (the test and "Write with AI" both say where to fix it), the
 * fake endpoint (the test passes, "Write with AI" fills the message with the model and key set
 * here), then the prompt enhancer's groups edited and saved.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PromptEnhancerConfig } from '@chamber/contract';
import { AI_JSON_REPLY, startAiServer, type AiServer } from '../support/ai-server.js';
import { makeTempDir } from '../support/fixtures.js';
import {
  ensureUiBundle,
  homeWithWorkspace,
  writeFile,
  type RunningChamber,
  startUiSession,
  type UiSession,
} from '../support/ui.js';

const WAIT_MS = 15_000;
const API_KEY = 'sk-e2e-secret-key-3456';

let base: string;
let home: string;
let work: string;
let dataDir: string;
let closedPort: number;
let chamber: RunningChamber;
let ai: AiServer;
let page: Page;
let session: UiSession | undefined;

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    stdio: 'ignore',
  });
}

function findClosedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function toast(text: string) {
  return page.getByTestId('toast').filter({ hasText: text });
}

async function openSettings(): Promise<void> {
  await page.keyboard.press('Control+,');
  await page.getByTestId('ai-url').waitFor();
}

async function closeSettings(): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByTestId('ai-url').waitFor({ state: 'detached' });
}

async function fillEndpoint(url: string): Promise<void> {
  await page.getByTestId('ai-url').fill(url);
  await page.getByTestId('ai-model').fill('local-model');
  await page.getByTestId('ai-timeout').fill('10');
}

beforeAll(async () => {
  ensureUiBundle();
  base = makeTempDir('chamber-ai-e2e-');
  ({ home, work } = homeWithWorkspace(base));
  dataDir = path.join(home, '.config', 'openchamber');
  writeFile(path.join(home, '.gitconfig'), '[user]\n\tname = Test Person\n\temail = test@example.com\n');
  writeFile(path.join(work, 'notes.md'), 'one\n');
  git(work, 'init', '--quiet', '-b', 'main');
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'Initial commit');
  writeFile(path.join(work, 'notes.md'), 'one\ntwo\n');

  closedPort = await findClosedPort();
  ai = await startAiServer();
  session = await startUiSession({ home, roots: [home], waitMs: WAIT_MS });
  ({ chamber, page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await ai?.close();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('the AI endpoint and the prompt enhancer in Settings', () => {
  it('an endpoint where nothing listens: the test and "Write with AI" say what failed and where to fix it', async () => {
    await page.goto(chamber.url);
    await page.getByTestId('file-tree').waitFor();

    await openSettings();
    // Nothing stored yet: the reference's endpoint, from the defaults.
    expect(await page.getByTestId('ai-url').inputValue()).toBe('https://opencode.ai/zen/v1/chat/completions');
    await fillEndpoint(`http://127.0.0.1:${closedPort}/v1`);
    await page.getByTestId('ai-key').fill(API_KEY);
    await page.getByTestId('ai-save').click();
    await expect.poll(() => page.getByTestId('ai-status').textContent()).toContain('Saved');
    const unreachable = `could not reach http://127.0.0.1:${closedPort}/v1/chat/completions (ECONNREFUSED) — set the AI endpoint in Settings → AI`;
    await page.getByTestId('ai-test').click();
    await expect
      .poll(() => page.getByTestId('ai-status').textContent())
      .toBe(`AI endpoint test failed: ${unreachable}`);
    await closeSettings();

    await page.keyboard.press('Control+Shift+G');
    await page.locator('[data-testid=change-row][data-path="notes.md"]').waitFor();
    await page.getByTestId('generate-message').click();
    await toast(`Failed to generate commit message: ${unreachable}`).waitFor();
    expect(ai.requests).toHaveLength(0);
  });

  it('the fake endpoint set in Settings: the test passes, and "Write with AI" uses its model and key', async () => {
    await openSettings();
    // The key is never sent back: an empty field whose placeholder is its mask.
    expect(await page.getByTestId('ai-key').inputValue()).toBe('');
    expect(await page.getByTestId('ai-key').getAttribute('placeholder')).toBe('••••3456');
    expect(await page.content()).not.toContain(API_KEY);
    await page.getByTestId('ai-url').fill(ai.baseUrl);
    await page.getByTestId('ai-test').click();
    await expect
      .poll(() => page.getByTestId('ai-status').textContent())
      .toMatch(/^It works: local-model answered “OK” in \d+ ms\.$/);
    expect(ai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    await page.getByTestId('ai-save').click();
    await expect.poll(() => page.getByTestId('ai-status').textContent()).toContain('Saved');

    const stored = path.join(dataDir, 'ai-endpoint.json');
    expect(JSON.parse(fs.readFileSync(stored, 'utf8'))).toEqual({
      url: ai.baseUrl,
      model: 'local-model',
      apiKey: API_KEY,
      timeoutMs: 10_000,
    });
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);
    await closeSettings();

    await page.getByTestId('generate-message').click();
    await expect
      .poll(() => page.getByTestId('commit-message').inputValue())
      .toBe(`${AI_JSON_REPLY.subject}\n\n- ${AI_JSON_REPLY.highlights[0]}`);
    const request = ai.requests.at(-1)!;
    expect(request.body.model).toBe('local-model');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body.messages?.[0]?.content).toContain('FILE: notes.md');
    await page.getByTestId('commit-message').fill('');
  });

  it('"Use the model OpenCode is configured with" stores the opencode: endpoint and says where requests go', async () => {
    await openSettings();
    await page.getByTestId('ai-model').fill('big-pickle');
    await page.getByTestId('ai-use-opencode').check();
    expect(await page.getByTestId('ai-url').inputValue()).toBe('opencode:');
    expect(await page.getByTestId('ai-model').getAttribute('placeholder')).toBe('OpenCode’s default');
    // The reference's default model means nothing to OpenCode: the field empties (OpenCode’s own).
    expect(await page.getByTestId('ai-model').inputValue()).toBe('');
    await page.getByTestId('ai-model').fill('');
    await page.getByTestId('ai-save').click();
    await expect.poll(() => page.getByTestId('ai-status').textContent()).toContain('Saved');
    const stored = JSON.parse(fs.readFileSync(path.join(dataDir, 'ai-endpoint.json'), 'utf8')) as { url?: string };
    expect(stored.url).toBe('opencode:');
    // Back to an HTTP endpoint for the tests that follow.
    await page.getByTestId('ai-use-opencode').uncheck();
    await fillEndpoint(ai.baseUrl);
    await page.getByTestId('ai-save').click();
    await expect.poll(() => page.getByTestId('ai-status').textContent()).toContain('Saved');
    await closeSettings();
  });

  it('the prompt enhancer view rewords a core group and adds a custom group, saved to its file', async () => {
    await openSettings();
    const scope = page.locator('[data-testid=pe-group][data-group=scope]');
    await scope.locator('summary').click();
    await scope.getByTestId('pe-group-label').first().fill('Reach');
    // Core options cannot be removed: no remove button on them.
    expect(await scope.locator('[data-option=small]').getByTestId('pe-remove-option').count()).toBe(0);

    await page.getByTestId('pe-new-group').fill('Release notes');
    await page.getByTestId('pe-add-group').click();
    const custom = page.locator('[data-testid=pe-group][data-group=release-notes]');
    await custom.locator('summary').click();
    await custom.getByTestId('pe-new-option').fill('Changelog');
    await custom.getByTestId('pe-add-option').click();
    // An option without an instruction would be dropped by the runtime: the save says so instead.
    await page.getByTestId('pe-save').click();
    await expect
      .poll(() => page.getByTestId('pe-issues').textContent())
      .toBe('Release notes → Changelog: the instruction is empty');
    await custom
      .locator('[data-option=changelog]')
      .getByTestId('pe-option-instruction')
      .fill('The agent must update CHANGELOG.md.');
    await page.getByTestId('pe-save').click();
    await toast('Prompt enhancer saved').waitFor();

    const stored = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'prompt-enhancer-config.json'), 'utf8'),
    ) as PromptEnhancerConfig;
    expect(stored.groups.scope?.label).toBe('Reach');
    expect(stored.groupOrder.at(-1)).toBe('release-notes');
    expect(stored.groups['release-notes']?.options.map((option) => [option.id, option.instruction])).toEqual([
      ['default', 'Explain the guidance this option should add to the refined prompt.'],
      ['changelog', 'The agent must update CHANGELOG.md.'],
    ]);

    // Reopened: what the runtime stored.
    await closeSettings();
    await openSettings();
    expect(await page.locator('[data-testid=pe-group][data-group=scope] summary .pe-group-label').textContent()).toBe(
      'Reach',
    );
    await page.locator('[data-testid=pe-group][data-group=release-notes] summary').click();
    await page.locator('[data-testid=pe-group][data-group=release-notes]').getByTestId('pe-remove-group').click();
    await page.getByTestId('pe-save').click();
    await expect
      .poll(() =>
        Object.keys(
          (
            JSON.parse(
              fs.readFileSync(path.join(dataDir, 'prompt-enhancer-config.json'), 'utf8'),
            ) as PromptEnhancerConfig
          ).groups,
        ),
      )
      .not.toContain('release-notes');
    await closeSettings();
  });
});
