/**
 * Start one runtime behind each transport, the way the product runs it: HTTP on a loopback port
 * the OS picks (the real server adapter), IPC frames across a child process's stdio, and the real
 * desktop host (a Chromium window over the DevTools pipe, the client running in its page).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import readline from 'node:readline';
import {
  createDesktopTransport,
  createFrameBridge,
  createWebTransport,
  type DesktopBridge,
  type Transport,
} from '@chamber/client';
import type { IpcResponseFrame } from '@chamber/contract';
import { createRuntime, type Runtime, type RuntimeOptions } from '@chamber/runtime';
import { createServer } from '@chamber/server';
import type { WorkspaceFixture } from './fixtures.js';
import { repoRoot } from './paths.js';
import { clientPageDir, startDesktopDriver, type DesktopDriver } from './desktop.js';

// Resolved from the repository, not the child's cwd: fixtures run the child inside a temp dir
// where `--import tsx` alone would not find the package.
const tsxLoader = pathToFileURL(createRequire(path.join(repoRoot, 'package.json')).resolve('tsx')).href;

export interface RunningTransport {
  transport: Transport;
  /** Web only: the server's base URL, for raw requests. */
  baseUrl?: string;
  /** Web only: the in-process runtime. */
  runtime?: Runtime;
  /** IPC only: send raw text as one frame, and read the raw frames that come back. */
  sendRaw?(text: string): void;
  rawFrames?: IpcResponseFrame[];
  /** IPC only: the child process running the runtime. */
  pid?: number;
  /** Pipe only: the desktop driver (window bounds, screenshots, the page's network log, ...). */
  driver?: DesktopDriver;
  close(): Promise<void>;
}

export type SerializableRuntimeOptions = Pick<RuntimeOptions, 'homeDir' | 'dataDir' | 'cwd' | 'sandbox' | 'git'> & {
  /** Variables the runtime's environment gets on every transport, over what its process has. */
  env?: Record<string, string>;
};

/** A runtime on a fixture with no sandbox: its home, data dir and workspace as the cwd. */
export function openRuntimeOptions(
  fixture: WorkspaceFixture,
): Required<Pick<SerializableRuntimeOptions, 'homeDir' | 'dataDir' | 'cwd' | 'sandbox'>> {
  return { homeDir: fixture.home, dataDir: fixture.dataDir, cwd: fixture.work, sandbox: { mode: 'open' } };
}

export async function startWeb(options: SerializableRuntimeOptions): Promise<RunningTransport> {
  const runtime = createRuntime({ ...options, env: { ...options.env } });
  const server = createServer({ runtime });
  const { url } = await server.listen(0, '127.0.0.1');
  const transport = createWebTransport({ baseUrl: url });
  return {
    transport,
    baseUrl: url,
    runtime,
    async close() {
      transport.close?.();
      await server.close();
      await runtime.close();
    },
  };
}

/** How a desktop-side runner's process starts: extra environment (e.g. fake OS programs first on PATH). */
export interface DesktopSideOptions {
  env?: Record<string, string>;
  /** Pipe only: run the host and its browser inside an empty network namespace. */
  netns?: boolean;
}

export async function startIpc(
  options: SerializableRuntimeOptions,
  side: DesktopSideOptions = {},
): Promise<RunningTransport> {
  // The child's runtime reads its own process environment, so `env` goes there, not in the options.
  const { env: runtimeEnv, ...runtimeOptions } = options;
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', tsxLoader, path.join(repoRoot, 'test/support/ipc-child.ts')],
    {
      cwd: options.cwd ?? repoRoot,
      env: {
        ...process.env,
        ...side.env,
        ...runtimeEnv,
        CHAMBER_IPC_OPTIONS: JSON.stringify(runtimeOptions),
        OPENCHAMBER_DATA_DIR: '',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const rawFrames: IpcResponseFrame[] = [];
  const bridge = createFrameBridge((frame) => child.stdin.write(`${JSON.stringify(frame)}\n`));
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const frame = JSON.parse(line) as IpcResponseFrame;
    rawFrames.push(frame);
    if ('event' in frame && frame.event === 'ipc://ready') onReady();
    else bridge.receive(frame);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.race([
    ready,
    exited.then(() => Promise.reject(new Error('IPC child exited before it was ready'))),
    new Promise((_, reject) => setTimeout(() => reject(new Error('IPC child not ready after 20 s')), 20_000).unref()),
  ]);
  return {
    transport: createDesktopTransport(bridge),
    rawFrames,
    pid: child.pid,
    sendRaw: (text) => child.stdin.write(`${text}\n`),
    async close() {
      bridge.close();
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The desktop host with a real Chromium (headless): each call is made by the client inside the
 * window's page, so it crosses the page binding, the DevTools pipe and the host's IpcHost.
 */
export async function startPipe(
  options: SerializableRuntimeOptions,
  side: DesktopSideOptions = {},
): Promise<RunningTransport> {
  if (!options.homeDir || !options.dataDir) throw new Error('startPipe needs homeDir and dataDir');
  const driver = await startDesktopDriver({
    homeDir: options.homeDir,
    dataDir: options.dataDir,
    cwd: options.cwd,
    sandbox: options.sandbox,
    git: options.git,
    env: { ...side.env, ...options.env },
    netns: side.netns,
    // The parity cases must be the page's only calls: the client alone, not the UI.
    uiDir: await clientPageDir(),
  });
  const bridge: DesktopBridge = {
    async invoke(command, args) {
      const outcome = await driver.request<{
        ok?: unknown;
        error?: { status: number; message: string; detail?: string };
      }>('invoke', {
        command,
        args,
      });
      if (outcome.error) throw outcome.error;
      return outcome.ok;
    },
    listen() {
      throw new Error('Events through the pipe are exercised in the page (test/desktop), not from here');
    },
  };
  return { transport: createDesktopTransport(bridge), driver, close: () => driver.stop() };
}
