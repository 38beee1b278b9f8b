/**
 * What the UI's end-to-end tests (and the screenshot script) run against: the real `chamber` CLI
 * in-process on an OS-picked loopback port, serving the built bundle, with a temp HOME; and
 * Debian's Chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { IpcHost } from '@chamber/desktop';
import type { Runtime } from '@chamber/runtime';
import { main } from '@chamber/server';
import { repoRoot } from './paths.js';

export const CHROMIUM_PATH = process.env.CHAMBER_CHROMIUM ?? '/usr/bin/chromium';

/** Build packages/ui/dist unless it is current (a hash check: instant when nothing changed). */
export function ensureUiBundle(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-ui.mjs'), '--quiet'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface RunningChamber {
  url: string;
  /** The server's JSON log lines, for failure messages. */
  log: string[];
  close(): Promise<void>;
}

export async function startChamber(options: {
  home: string;
  /** Default: the CLI's own default, `$HOME/.config/openchamber`. */
  dataDir?: string;
  roots?: readonly string[];
  /** Default 0 (the OS picks); a fixed port brings a "restarted server" back at the same origin. */
  port?: number;
  /** More environment for the CLI (e.g. `CHAMBER_COMMIT_MESSAGE_ENDPOINT`). */
  env?: Record<string, string>;
  /** Start the OpenCode agent too (default: `--no-opencode`). */
  opencode?: boolean;
  /** Require this UI password (`--ui-password`); default none. */
  password?: string;
}): Promise<RunningChamber> {
  const log: string[] = [];
  const argv = [
    '--port',
    String(options.port ?? 0),
    ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
    ...(options.roots ?? []).flatMap((root) => ['--root', root]),
    ...(options.opencode ? [] : ['--no-opencode']),
    ...(options.password === undefined ? [] : ['--ui-password', options.password]),
  ];
  const result = await main(
    argv,
    { ...options.env, HOME: options.home },
    { stdout: (text) => log.push(text), stderr: (text) => log.push(text), cwd: options.home },
  );
  if (result.exitCode !== null || !result.address || !result.close) {
    throw new Error(`chamber did not start (exit ${result.exitCode}):\n${log.join('')}`);
  }
  return { url: result.address.url, log, close: result.close };
}

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHAMBER_CHROMIUM)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/**
 * A temp HOME whose settings reopen a workspace (`<home>/work`, holding a README) at start, as
 * for a person who chose it before.
 */
export function homeWithWorkspace(base: string): { home: string; work: string } {
  const home = path.join(base, 'home');
  const work = path.join(home, 'work');
  writeFile(path.join(work, 'README.md'), '# work\n');
  writeFile(
    path.join(home, '.config', 'openchamber', 'settings.json'),
    JSON.stringify({ lastDirectory: work, homeDirectory: home }),
  );
  return { home, work };
}

/** A page in a fresh context (its own storage), at the viewport the tests and screenshots use. */
export async function newUiPage(browser: Browser, timeoutMs: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  return page;
}

export type ChamberOptions = Parameters<typeof startChamber>[0];

export interface UiSession {
  chamber: RunningChamber;
  browser: Browser;
  page: Page;
  /** Ends the browser, then the server. */
  close(): Promise<void>;
}

/**
 * The real chamber CLI on `options.home` and a Chromium page for it (the set-up every browser test
 * of the UI repeats). With `load`, the page opens the UI and waits for the workspace's file tree
 * (after granting the clipboard when asked); without, it is left blank for the test to open.
 */
export async function startUiSession(
  options: ChamberOptions & { waitMs: number; load?: { clipboard?: boolean } },
): Promise<UiSession> {
  const chamber = await startChamber(options);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await newUiPage(browser, options.waitMs);
    if (options.load?.clipboard) {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: chamber.url });
    }
    if (options.load) {
      await page.goto(chamber.url);
      await page.getByTestId('file-tree').waitFor();
    }
    const opened = browser;
    return {
      chamber,
      browser: opened,
      page,
      async close() {
        await opened.close();
        await chamber.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await chamber.close();
    throw error;
  }
}

/** Every request of `page` to an `/api` path, as it happens (a desktop window must make none). */
export function recordApiRequests(page: Page): string[] {
  const requests: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api')) requests.push(request.url());
  });
  return requests;
}

/**
 * Holds the next request of `page` that `matches` at the network until `release()`: the window
 * between a UI's asking and its answer lasts as long as a test needs. `requested` settles when
 * the request is caught.
 */
export async function holdNextRequest(
  page: Page,
  matches: (url: URL) => boolean,
): Promise<{ requested: Promise<void>; release(): void }> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let asked!: () => void;
  const requested = new Promise<void>((resolve) => (asked = resolve));
  await page.route(
    matches,
    async (route) => {
      asked();
      await held;
      await route.continue();
    },
    { times: 1 },
  );
  return { requested, release };
}

export function writeFile(file: string, content = ''): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/**
 * Make `page` a desktop window of `runtime`: the host channel (`window.__CHAMBER_DESKTOP__`) is
 * defined before the bundle loads, and its frames cross to an `IpcHost` in this process, as the
 * desktop host's DevTools pipe carries them. Like the desktop host, one `IpcHost` per document:
 * a reload drops the old document's subscriptions. Call before the first `goto`.
 */
export async function bridgeDesktopChannel(page: Page, runtime: Runtime): Promise<void> {
  let current: { document: string; host: IpcHost } | null = null;
  const hostFor = (document: string): IpcHost => {
    if (current?.document === document) return current.host;
    current?.host.close();
    const host = new IpcHost({
      runtime,
      send: (frame) => {
        if (current?.host !== host) return;
        void page
          .evaluate(
            (t) =>
              (window as unknown as { __CHAMBER_DESKTOP__: { onframe(t: string): void } }).__CHAMBER_DESKTOP__.onframe(
                t,
              ),
            JSON.stringify(frame),
          )
          .catch(() => undefined);
      },
    });
    current = { document, host };
    return host;
  };
  await page.exposeBinding('__chamberHostPost', (_source, document: string, text: string) =>
    hostFor(document).receiveText(text),
  );
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    const document = `${Date.now()}-${Math.random()}`;
    w.__CHAMBER_DESKTOP__ = {
      postFrame: (text: string) => (w.__chamberHostPost as (d: string, t: string) => void)(document, text),
      onframe: null,
    };
  });
}
