/**
 * The git views end to end: the built bundle served by the real chamber CLI on loopback, a temp
 * HOME with a real repository and a bare remote built by code, Debian's Chromium (headless).
 * Tests run in order like one person's session: open the repository, see a change on disk with
 * its stats, read its diff both ways, commit it, find it in the history, an AI message, a failed
 * checkout, branches, push with progress, identities, worktrees, a folder that is no repository.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AI_JSON_REPLY, startAiServer, type AiServer } from '../support/ai-server.js';
import { makeTempDir } from '../support/fixtures.js';
import {
  ensureUiBundle,
  holdNextRequest,
  writeFile,
  type RunningChamber,
  startUiSession,
  type UiSession,
} from '../support/ui.js';

const WAIT_MS = 15_000;

let base: string;
let home: string;
let work: string;
let remote: string;
let plain: string;
let chamber: RunningChamber;
let ai: AiServer;
let page: Page;
let session: UiSession | undefined;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}\n`).join('');

function toast(text: string) {
  return page.getByTestId('toast').filter({ hasText: text });
}

function changeRow(file: string) {
  return page.locator(`[data-testid=change-row][data-path="${file}"]`);
}

async function openBranches(): Promise<void> {
  await page.getByTestId('branch-button').click();
  await page.getByTestId('branch-input').waitFor();
  await page.locator('[data-testid=branch-option]').first().waitFor();
}

beforeAll(async () => {
  ensureUiBundle();
  base = makeTempDir('chamber-git-e2e-');
  home = path.join(base, 'home');
  work = path.join(home, 'work');
  remote = path.join(home, 'remote.git');
  plain = path.join(home, 'plain');
  writeFile(
    path.join(home, '.gitconfig'),
    '[user]\n\tname = Test Person\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n',
  );
  writeFile(
    path.join(home, '.config', 'openchamber', 'git-identities.json'),
    JSON.stringify({
      profiles: [
        {
          id: 'work',
          name: 'Work',
          userName: 'Ada Work',
          userEmail: 'ada@work.example',
          sshKey: null,
          color: 'keyword',
          icon: 'branch',
        },
      ],
    }),
  );
  writeFile(path.join(work, 'README.md'), '# work\n');
  writeFile(path.join(work, 'src/app.ts'), numbered(30));
  writeFile(path.join(plain, 'notes.md'), 'not a repository\n');
  git(home, 'init', '--bare', '--quiet', remote);
  git(home, 'init', '--quiet', work);
  git(work, 'add', '.');
  git(work, 'commit', '--quiet', '-m', 'Initial commit');
  git(work, 'remote', 'add', 'origin', remote);
  git(work, 'push', '--quiet', '-u', 'origin', 'main');
  git(work, 'branch', 'old-topic');

  ai = await startAiServer();
  session = await startUiSession({
    home,
    roots: [home],
    env: { CHAMBER_COMMIT_MESSAGE_ENDPOINT: ai.endpoint },
    waitMs: WAIT_MS,
  });
  ({ chamber, page } = session);
}, 120_000);

afterAll(async () => {
  await session?.close();
  await ai?.close();
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe('git views in Chromium', () => {
  it('opens the repository and shows a file changed on disk in Changes, with its diff stats', async () => {
    await page.goto(chamber.url);
    const pathInput = page.getByTestId('picker-path');
    await pathInput.fill(work);
    await pathInput.press('Enter');
    await expect.poll(() => pathInput.inputValue()).toBe(work);
    await page.getByTestId('picker-open').click();
    await page.getByTestId('file-tree').waitFor();

    await page.keyboard.press('Control+Shift+G');
    await page.getByTestId('changes-view').waitFor();
    await page.getByTestId('git-clean').waitFor();
    expect(await page.getByTestId('current-branch').textContent()).toBe('main');

    // Edit line 10, drop line 20, add two lines at the end; and a new file.
    const lines = numbered(30).split('\n');
    lines[9] = 'line 10 changed';
    lines.splice(19, 1);
    fs.writeFileSync(path.join(work, 'src/app.ts'), `${lines.join('\n')}tail 1\ntail 2\n`);
    writeFile(path.join(work, 'notes/todo.md'), 'one\ntwo\nthree\n');
    await page.evaluate(() => window.dispatchEvent(new Event('focus'))); // as when coming back to the window

    const app = changeRow('src/app.ts');
    await app.waitFor();
    expect(await app.getByTestId('diff-stat').textContent()).toBe('+3−2');
    expect(await app.getByTestId('change-letter').textContent()).toBe('M');
    const todo = changeRow('notes/todo.md');
    await todo.waitFor();
    expect(await todo.getByTestId('diff-stat').textContent()).toBe('+3−0');
    expect(await todo.getByTestId('change-letter').textContent()).toBe('U');
    // New changes are chosen for the commit.
    expect(await page.getByTestId('select-all').isChecked()).toBe(true);
  });

  it('opens the diff of a file, unified and side by side, with line numbers and colours', async () => {
    await changeRow('src/app.ts').click();
    const viewer = page.getByTestId('diff-viewer');
    await viewer.waitFor();
    expect(await page.getByTestId('diff-path').textContent()).toBe('app.ts');
    await page.getByTestId('diff-layout').locator('[data-value=unified]').click();

    const changed = viewer.locator('[data-testid=diff-line][data-kind=add]', { hasText: 'line 10 changed' });
    await changed.waitFor();
    expect(await changed.getByTestId('diff-new-number').textContent()).toBe('10');
    expect(await changed.getByTestId('diff-old-number').textContent()).toBe('');
    const removed = viewer.locator('[data-testid=diff-line][data-kind=del]', { hasText: 'line 20' });
    expect(await removed.getByTestId('diff-old-number').textContent()).toBe('20');
    const addColour = await changed.evaluate((el) => getComputedStyle(el).backgroundColor);
    const delColour = await removed.evaluate((el) => getComputedStyle(el).backgroundColor);
    const plainColour = await viewer
      .locator('[data-testid=diff-line][data-kind=context]')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(new Set([addColour, delColour, plainColour]).size).toBe(3);

    await page.getByTestId('diff-layout').locator('[data-value=split]').click();
    const pair = viewer.locator('[data-testid=diff-pair]', { hasText: 'line 10 changed' });
    await pair.waitFor();
    expect(await pair.getByTestId('diff-old').getAttribute('data-kind')).toBe('del');
    expect(await pair.getByTestId('diff-old').textContent()).toContain('line 10');
    expect(await pair.getByTestId('diff-new').getAttribute('data-kind')).toBe('add');
    // The keyboard walks the list and each file's diff follows.
    await page.getByTestId('changes-list').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('diff-path').textContent()).toBe('todo.md');
    await page.getByTestId('diff-layout').locator('[data-value=unified]').click();
  });

  it('commits the chosen file with Ctrl+Enter, and the commit is in the history with its files', async () => {
    // Space on the active row (todo.md, from the previous test) unticks it.
    await page.getByTestId('changes-list').focus();
    await page.keyboard.press('Space');
    expect(await changeRow('notes/todo.md').getByTestId('change-check').isChecked()).toBe(false);
    expect(await page.getByTestId('select-all').evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
    expect(await page.getByTestId('commit-button').textContent()).toBe('Commit 1 file');
    await page.getByTestId('commit-message').fill('Change app lines');
    await page.getByTestId('commit-message').press('Control+Enter');
    await toast('Committed').waitFor();
    await expect.poll(() => changeRow('src/app.ts').count()).toBe(0);
    await changeRow('notes/todo.md').waitFor();
    expect(await page.getByTestId('commit-message').inputValue()).toBe('');
    expect(git(work, 'log', '-1', '--format=%s')).toBe('Change app lines');
    expect(git(work, 'show', '--name-only', '--format=', 'HEAD')).toBe('src/app.ts');

    await page.getByTestId('git-tabs').locator('[data-value=history]').click();
    const commit = page.locator('[data-testid=commit-row]', { hasText: 'Change app lines' });
    await commit.waitFor();
    expect(await page.locator('[data-testid=commit-row]').count()).toBe(2);
    // Keyboard: the newest commit is first; Enter expands it to its files.
    await page.getByTestId('history-list').focus();
    await page.keyboard.press('Enter');
    const file = page.locator('[data-testid=commit-file][data-path="src/app.ts"]');
    await file.waitFor();
    expect(await file.getByTestId('diff-stat').textContent()).toBe('+3−2');
    expect(await commit.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => file.count()).toBe(0);
    await page.getByTestId('git-tabs').locator('[data-value=changes]').click();
  });

  it('the AI button fills the message from the chosen files', async () => {
    expect(await page.getByTestId('generate-message').isDisabled()).toBe(true); // nothing chosen
    await changeRow('notes/todo.md').getByTestId('change-check').check();
    await page.getByTestId('generate-message').click();
    await expect
      .poll(() => page.getByTestId('commit-message').inputValue())
      .toBe(`${AI_JSON_REPLY.subject}\n\n- ${AI_JSON_REPLY.highlights[0]}`);
    const prompt =
      ai.requests
        .at(-1)
        ?.body.messages?.map((m) => m.content)
        .join('\n') ?? '';
    expect(prompt).toContain('FILE: notes/todo.md');
    await page.getByTestId('commit-message').fill('');
  });

  it('a message typed while AI is writing is kept, and the person is told why', async () => {
    // The model's answer is held at the network until the person has typed.
    const { requested, release } = await holdNextRequest(page, (url) => url.pathname === '/api/git/commit-message');
    await page.getByTestId('generate-message').click();
    await requested;
    await page.getByTestId('commit-message').fill('Typed by hand');
    release();
    await expect.poll(() => page.getByTestId('generate-message').isDisabled()).toBe(false); // writing is over
    expect(await page.getByTestId('commit-message').inputValue()).toBe('Typed by hand');
    await toast('Kept the message you typed').waitFor();
    await page.getByTestId('commit-message').fill('');
  });

  it('checking out a missing branch shows the runtime message verbatim', async () => {
    const answer = await fetch(`${chamber.url}/api/git/checkout?directory=${encodeURIComponent(work)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ branch: 'no-such-branch' }),
    });
    const expected = ((await answer.json()) as { error: string }).error;
    expect(expected).toContain('no-such-branch');

    await openBranches();
    await page.getByTestId('branch-input').fill('no-such-branch');
    await page.getByTestId('branch-checkout').click();
    const shown = toast('no-such-branch');
    await shown.waitFor();
    expect(await shown.locator('.toast-message').textContent()).toBe(expected);
    expect(await shown.locator('.toast-context').textContent()).toBe('Checking out no-such-branch');
    await page.keyboard.press('Escape');
  });

  it('creates and checks out a branch, switches back, and deletes a branch after confirming', async () => {
    await openBranches();
    await page.getByTestId('branch-input').fill('feature/git-ui');
    await page.keyboard.press('ArrowDown'); // no branch matches: the first choice is "Create branch"
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('current-branch').textContent()).toBe('feature/git-ui');
    expect(git(work, 'branch', '--show-current')).toBe('feature/git-ui');

    await openBranches();
    await page.getByTestId('branch-input').fill('main');
    await page.locator('[data-testid=branch-option][data-branch=main]').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('current-branch').textContent()).toBe('main');
    expect(git(work, 'branch', '--show-current')).toBe('main');

    await openBranches();
    await page.getByTestId('branch-input').fill('old-topic');
    await page.locator('[data-testid=branch-option][data-branch=old-topic]').waitFor();
    await page.keyboard.press('Shift+Delete');
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-accept').click();
    await expect.poll(() => git(work, 'branch', '--list', 'old-topic')).toBe('');
    await page.keyboard.press('Escape');
  });

  it('push shows live progress, is disabled while it runs, and the remote gets the commits', async () => {
    // Enough new objects that git reports several progress lines.
    for (let i = 0; i < 400; i++) {
      writeFile(path.join(work, 'data', `blob-${i}.bin`), crypto.randomBytes(2048).toString('base64'));
    }
    git(work, 'add', 'data');
    git(work, 'commit', '--quiet', '-m', 'Add data');
    await page.getByTestId('git-refresh').click();
    await expect.poll(() => page.locator('.branch-track').getAttribute('aria-label')).toBe('2 ahead, 0 behind');

    // Record every progress text the page shows, however briefly.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid=git-progress-phase]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
        if (document.querySelector('[data-testid=git-push]:disabled')) seen.push('<disabled>');
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await page.getByTestId('git-push').click();
    await toast('Pushed origin/main').waitFor();
    const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    expect(seen).toContain('<disabled>');
    expect(seen.some((text) => /objects/.test(text))).toBe(true);
    await expect.poll(() => page.getByTestId('git-push').isDisabled()).toBe(false);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
    await expect.poll(() => page.locator('.branch-track').count()).toBe(0);
  });

  it('fetch then pull bring in a commit someone else pushed', async () => {
    const other = path.join(home, 'other-clone');
    git(home, 'clone', '--quiet', remote, other);
    writeFile(path.join(other, 'CHANGELOG.md'), '# Changes\n');
    git(other, 'add', '.');
    git(other, 'commit', '--quiet', '-m', 'Start a changelog');
    git(other, 'push', '--quiet', 'origin', 'main');

    await page.getByTestId('git-fetch').click();
    await toast('Fetched').waitFor();
    await expect.poll(() => page.locator('.branch-track').getAttribute('aria-label')).toBe('0 ahead, 1 behind');
    await page.getByTestId('git-pull').click();
    await toast('Pulled 1 file').waitFor();
    await expect.poll(() => page.locator('.branch-track').count()).toBe(0);
    expect(fs.readFileSync(path.join(work, 'CHANGELOG.md'), 'utf8')).toBe('# Changes\n');
  });

  it('applies an identity profile to the repository', async () => {
    const select = page.getByTestId('identity-select');
    await select.locator('option', { hasText: 'ada@work.example' }).waitFor({ state: 'attached' });
    await select.selectOption('work');
    await toast('Committing as Ada Work').waitFor();
    expect(git(work, 'config', '--local', 'user.email')).toBe('ada@work.example');
    await expect.poll(() => select.locator('option').first().textContent()).toBe('Ada Work <ada@work.example>');
  });

  it('adds a worktree for a new branch and removes it after confirming', async () => {
    await page.getByTestId('git-tabs').locator('[data-value=worktrees]').click();
    await page.getByTestId('worktree-row').first().waitFor();
    await page.getByTestId('worktree-branch').fill('side');
    await page.getByTestId('worktree-add').click();
    const linked = path.join(work, '.openchamber', 'side');
    const row = page.locator(`[data-testid=worktree-row][data-path="${linked}"]`);
    await row.waitFor();
    expect(fs.existsSync(path.join(linked, 'README.md'))).toBe(true);
    expect(git(work, 'branch', '--list', 'side')).toContain('side');
    // The worktree folder is ignored: it does not show up as a change.
    await page.getByTestId('git-tabs').locator('[data-value=changes]').click();
    await page.getByTestId('git-refresh').click();
    await changeRow('notes/todo.md').waitFor();
    expect(await page.locator('[data-testid=change-row]').count()).toBe(1);

    await page.getByTestId('git-tabs').locator('[data-value=worktrees]').click();
    await row.getByRole('button', { name: `Remove the worktree ${linked}` }).click();
    await page.getByTestId('confirm-accept').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(fs.existsSync(linked)).toBe(false);
    await page.getByTestId('git-tabs').locator('[data-value=changes]').click();
  });

  it('the worktree list works from the keyboard: Enter opens one, Delete removes it after a confirmation', async () => {
    const worktreesTab = () => page.getByTestId('git-tabs').locator('[data-value=worktrees]').click();
    const list = page.getByTestId('worktree-list');
    // The workspace button's title starts with the open directory.
    const here = async () => (await page.getByTestId('workspace-switch').getAttribute('title'))?.split(' — ')[0];
    await worktreesTab();
    await page.getByTestId('worktree-branch').fill('by-keys');
    await page.getByTestId('worktree-add').click();
    const linked = path.join(work, '.openchamber', 'by-keys');
    const row = page.locator(`[data-testid=worktree-row][data-path="${linked}"]`);
    await row.waitFor();

    // The main worktree cannot be removed: Delete on it asks nothing.
    await list.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Delete');
    await page.waitForTimeout(200);
    expect(await page.getByTestId('confirm-accept').count()).toBe(0);

    // Enter on the linked one opens it as the workspace; Enter on the main one comes back.
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect.poll(here).toBe(linked);
    await worktreesTab();
    await page.locator(`[data-testid=worktree-row][data-path="${work}"]`).waitFor();
    await list.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect.poll(here).toBe(work);

    // Delete on the linked one asks first; Escape keeps it, Enter on the confirmation removes it.
    await worktreesTab();
    await row.waitFor();
    await list.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Delete');
    await page.getByTestId('confirm-accept').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('confirm-accept').count()).toBe(0);
    expect(fs.existsSync(linked)).toBe(true);
    await list.focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Delete');
    await page.getByTestId('confirm-accept').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => row.count()).toBe(0);
    expect(fs.existsSync(linked)).toBe(false);
    await page.getByTestId('git-tabs').locator('[data-value=changes]').click();
  });

  it('a diff the runtime cut shows its notice, and still scrolls', async () => {
    const line = `${'x'.repeat(99)}\n`;
    writeFile(path.join(work, 'big.txt'), line.repeat(50_000)); // 5 MB, over the 4 MiB bound
    await page.getByTestId('git-refresh').click();
    await changeRow('big.txt').click();
    const notice = page.getByTestId('diff-truncated');
    await notice.waitFor();
    expect(await notice.textContent()).toBe('Output truncated by Chamber: only the first 4194304 bytes are shown');
    // Virtualised: a few dozen rows in the page, not tens of thousands.
    expect(await page.getByTestId('diff-line').count()).toBeLessThan(200);
    fs.rmSync(path.join(work, 'big.txt'));
    await page.getByTestId('git-refresh').click();
    await expect.poll(() => page.getByTestId('diff-viewer').count()).toBe(0);
  });

  it('a folder that is not a repository shows a clear empty state', async () => {
    await page.keyboard.press('Control+o');
    const pathInput = page.getByTestId('picker-path');
    await pathInput.fill(plain);
    await pathInput.press('Enter');
    await expect.poll(() => pathInput.inputValue()).toBe(plain);
    await page.getByTestId('picker-open').click();
    await page.getByTestId('git-not-a-repo').waitFor();
    expect(await page.getByTestId('git-not-a-repo').textContent()).toContain('Not a git repository');
    expect(await page.getByTestId('branch-button').count()).toBe(0);
  });
});
