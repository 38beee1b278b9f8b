/**
 * The desktop host: a browser window driven over the DevTools pipe that shows the UI bundle at a
 * private origin and reaches the runtime it is handed (in this process) over IPC frames.
 *
 *   browser ──fd 3/4 (CDP, NUL-delimited JSON)── host
 *     page requests  → Fetch.requestPaused → UI bundle (fulfilled), /api and the internet refused
 *     page IPC frame → Runtime.bindingCalled → IpcHost → runtime.invoke → Runtime.evaluate
 *
 * Nothing listens: no TCP port, no socket; the window cannot resolve any host name.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger, Runtime } from '@chamber/runtime';
import type { CdpConnection } from './cdp/connection.js';
import { CdpSession } from './cdp/connection.js';
import { findBrowser } from './browser/find-browser.js';
import { launchBrowser, type LaunchedBrowser } from './browser/launch.js';
import { interceptRequests, type PageRequestRecord } from './window/interceptor.js';
import { PageChannel } from './window/page-channel.js';
import { UiBundle } from './window/ui-bundle.js';
import {
  clampToScreen,
  placementFor,
  readWindowState,
  windowStatePath,
  WindowStateTracker,
  type ScreenArea,
  type WindowBounds,
} from './window/window-state.js';

/** The window's origin. `.invalid` never resolves (RFC 2606), and https makes it a secure context. */
export const PRIVATE_ORIGIN = 'https://chamber.invalid';
export const PROFILE_DIR = 'browser-profile';

/**
 * Like the server's `createServer({ runtime })`, the host is handed a runtime: it drives the window
 * and carries IPC frames to that runtime, and whoever created the runtime closes it (after
 * `closed` resolves).
 */
export interface DesktopHostOptions {
  runtime: Runtime;
  /** The UI bundle directory (must hold an index.html). */
  uiDir: string;
  /** Where the host's own lines go (default: the runtime's logger). */
  logger?: Logger;
  /** Environment for finding and starting the browser (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Browser executable (default: `CHAMBER_BROWSER`, else the first Chromium-family browser found). */
  browser?: string;
  headless?: boolean;
  browserArgs?: readonly string[];
  /** Window-state sampling period (default 500 ms). */
  windowStateIntervalMs?: number;
}

export type DesktopCloseReason = 'window-closed' | 'browser-exited' | 'host-closed';

export interface DesktopHost {
  readonly runtime: Runtime;
  readonly origin: string;
  readonly browserPid: number;
  /** The window's page session (automation and tests evaluate in the page through it). */
  readonly page: CdpSession;
  readonly connection: CdpConnection;
  /** The browser window id (`Browser.getWindowBounds`). */
  readonly windowId: number;
  /** The last requests the window made, oldest first (diagnostics, tests). */
  readonly requests: readonly PageRequestRecord[];
  /** Resolves once the window is shut down: browser exited, window state saved (the runtime is the caller's). */
  readonly closed: Promise<DesktopCloseReason>;
  focus(): Promise<void>;
  close(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;
const BROWSER_EXIT_GRACE_MS = 5_000;
const REQUEST_HISTORY = 500;
const STDERR_TAIL_LINES = 40;

interface AttachedToTarget {
  sessionId: string;
  targetInfo: { targetId: string; type: string; url: string };
  waitingForDebugger: boolean;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });
}

