/**
 * Starting a real desktop host for a test: the driver process (desktop-driver.ts) with a real
 * Chromium, headless or on an Xvfb display, optionally inside an empty network namespace
 * (`unshare -n`: no interface but a downed loopback), showing the real UI bundle (packages/ui/dist,
 * rebuilt when stale) or, for suites that must be the only caller, a page holding just the client.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { RuntimeOptions, SandboxPolicy } from '@chamber/runtime';
import { build } from 'esbuild';
import { repoRoot } from './paths.js';
import { ensureUiBundle } from './ui.js';

const tsxLoader = pathToFileURL(createRequire(path.join(repoRoot, 'package.json')).resolve('tsx')).href;

/** What every test browser gets (GUIDE: no sandbox as root, no GPU, no background traffic). */
export const TEST_BROWSER_ARGS = ['--disable-gpu', '--disable-dev-shm-usage'];

export interface DriverInfo {
  pid: number;
  browserPid: number;
  origin: string;
  dataDir: string;
  logFile: string;
}

export interface DriverOptions {
  homeDir: string;
  dataDir: string;
  cwd?: string;
  sandbox?: SandboxPolicy;
  /** Git runner options of the host's runtime (pinned environment, AI endpoint). */
  git?: RuntimeOptions['git'];
  /** Headed on this X display (e.g. ':99'); headless when absent. */
  display?: string;
  /** Run inside a new, empty network namespace. */
  netns?: boolean;
  /**
   * HOME of the driver process and so of the browser, which writes there (~/.pki, ~/.cache); by
   * default a fresh directory, so the runtime's home (`homeDir`) stays as the fixture built it.
   */
  processHome?: string;
  /** Extra environment (PATH with fake OS programs, DBUS_SESSION_BUS_ADDRESS, ...). */
  env?: Record<string, string>;
  /** What the window shows: the real UI bundle by default (see `clientPageDir` for the alternative). */
  uiDir?: string;
  /** The host's OpenCode supervisor (off by default, as in the other desktop tests). */
  opencode?: RuntimeOptions['opencode'];
}

export interface DesktopDriver {
  info: DriverInfo;
  /** One request to the driver; rejects with the driver's error text. */
  request<T = unknown>(op: string, fields?: Record<string, unknown>): Promise<T>;
  /** Resolves with the close reason when the host has shut down. */
  closed: Promise<string>;
  /** Close the host if it still runs, and wait for the process to end. */
  stop(): Promise<void>;
}

/** The workspace UI's bundle, rebuilt first when its sources changed (the host's default too). */
export function uiBundleDir(): string {
  ensureUiBundle();
  return path.join(repoRoot, 'packages/ui/dist');
}

const pages = new Map<string, Promise<string>>();

/** Bundle `source` (an ES module, resolved from the repository) into a page of its own, once per process. */
function scriptPageDir(name: string, source: string): Promise<string> {
  let page = pages.get(name);
  if (!page) {
    page = (async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `chamber-${name}-page-`));
      // Removed with the process that built it (a test worker or the benchmark).
      process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
      await build({
        stdin: { contents: source, resolveDir: repoRoot },
        outfile: path.join(dir, 'client.js'),
        bundle: true,
        format: 'esm',
        target: 'es2022',
        platform: 'browser',
        conditions: ['source'],
        logLevel: 'warning',
      });
      fs.writeFileSync(
        path.join(dir, 'index.html'),
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Chamber</title><link rel="icon" href="data:,">' +
          '<script type="module" src="./client.js"></script></head><body></body></html>\n',
      );
      return dir;
    })();
    pages.set(name, page);
  }
  return page;
}

/**
 * A page that installs the real client (`installRuntimeAPIs`, the UI's own first step) and does
 * nothing else: for the parity suite and the benchmark, whose calls must be the only ones (the
 * UI's start-up records `homeDirectory`, which would change the settings and sandbox they compare).
 * Built once per test process from source into a temp dir, removed when the process exits.
 */
