/**
 * Launching the desktop app the way `chamber --desktop` does: resolve the data dir and the UI
 * bundle, open the log file, take the single-instance lock (or hand over to the running window),
 * start the host, and clean up when the window closes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  combineLoggers,
  createJsonLogger,
  createRuntime,
  defaultDesktopLogPath,
  LogFile,
  resolveDataDir,
  type Logger,
  type RuntimeOptions,
  type SandboxPolicy,
} from '@chamber/runtime';
import { claimSingleInstance } from './instance/single-instance.js';
import { startDesktopHost, type DesktopHost, type DesktopHostOptions } from './host.js';

export const UI_DIR_ENV = 'CHAMBER_UI_DIR';

export interface DesktopLaunchOptions extends Omit<DesktopHostOptions, 'runtime' | 'uiDir' | 'logger' | 'env'> {
  dataDir?: string;
  homeDir?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** UI bundle directory; default `$CHAMBER_UI_DIR`, else the built UI (packages/ui/dist). */
  uiDir?: string;
  /** Where log lines go besides the log file (default: nowhere). */
  stderr?(text: string): void;
  /** Default `{ mode: 'settings' }`: only approved directories (tests run the other modes too). */
  sandbox?: SandboxPolicy;
  /** OS integration of the desktop-only commands (tests inject fakes). */
  os?: RuntimeOptions['os'];
  /** Git runner environment, timeouts and the AI commit-message endpoint. */
  git?: RuntimeOptions['git'];
  /** Terminal shell, limits and clock. */
  terminal?: RuntimeOptions['terminal'];
  /** The OpenCode agent (off unless `enabled`; `chamber --desktop` turns it on). */
  opencode?: RuntimeOptions['opencode'];
}

export type DesktopLaunch =
  { kind: 'primary'; host: DesktopHost; dataDir: string; logFile: string } | { kind: 'secondary'; dataDir: string };

/** The built workspace UI (`scripts/build-ui.mjs` writes it) when present. */
export function defaultUiDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../ui/dist/', import.meta.url));
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}

export async function launchDesktop(options: DesktopLaunchOptions = {}): Promise<DesktopLaunch> {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? (env.HOME?.trim() ? env.HOME : os.homedir());
  const cwd = options.cwd ?? process.cwd();
  const dataDir = resolveDataDir({ dataDir: options.dataDir, homeDir, cwd, env });
  const uiDir = options.uiDir ?? (env[UI_DIR_ENV]?.trim() ? path.resolve(cwd, env[UI_DIR_ENV]!) : defaultUiDir());
  if (!uiDir) {
    throw new Error('No UI bundle found: run `npm run build:ui` (it builds packages/ui/dist) or pass --ui-dir DIR');
  }

  const logPath = defaultDesktopLogPath(dataDir);
  const logFile = new LogFile({ path: logPath });
  const loggers: Logger[] = [createJsonLogger((line) => logFile.write(line))];
  if (options.stderr) loggers.push(createJsonLogger(options.stderr));
  const logger = combineLoggers(...loggers);

  const claim = await claimSingleInstance({ dataDir, logger });
  if (claim.kind === 'secondary') {
    logger.log('info', 'Chamber is already running for this data directory; asked it to show its window', { dataDir });
    logFile.close();
    return { kind: 'secondary', dataDir };
  }
  const runtime = createRuntime({
    homeDir,
    dataDir,
    cwd,
    env,
    sandbox: options.sandbox ?? { mode: 'settings' },
    logger,
    logFile: logPath,
    os: options.os,
    git: options.git,
    terminal: options.terminal,
    opencode: options.opencode,
  });
  let window: DesktopHost;
  try {
    window = await startDesktopHost({
      runtime,
      uiDir,
      logger,
      env,
      browser: options.browser,
      headless: options.headless,
      browserArgs: options.browserArgs,
      windowStateIntervalMs: options.windowStateIntervalMs,
    });
  } catch (error) {
    await runtime.close();
    logger.log('error', 'The desktop window could not start', { error: (error as Error).message });
    claim.release();
    logFile.close();
    throw error;
  }
  // The runtime is ours: it closes with the window, and `closed` waits for it (its shells, its agent).
  const closed = window.closed.then(async (reason) => {
    await runtime.close();
    return reason;
  });
  const host: DesktopHost = {
    ...window,
    closed,
    async close() {
      await window.close();
      await closed;
    },
  };
  claim.onFocusRequest(() => {
    logger.log('info', 'A second launch asked for the window');
    host.focus().catch((error: unknown) => logger.log('warn', 'Could not focus the window', { error: String(error) }));
  });
  void host.closed.finally(() => {
    claim.release();
    logFile.close();
  });
  return { kind: 'primary', host, dataDir, logFile: logPath };
}

export interface RunDesktopIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Close the window on SIGINT/SIGTERM (the binary sets it; tests do not). */
  handleSignals?: boolean;
}

/** `chamber --desktop`: run until the window closes. Resolves with the process exit code. */
export async function runDesktop(options: DesktopLaunchOptions & { io: RunDesktopIo }): Promise<number> {
  const { io } = options;
  let launch: DesktopLaunch;
  try {
    launch = await launchDesktop({ ...options, stderr: options.stderr ?? io.stderr });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 1;
  }
  if (launch.kind === 'secondary') {
    io.stdout('Chamber is already running; its window was brought to the front.\n');
    return 0;
  }
  const { host } = launch;
  io.stdout(`Chamber desktop window open (logs: ${launch.logFile})\n`);
  const onSignal = () => void host.close();
  if (io.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  await host.closed;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return 0;
}