export async function startDesktopHost(options: DesktopHostOptions): Promise<DesktopHost> {
  const { runtime } = options;
  const logger = options.logger ?? runtime.logger;
  const env = options.env ?? process.env;
  const bundle = await UiBundle.open(options.uiDir);
  const executable = options.browser ?? findBrowser({ env, homeDir: runtime.homeDir });
  const stateFile = windowStatePath(runtime.dataDir);
  const saved = await readWindowState(stateFile);
  const profileDir = path.join(runtime.dataDir, PROFILE_DIR);
  fs.mkdirSync(profileDir, { recursive: true, mode: 0o700 });

  const appUrl = `${PRIVATE_ORIGIN}/`;
  let stderrTail: string[] = [];
  const browser: LaunchedBrowser = launchBrowser({
    executable,
    appUrl,
    profileDir,
    placement: placementFor(saved),
    headless: options.headless,
    extraArgs: options.browserArgs,
    env,
    onStderr: (text) => {
      stderrTail = [...stderrTail, ...text.split('\n').filter(Boolean)].slice(-STDERR_TAIL_LINES);
    },
  });
  const { connection } = browser;
  logger.log('info', 'Desktop window starting', { browser: executable, pid: browser.pid, uiDir: bundle.dir });

  const requests: PageRequestRecord[] = [];
  const recordRequest = (record: PageRequestRecord) => {
    requests.push(record);
    if (requests.length > REQUEST_HISTORY) requests.shift();
  };

  // Every new target (the window, and any popup it opens) waits for us before it runs a line,
  // so its first request is already intercepted.
  let resolveWindow!: (attached: AttachedToTarget) => void;
  const windowAttached = new Promise<AttachedToTarget>((resolve) => (resolveWindow = resolve));
  let windowTargetId: string | undefined;
  connection.on('Target.attachedToTarget', (params) => {
    const attached = params as AttachedToTarget;
    if (attached.targetInfo.type === 'page' && windowTargetId === undefined) {
      windowTargetId = attached.targetInfo.targetId;
      resolveWindow(attached);
      return;
    }
    void guardSecondaryTarget(new CdpSession(connection, attached.sessionId), attached, bundle, logger, recordRequest);
  });

  let shutdown: (reason: DesktopCloseReason) => Promise<void> = async () => {};
  try {
    await connection.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    const attached = await withTimeout(
      Promise.race([windowAttached, browser.exited.then((exit) => Promise.reject(browserFailure(exit, stderrTail)))]),
      STARTUP_TIMEOUT_MS,
      'The browser window',
    );
    const page = new CdpSession(connection, attached.sessionId);
    interceptRequests(page, { origin: PRIVATE_ORIGIN, bundle, logger, onRequest: recordRequest });
    const channel = await PageChannel.install({
      session: page,
      origin: PRIVATE_ORIGIN,
      mainFrameId: attached.targetInfo.targetId,
      runtime,
      logger,
    });
    forwardPageErrors(page, logger);
    const loaded = nextLoad(page);
    await page.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    if (attached.waitingForDebugger) await page.send('Runtime.runIfWaitingForDebugger');
    // The window may have started loading before it was attached (a headed browser creates it
    // early); loading again now guarantees the shown document came through the interceptor.
    await page.send('Page.navigate', { url: appUrl });
    await withTimeout(loaded, STARTUP_TIMEOUT_MS, 'Loading the UI');

    const { windowId } = await connection.send<{ windowId: number }>('Browser.getWindowForTarget', {
      targetId: attached.targetInfo.targetId,
    });
    const readBounds = async () =>
      (await connection.send<{ bounds: WindowBounds }>('Browser.getWindowBounds', { windowId })).bounds;
    await restorePlacement(page, connection, windowId, saved);
    const tracker = new WindowStateTracker({
      file: stateFile,
      initial: saved,
      readBounds,
      logger,
      intervalMs: options.windowStateIntervalMs,
    });
    await tracker.sample();
    tracker.start();

    let closing: Promise<void> | undefined;
    let resolveClosed!: (reason: DesktopCloseReason) => void;
    const closed = new Promise<DesktopCloseReason>((resolve) => (resolveClosed = resolve));
    shutdown = (reason) =>
      (closing ??= (async () => {
        logger.log('info', 'Desktop window closing', { reason });
        await tracker.stop();
        channel.close();
        await stopBrowser(browser);
        logger.log('info', 'Desktop host stopped', { reason });
        resolveClosed(reason);
      })());

    connection.on('Target.targetDestroyed', (params) => {
      if ((params as { targetId: string }).targetId === windowTargetId) void shutdown('window-closed');
    });
    connection.on('Target.detachedFromTarget', (params) => {
      if ((params as { sessionId: string }).sessionId === page.sessionId) void shutdown('window-closed');
    });
    page.on('Inspector.targetCrashed', () => {
      logger.log('error', 'The window page crashed; reloading it', { stderr: stderrTail.slice(-10) });
      void page.send('Page.reload').catch(() => undefined);
    });
    void browser.exited.then((exit) => {
      if (!closing && (exit.code !== 0 || exit.signal)) {
        logger.log('error', 'The browser exited unexpectedly', { ...exitFields(exit), stderr: stderrTail.slice(-10) });
      }
      void shutdown('browser-exited');
    });

    logger.log('info', 'Desktop window ready', { origin: PRIVATE_ORIGIN, windowId });
    return {
      runtime,
      origin: PRIVATE_ORIGIN,
      browserPid: browser.pid,
      page,
      connection,
      windowId,
      requests,
      closed,
      async focus() {
        const bounds = await readBounds().catch(() => undefined);
        if (bounds?.windowState === 'minimized') {
          await connection.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'normal' } });
        }
        await page.send('Page.bringToFront');
        await connection.send('Target.activateTarget', { targetId: attached.targetInfo.targetId });
        logger.log('info', 'Window brought to the front');
      },
      close: () => shutdown('host-closed'),
    };
  } catch (error) {
    await stopBrowser(browser);
    throw error;
  }
}

