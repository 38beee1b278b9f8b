/**
 * The desktop app in a real window (Chromium on a private Xvfb display), driven the way a user
 * and the UI drive it: every call made by the client inside the page, over the DevTools pipe.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildWorkspaceFixture, type WorkspaceFixture } from '../support/fixtures.js';
import { installFakeOs, type FakeOs } from '../support/fake-os.js';
import { startDesktopDriver, type DesktopDriver, type DriverOptions } from '../support/desktop.js';
import { isAlive, listeningSockets, processTree } from '../support/sockets.js';
import { startXvfb, type VirtualDisplay } from '../support/xvfb.js';
import { repoRoot } from '../support/paths.js';
import { byTestId, desktopUi, waitForSelector } from '../support/ui-page.js';
import { openWorkspaceAt, treeRow } from '../support/workspace-flow.js';

type Outcome = { ok?: unknown; error?: { status: number; message: string } };

let display: VirtualDisplay;
let fixture: WorkspaceFixture;
let fake: FakeOs;
const drivers: DesktopDriver[] = [];

beforeAll(async () => {
  display = await startXvfb();
});
afterAll(async () => {
  await display?.stop();
});

function setUp(): void {
  fixture = buildWorkspaceFixture('chamber-desktop-');
  fake = installFakeOs(path.join(fixture.base, 'fake-os'));
}

afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.stop();
  fixture?.cleanup();
});

async function launch(extra: Partial<DriverOptions> = {}): Promise<DesktopDriver> {
  const driver = await startDesktopDriver({
    homeDir: fixture.home,
    dataDir: fixture.dataDir,
    display: display.display,
    env: { PATH: fake.path },
    ...extra,
  });
  drivers.push(driver);
  return driver;
}

/** A RuntimeAPIs call in the page (`window.__OPENCHAMBER_RUNTIME_APIS__.<path>(...args)`). */
async function call<T>(driver: DesktopDriver, apiPath: string, ...args: unknown[]): Promise<T> {
  const outcome = await driver.request<Outcome>('call', { path: apiPath, args });
  if (outcome.error) throw new Error(`${apiPath} failed: ${outcome.error.status} ${outcome.error.message}`);
  return outcome.ok as T;
}

