/**
 * Runtimes that supervise an OpenCode process, served on both transports: the web server on a
 * loopback port, and an in-process IPC pair (IpcHost ↔ frame bridge, frames through JSON as over
 * the desktop pipe). The binary is the real `opencode` (tests of the agent itself) or
 * `fake-opencode.mjs` (the pass-through's edge cases).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDesktopTransport, createFrameBridge, createRuntimeAPIs, type ChamberRuntimeAPIs } from '@chamber/client';
import { IpcHost } from '@chamber/desktop';
import { createMemoryLogger, createRuntime, type Runtime, type RuntimeOptions } from '@chamber/runtime';
import { createServer, type ChamberServer } from '@chamber/server';
import { repoRoot } from './paths.js';

export { isAlive } from './sockets.js';

export const FAKE_OPENCODE = path.join(repoRoot, 'test/support/fake-opencode.mjs');

export interface AgentRig {
  runtime: Runtime;
  server: ChamberServer;
  /** `http://127.0.0.1:<port>` of the web server. */
  url: string;
  /** The runtime's log lines (messages and fields), for assertions and failure output. */
  log: { message: string; fields?: Record<string, unknown> }[];
  /** The client API over in-process IPC frames (what the desktop window gets). */
  ipc: ChamberRuntimeAPIs;
  /** The pid of the OpenCode process currently running (throws when none). */
  pid(): number;
  close(): Promise<void>;
}

export function tempHome(prefix = 'chamber-agent-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startAgentRig(options: {
  home: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  opencode?: RuntimeOptions['opencode'];
}): Promise<AgentRig> {
  const logger = createMemoryLogger();
  const runtime = createRuntime({
    homeDir: options.home,
    dataDir: path.join(options.home, '.config', 'openchamber'),
    cwd: options.cwd,
    env: { ...process.env, HOME: options.home, OPENCHAMBER_DATA_DIR: '', ...options.env },
    logger,
    opencode: { enabled: true, ...options.opencode },
  });
  const server = createServer({ runtime, logger });
  const { url } = await server.listen(0, '127.0.0.1');
  const { transport, close: closeIpc } = ipcPair(runtime);
  return {
    runtime,
    server,
    url,
    log: logger.lines as AgentRig['log'],
    ipc: createRuntimeAPIs(transport),
    pid() {
      const entry = [...logger.lines].reverse().find((line) => line.message === 'Starting OpenCode');
      const pid = entry?.fields?.pid;
      if (typeof pid !== 'number') throw new Error('no OpenCode process started');
      return pid;
    },
    async close() {
      closeIpc();
      await server.close();
      await runtime.close();
    },
  };
}

/** An IpcHost and a frame bridge joined in this process; frames cross as JSON text, asynchronously. */
export function ipcPair(runtime: Runtime): { transport: ReturnType<typeof createDesktopTransport>; close(): void } {
  const host: IpcHost = new IpcHost({
    runtime,
    send: (frame) => {
      const text = JSON.stringify(frame);
      setImmediate(() => bridge.receive(JSON.parse(text)));
    },
  });
  const bridge = createFrameBridge((frame) => {
    const text = JSON.stringify(frame);
    setImmediate(() => host.receiveText(text));
  });
  const transport = createDesktopTransport(bridge);
  return {
    transport,
    close() {
      bridge.close();
      host.close();
    },
  };
}

/** Poll `check` every 25 ms until it returns a value other than undefined/null/false, or fail after `ms`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  ms: number,
  what: string,
): Promise<Exclude<T, false | undefined | null>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value as Exclude<T, false | undefined | null>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
