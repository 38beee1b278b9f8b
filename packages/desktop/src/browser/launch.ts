/**
 * Start the browser as the desktop window: app mode (no tabs, no address bar) on the private
 * origin, DevTools over a pipe on fds 3/4 (never a port), a profile of its own in the data dir,
 * and every host name unresolvable, so nothing the window does can leave the machine: the only
 * answers it gets are the ones the host fulfils by request interception.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { CdpConnection } from '../cdp/connection.js';

export interface WindowPlacement {
  width: number;
  height: number;
  /** Absent: let the window manager place it. */
  x?: number;
  y?: number;
  maximized: boolean;
}

export interface BrowserLaunchOptions {
  executable: string;
  /** The page the window opens (the private origin). */
  appUrl: string;
  profileDir: string;
  placement: WindowPlacement;
  /** No window at all (tests, benchmarks). */
  headless?: boolean;
  /** Appended after ours (tests add `--disable-gpu`, ...). */
  extraArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Chromium is chatty on stderr; the host keeps the tail for crash reports. */
  onStderr?(text: string): void;
}

export interface LaunchedBrowser {
  process: ChildProcess;
  pid: number;
  connection: CdpConnection;
  exited: Promise<BrowserExit>;
}

export interface BrowserExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the browser could not be started at all. */
  error?: Error;
}

export function browserArgs(options: BrowserLaunchOptions): string[] {
  const { placement } = options;
  const args = [
    `--app=${options.appUrl}`,
    '--remote-debugging-pipe',
    `--user-data-dir=${options.profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
    '--disable-features=Translate,MediaRouter,OptimizationHints',
    // Offline by construction: no host name resolves. The private origin never needs DNS
    // (its requests are fulfilled before they would reach the network).
    '--host-resolver-rules=MAP * ~NOTFOUND',
    // Chromium lists --host-resolver-rules among its "unsupported" flags and would show a
    // permanent infobar about it above the app; --test-type (as ChromeDriver passes) suppresses
    // that bar only. The rule itself stays in force: the window is still offline.
    '--test-type',
    // Without a keyring prompt on Linux desktops where none is unlocked.
    '--password-store=basic',
    // A window killed with its host comes back without the "restore pages?" bubble.
    '--hide-crash-restore-bubble',
    '--class=Chamber',
    `--window-size=${Math.round(placement.width)},${Math.round(placement.height)}`,
  ];
  if (placement.x !== undefined && placement.y !== undefined) {
    args.push(`--window-position=${Math.round(placement.x)},${Math.round(placement.y)}`);
  }
  if (placement.maximized) args.push('--start-maximized');
  if (options.headless) args.push('--headless=new');
  // Chromium refuses to start as root with its sandbox on (containers, CI).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  args.push(...(options.extraArgs ?? []));
  return args;
}

export function launchBrowser(options: BrowserLaunchOptions): LaunchedBrowser {
  const child = spawn(options.executable, browserArgs(options), {
    env: options.env ?? process.env,
    // fd 3: commands to the browser, fd 4: answers and events from it.
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<BrowserExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => options.onStderr?.(text));
  const connection = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  return { process: child, pid: child.pid ?? -1, connection, exited };
}