function settingsOnDisk(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(fixture.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
}

function logLines(driver: DesktopDriver): Record<string, unknown>[] {
  return fs
    .readFileSync(driver.info.logFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function until<T>(probe: () => Promise<T> | T, accept: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (accept(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not happen within 5 s`);
}

/** The UI has started: home recorded (which approves it on desktop) and the workspace picker shown. */
async function uiBooted(driver: DesktopDriver): Promise<void> {
  await until(
    () =>
      driver.request<boolean>('evaluate', {
        expression: 'document.querySelector(\'[data-testid="picker-list"] [data-path]\') !== null',
      }),
    Boolean,
    'the workspace picker listing home',
  );
}

describe('the desktop window', () => {
  it('runs the UI flows over IPC: settings, the folder picker, files, events, notifications, logs', async () => {
    setUp();
    const driver = await launch();
    expect(await driver.request('evaluate', { expression: '__OPENCHAMBER_RUNTIME_APIS__.runtime' })).toEqual({
      platform: 'desktop',
      isDesktop: true,
      label: 'desktop',
    });
    await uiBooted(driver);

    // Settings edited in the window land in settings.json, in the web runtime's schema; home is
    // the only approved directory (the UI recorded it as homeDirectory at start-up).
    await call(driver, 'settings.save', { themeId: 'flexoki-dark', useSystemTheme: false });
    expect(settingsOnDisk()).toMatchObject({
      themeId: 'flexoki-dark',
      useSystemTheme: false,
      homeDirectory: fixture.home,
      approvedDirectories: [fixture.home],
    });

    // Outside home the sandbox is closed; the page listens for permission changes.
    await expect(call(driver, 'files.listDirectory', fixture.outside)).rejects.toThrow(
      /403 Access to directory denied/,
    );
    await driver.request('evaluate', {
      expression: `(globalThis.__seen = [], __OPENCHAMBER_RUNTIME_APIS__.permissions.subscribe((s) => __seen.push(s)))
        .then(() => true)`,
    });

    // "Choose folder…": the OS picker (a fake zenity on PATH) answers, the directory is approved,
    // the event reaches the page and the very next listing is allowed.
    fake.setPickerAnswer(fixture.outside);
    expect(await call(driver, 'permissions.requestDirectoryAccess', { path: '' })).toEqual({
      success: true,
      path: fixture.outside,
    });
    expect(fake.calls().find((c) => c.tool === 'zenity')?.args).toContain('--title=Select Working Directory');
    expect(settingsOnDisk().approvedDirectories).toEqual([fixture.home, fixture.outside]);
    const seen = await until(
      () => driver.request<{ approvedDirectories: string[] }[]>('evaluate', { expression: '__seen' }),
      (events) => events.length > 0,
      'the permissions event',
    );
    expect(seen[0]).toEqual({ approvedDirectories: [fixture.home, fixture.outside], accessingDirectories: [] });
    const listing = await call<{ directory: string; entries: { name: string }[] }>(
      driver,
      'files.listDirectory',
      fixture.outside,
    );
    expect(listing.entries.map((e) => e.name)).toEqual(['secret.txt']);

    // The UI opens the approved folder as its workspace (typed into its picker, Ctrl+Enter).
    const ui = await desktopUi(driver);
    await openWorkspaceAt(ui, fixture.outside);
    await waitForSelector(ui, treeRow(path.join(fixture.outside, 'secret.txt')));
    await until(
      () => settingsOnDisk().lastDirectory,
      (last) => last === fixture.outside,
      'lastDirectory',
    );

    fake.setPickerAnswer('cancel');
    expect(await call(driver, 'permissions.requestDirectoryAccess', { path: '' })).toEqual({
      success: false,
      error: 'Directory selection cancelled',
    });

    expect(await call(driver, 'notifications.notifyAgentCompletion', { title: 'Ready', body: 'Done' })).toBe(true);
    expect(
      fake
        .calls()
        .filter((c) => c.tool === 'notify-send')
        .at(-1)
        ?.args.slice(-2),
    ).toEqual(['Ready', 'Done']);

    const logs = await call<{ fileName: string; content: string }>(driver, 'diagnostics.downloadLogs');
    expect(logs.fileName).toBe('desktop.log');
    const commands = logs.content
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { message: string; command?: string })
      .filter((line) => line.message === 'command')
      .map((line) => line.command);
    expect(commands).toEqual(expect.arrayContaining(['save_settings', 'request_directory_access', 'list_directory']));
  }, 60_000);

  it('the picker\'s "Choose folder…" opens the OS folder picker and browses the approved folder', async () => {
    setUp();
    const driver = await launch();
    await uiBooted(driver);
    fake.setPickerAnswer(fixture.outside);
    const ui = await desktopUi(driver);
    await ui.click(byTestId('picker-choose-folder'));
    await until(
      () => ui.evaluate<string | null>(`document.querySelector('[data-testid="picker-open"]')?.textContent ?? null`),
      (text) => text === `Open ${path.basename(fixture.outside)}`,
      'the chosen folder shown in the picker',
    );
    expect(fake.calls().find((c) => c.tool === 'zenity')?.args).toContain('--title=Select Working Directory');
    expect(settingsOnDisk().approvedDirectories).toEqual([fixture.home, fixture.outside]);
  });

  it('makes no HTTP request to /api, reaches nothing outside the app and opens no listening socket', async () => {
    setUp();
    const driver = await launch();
    await call(driver, 'settings.load');
    await call(driver, 'files.home');
    await call(driver, 'notifications.notifyAgentCompletion');

    const network = await driver.request<{ url: string }[]>('network');
    expect(network.length).toBeGreaterThan(0);
    for (const { url } of network) {
      expect(new URL(url).origin).toBe(driver.info.origin);
      expect(new URL(url).pathname).not.toMatch(/^\/api(\/|$)/i);
    }

    // A page that reaches for HTTP anyway gets a failure, and the log says why, loudly.
    const attempts = await driver.request<string[]>('evaluate', {
      expression: `Promise.all(['/api/fs/list', 'https://example.com/'].map((url) =>
        fetch(url).then(() => 'answered', (error) => 'failed: ' + error.message)))`,
    });
    expect(attempts).toEqual(['failed: Failed to fetch', 'failed: Failed to fetch']);
    const refusal = logLines(driver).find((line) => line.level === 'error' && line.path === '/api/fs/list');
    expect(refusal?.message).toMatch(/serves the runtime over IPC only/);
    // A popup the page opens is held to the same rule (and gets no IPC channel).
    await driver.request('evaluate', {
      expression: 'void window.open("https://example.com/popup"), true',
      userGesture: true,
    });
    const refused = await until(
      async () =>
        (await driver.request<{ outcome: string; url: string }[]>('requests'))
          .filter((r) => r.outcome !== 'served')
          .map((r) => `${r.outcome} ${r.url}`)
          .sort(),
      (list) => list.length >= 3,
      'the popup request',
    );
    expect(refused).toEqual([
      `refused-api ${driver.info.origin}/api/fs/list`,
      'refused-external https://example.com/',
      'refused-external https://example.com/popup',
    ]);

    // `ss`: the host (the driver process) listens on nothing at all; the browser on no TCP or
    // UDP port. Chromium's only listener is its profile's single-instance Unix socket.
    const hostPid = driver.info.pid;
    const browserPids = new Set(processTree(driver.info.browserPid));
    expect(browserPids.size).toBeGreaterThan(1);
    const sockets = listeningSockets();
    expect(sockets.filter((s) => s.pids.includes(hostPid))).toEqual([]);
    const browserSockets = sockets.filter((s) => s.pids.some((pid) => browserPids.has(pid)));
    expect(browserSockets.filter((s) => s.netid === 'tcp' || s.netid === 'udp')).toEqual([]);
    for (const socket of browserSockets) expect(socket.local).toMatch(/SingletonSocket$/);
  }, 60_000);

  it('remembers the window size and position across launches; closing the window ends the browser', async () => {
    setUp();
    const first = await launch();
    // A folder picker left open: the runtime started it, so closing the window must end it.
    fake.setPickerAnswer('hang');
    await first.request('evaluate', {
      expression: 'void __OPENCHAMBER_RUNTIME_APIS__.permissions.requestDirectoryAccess({ path: "" }), true',
    });
    const picker = await until(
      () => fake.calls().find((c) => c.tool === 'zenity'),
      (found) => found !== undefined,
      'the folder picker opening',
    );
    await first.request('setBounds', { bounds: { left: 130, top: 90, width: 1010, height: 690 } });
    const stateFile = path.join(fixture.dataDir, 'window-state.json');
    await until(
      () => (fs.existsSync(stateFile) ? fs.readFileSync(stateFile, 'utf8') : ''),
      (text) => text.includes('1010'),
      'saving the window state',
    );
    // The user closes the window: the browser exits, the host saves, releases and stops.
    await first.request('closeWindow');
    expect(await first.closed).toBe('window-closed');
    expect(isAlive(first.info.browserPid)).toBe(false);
    await until(
      () => isAlive(picker!.pid),
      (alive) => !alive,
      'the picker ending',
    );
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8'))).toEqual({
      windowState: { width: 1010, height: 690, x: 130, y: 90, isMaximized: false },
    });
    expect(fs.existsSync(path.join(fixture.dataDir, 'desktop.lock'))).toBe(false);
    expect(logLines(first).map((l) => l.message)).toContain('Desktop host stopped');

    const second = await launch();
    expect(await second.request('bounds')).toMatchObject({ left: 130, top: 90, width: 1010, height: 690 });
  }, 60_000);

  it('a second launch brings the first window forward instead of starting another runtime', async () => {
    setUp();
    const first = await launch();
    const cli = await runCli(['--desktop', '--data-dir', fixture.dataDir], {
      PATH: fake.path,
      DISPLAY: display.display,
    });
    expect(cli).toEqual({ code: 0, stdout: 'Chamber is already running; its window was brought to the front.\n' });
    const lines = await until(
      () => logLines(first).map((l) => l.message),
      (messages) => messages.includes('Window brought to the front'),
      'focusing the window',
    );
    expect(lines).toContain('A second launch asked for the window');
    // One browser on this profile, the first launch's.
    expect(browserMainProcesses(path.join(fixture.dataDir, 'browser-profile'))).toEqual([first.info.browserPid]);
    expect(await call(first, 'files.home')).toBe(fixture.home);
  }, 60_000);

  it('shows the workspace UI like an app: no browser bar above it (a screenshot of the real window)', async () => {
    setUp();
    const driver = await launch();
    await uiBooted(driver);
    const ui = await desktopUi(driver);
    await openWorkspaceAt(ui, fixture.work);
    await ui.click(treeRow(path.join(fixture.work, 'src')));
    await ui.click(treeRow(path.join(fixture.work, 'src', 'index.ts')));
    await waitForSelector(ui, `${byTestId('viewer-name')}`);
    await waitForSelector(ui, `${byTestId('viewer-code')} .cm-line`);

    // The page fills the window: no infobar ("unsupported command-line flag"), no toolbar.
    const window = await driver.request<{ x: number; y: number; outer: number[]; inner: number[]; titlebar: string }>(
      'evaluate',
      {
        expression: `({ x: screenX, y: screenY, outer: [outerWidth, outerHeight], inner: [innerWidth, innerHeight],
          titlebar: getComputedStyle(document.querySelector('.titlebar')).backgroundColor })`,
      },
    );
    expect(window.inner).toEqual(window.outer);
    // And the screen agrees: the window's first pixels are the app's title bar, not a bar above it.
    const top = display.pixel(window.x + 200, window.y + 4);
    expect(`rgb(${top.join(', ')})`).toBe(window.titlebar);

    const out = process.env.CHAMBER_SCREENSHOT_OUT ?? path.join(fixture.base, 'desktop-window.png');
    fs.writeFileSync(
      out,
      display.screenshot({ x: window.x, y: window.y, width: window.outer[0]!, height: window.outer[1]! }),
    );
    const png = fs.readFileSync(out);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(10_000);
  }, 60_000);
});

/** Browser main processes (not renderers or helpers) started with this profile. */
function browserMainProcesses(profileDir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.includes(`--user-data-dir=${profileDir}`) && !args.some((a) => a.startsWith('--type='))) {
        pids.push(Number(entry));
      }
    } catch {}
  }
  return pids;
}

/** The real `chamber` CLI (from source) in its own process. */
function runCli(argv: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string }> {
  const tsx = pathToFileURL(createRequire(path.join(repoRoot, 'package.json')).resolve('tsx')).href;
  const cli = pathToFileURL(path.join(repoRoot, 'packages/server/src/index.ts')).href;
  const script = `const { main } = await import(${JSON.stringify(cli)});
const result = await main(${JSON.stringify(argv)}, process.env, {
  stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
process.exitCode = result.exitCode ?? 0;`;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', tsx, '--input-type=module', '--eval', script],
      { env: { ...process.env, HOME: fixture.home, ...env }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}