/** Resolves at the next load of a document from the private origin in the main frame. */
function nextLoad(page: CdpSession): Promise<void> {
  return new Promise((resolve) => {
    let ours = false;
    const stopNavigated = page.on<{ frame: { parentId?: string; url: string } }>('Page.frameNavigated', ({ frame }) => {
      if (!frame.parentId) ours = frame.url.startsWith(`${PRIVATE_ORIGIN}/`);
    });
    const stopLoad = page.on('Page.loadEventFired', () => {
      if (!ours) return;
      stopNavigated();
      stopLoad();
      resolve();
    });
  });
}

/** Put the window back where it was, kept on the screen it opens on (desktop-ipc.md §8.1). */
async function restorePlacement(
  page: CdpSession,
  connection: CdpConnection,
  windowId: number,
  saved: Awaited<ReturnType<typeof readWindowState>>,
): Promise<void> {
  if (!saved) return;
  try {
    if (saved.isMaximized) {
      await connection.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'maximized' } });
      return;
    }
    const { result } = await page.send<{ result: { value: ScreenArea } }>('Runtime.evaluate', {
      expression:
        '({ availLeft: screen.availLeft || 0, availTop: screen.availTop || 0, availWidth: screen.availWidth, availHeight: screen.availHeight })',
      returnByValue: true,
    });
    const clamped = clampToScreen(saved, result.value);
    await connection.send('Browser.setWindowBounds', {
      windowId,
      bounds: { left: clamped.x, top: clamped.y, width: clamped.width, height: clamped.height },
    });
  } catch {
    // Headless browsers and some window managers refuse placement; the window stays usable.
  }
}

/**
 * A popup or worker the window started: its requests get the same interception (so it cannot
 * reach the network either), but no IPC channel.
 */
async function guardSecondaryTarget(
  session: CdpSession,
  attached: AttachedToTarget,
  bundle: UiBundle,
  logger: Logger,
  onRequest: (record: PageRequestRecord) => void,
): Promise<void> {
  logger.log('info', 'The window opened another target; it gets no IPC access', {
    type: attached.targetInfo.type,
    url: attached.targetInfo.url.slice(0, 200),
  });
  interceptRequests(session, { origin: PRIVATE_ORIGIN, bundle, logger, onRequest });
  await session
    .send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] })
    .catch(() => undefined);
  if (attached.waitingForDebugger) await session.send('Runtime.runIfWaitingForDebugger').catch(() => undefined);
}

function forwardPageErrors(page: CdpSession, logger: Logger): void {
  page.on<{ exceptionDetails: { text?: string; exception?: { description?: string } } }>(
    'Runtime.exceptionThrown',
    ({ exceptionDetails }) => {
      const text = exceptionDetails.exception?.description ?? exceptionDetails.text ?? 'unknown error';
      logger.log('warn', 'Uncaught exception in the window', { error: text.slice(0, 2000) });
    },
  );
  page.on<{ type: string; args: { value?: unknown; description?: string }[] }>('Runtime.consoleAPICalled', (call) => {
    if (call.type !== 'error' && call.type !== 'warning') return;
    const text = call.args
      .map((arg) => (arg.value !== undefined ? String(arg.value) : (arg.description ?? '')))
      .join(' ');
    logger.log(call.type === 'error' ? 'warn' : 'info', 'Window console', {
      type: call.type,
      text: text.slice(0, 2000),
    });
  });
}

async function stopBrowser(browser: LaunchedBrowser): Promise<void> {
  if (browser.process.exitCode !== null || browser.process.signalCode !== null) return;
  await browser.connection.send('Browser.close').catch(() => undefined);
  const timer = setTimeout(() => browser.process.kill('SIGKILL'), BROWSER_EXIT_GRACE_MS);
  await browser.exited;
  clearTimeout(timer);
}

function exitFields(exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error }) {
  return { code: exit.code, signal: exit.signal, ...(exit.error && { error: exit.error.message }) };
}

function browserFailure(exit: { code: number | null; signal: NodeJS.Signals | null; error?: Error }, tail: string[]) {
  const how = exit.error ? exit.error.message : exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  return new Error(
    `The browser stopped before its window opened (${how})${tail.length ? `:\n${tail.join('\n')}` : ''}`,
  );
}
