/** Real PTYs for terminal tests: a manager in a temp HOME, and a client that records what it gets. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TerminalServerEvent } from '@chamber/contract';
import {
  Sandbox,
  silentLogger,
  TerminalManager,
  type EventSubscription,
  type TerminalManagerOptions,
} from '../../src/index.js';

export interface TerminalFixture {
  home: string;
  work: string;
  manager: TerminalManager;
  cleanup(): Promise<void>;
}

export function shellEnv(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
}

export function terminalFixture(options: Partial<TerminalManagerOptions> = {}): TerminalFixture {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-term-')));
  const work = path.join(home, 'work');
  fs.mkdirSync(work);
  const sandbox = new Sandbox({ policy: { mode: 'open' }, homeDir: home, cwd: work, settingsRoots: async () => [] });
  const manager = new TerminalManager({
    sandbox,
    homeDir: home,
    logger: silentLogger,
    shell: '/bin/bash',
    env: shellEnv(home),
    ...options,
  });
  return {
    home,
    work,
    manager,
    async cleanup() {
      await manager.closeAll();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export interface Recorded {
  payload: TerminalServerEvent;
  position?: number;
}

export interface Client {
  events: Recorded[];
  ended: boolean;
  subscription: EventSubscription;
  /** Concatenated `data` text. */
  text(): string;
  /** Position after the last `data` event. */
  position(): number;
  exit(): Extract<TerminalServerEvent, { type: 'exit' }> | undefined;
}

export function attach(manager: TerminalManager, id: string, since?: number, acknowledges = false): Client {
  const client = {
    events: [] as Recorded[],
    ended: false,
    subscription: undefined as unknown as EventSubscription,
    text: () => client.events.map((e) => (e.payload.type === 'data' ? e.payload.data : '')).join(''),
    position: () => {
      for (let i = client.events.length - 1; i >= 0; i--) {
        const at = client.events[i]?.position;
        if (at !== undefined) return at;
      }
      return since ?? 0;
    },
    exit: () => client.events.map((e) => e.payload).find((p) => p.type === 'exit') as never,
  };
  client.subscription = manager.subscribe(
    id,
    { since, acknowledges },
    {
      send: (payload, position) => client.events.push({ payload: payload as TerminalServerEvent, position }),
      end: () => {
        client.ended = true;
      },
    },
  );
  return client;
}

/** Poll until `condition` holds (bounded: every wait in these tests ends). */
export async function waitFor(condition: () => boolean, what = 'condition', timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Pids of processes whose command line contains `needle`. */
export function pidsMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(needle)) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}