export function clientPageDir(): Promise<string> {
  return scriptPageDir('client', "import { installRuntimeAPIs } from '@chamber/client';\ninstallRuntimeAPIs();\n");
}

/**
 * The client page plus the official OpenCode SDK, created exactly as a UI would: on the client's
 * `opencode.fetch` and `opencode.baseUrl`, as `window.__OPENCODE_SDK__`.
 */
export function sdkPageDir(): Promise<string> {
  return scriptPageDir(
    'sdk',
    [
      "import { installRuntimeAPIs } from '@chamber/client';",
      "import { createOpencodeClient } from '@opencode-ai/sdk/v2/client';",
      'const apis = installRuntimeAPIs();',
      'globalThis.__OPENCODE_SDK__ = createOpencodeClient({ baseUrl: apis.opencode.baseUrl, fetch: apis.opencode.fetch });',
      '',
    ].join('\n'),
  );
}

let netnsUsable: boolean | undefined;

/** True when `unshare -n` works here (root, or unprivileged user namespaces). */
export function canUnshareNetwork(): boolean {
  netnsUsable ??= spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  return netnsUsable;
}

export async function startDesktopDriver(options: DriverOptions): Promise<DesktopDriver> {
  const driverOptions = {
    homeDir: options.homeDir,
    dataDir: options.dataDir,
    cwd: options.cwd ?? options.homeDir,
    sandbox: options.sandbox,
    git: options.git,
    uiDir: options.uiDir ?? uiBundleDir(),
    headless: options.display === undefined,
    browserArgs: TEST_BROWSER_ARGS,
    opencode: options.opencode,
  };
  const command = [
    process.execPath,
    '--conditions=source',
    '--import',
    tsxLoader,
    path.join(repoRoot, 'test/support/desktop-driver.ts'),
  ];
  if (options.netns) command.unshift('unshare', '-n');
  const processHome = options.processHome ?? fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-browser-home-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: processHome,
    OPENCHAMBER_DATA_DIR: '',
    CHAMBER_DRIVER_OPTIONS: JSON.stringify(driverOptions),
    ...options.env,
  };
  if (options.display) env.DISPLAY = options.display;
  else delete env.DISPLAY;
  const child: ChildProcess = spawn(command[0] as string, command.slice(1), {
    cwd: driverOptions.cwd,
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
    // Its own process group, so a stuck test can end the driver and its browser together.
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let onReady!: (info: DriverInfo) => void;
  let onClosed!: (reason: string) => void;
  const ready = new Promise<DriverInfo>((resolve) => (onReady = resolve));
  const closed = new Promise<string>((resolve) => (onClosed = resolve));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as {
      event?: string;
      info?: DriverInfo;
      reason?: string;
      id?: number;
      result?: unknown;
      error?: string;
    };
    if (message.event === 'ready') onReady(message.info!);
    else if (message.event === 'closed') onClosed(message.reason ?? 'unknown');
    else if (message.id !== undefined) {
      const entry = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) entry?.reject(new Error(message.error));
      else entry?.resolve(message.result);
    }
  });
  void exited.then(() => {
    onClosed('driver-exited');
    for (const entry of pending.values()) entry.reject(new Error('The desktop driver exited'));
    pending.clear();
  });

  const killGroup = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {}
  };
  let info: DriverInfo;
  try {
    info = await Promise.race([
      ready,
      exited.then(() => Promise.reject(new Error('The desktop driver exited before it was ready'))),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('The desktop driver was not ready within 40 s')), 40_000).unref(),
      ),
    ]);
  } catch (error) {
    killGroup();
    throw error;
  }

  return {
    info,
    closed,
    request<T>(op: string, fields: Record<string, unknown> = {}) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.stdin!.write(`${JSON.stringify({ id, op, ...fields })}\n`);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.write(`${JSON.stringify({ id: 0, op: 'close' })}\n`);
        const timer = setTimeout(killGroup, 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (!options.processHome) fs.rmSync(processHome, { recursive: true, force: true });
    },
  };
}
