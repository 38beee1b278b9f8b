/**
 * One desktop host per data directory, without a listening socket: the first launch holds
 * `desktop.lock` (its pid) and reads a FIFO, `desktop.fifo`; a second launch writes `focus` into
 * the FIFO and exits, and the first brings its window to the front.
 *
 * Liveness comes from the FIFO itself: opening it for writing without blocking fails (ENXIO)
 * unless a reader has it open, so a crashed primary is detected however its pid was reused. A
 * lock whose owner is alive but never opens the FIFO is taken over after a few seconds.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '@chamber/runtime';

const run = promisify(execFile);

export const LOCK_FILE = 'desktop.lock';
export const FIFO_FILE = 'desktop.fifo';
const FOCUS_MESSAGE = 'focus';

export interface PrimaryInstance {
  kind: 'primary';
  /** Called whenever a later launch asks for the window. */
  onFocusRequest(listener: () => void): void;
  /** Stop listening and remove the lock and the FIFO. */
  release(): void;
}

export type InstanceClaim = PrimaryInstance | { kind: 'secondary' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/** True when a running primary received the focus request. */
function askPrimaryToFocus(fifo: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  } catch {
    return false; // ENXIO: nobody reads it; ENOENT: no primary ever started here
  }
  try {
    if (!fs.fstatSync(fd).isFIFO()) return false;
    fs.writeSync(fd, `${FOCUS_MESSAGE}\n`);
    return true;
  } catch {
    return false;
  } finally {
    fs.closeSync(fd);
  }
}

function readLockPid(lock: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(lock, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function becomePrimary(fifo: string, lock: string): Promise<PrimaryInstance> {
  fs.rmSync(fifo, { force: true });
  // Node has no mkfifo(); the program exists on Linux and macOS alike.
  await run('mkfifo', ['-m', '600', fifo]);
  // Read-write and non-blocking: opening never waits for a writer, and the stream never sees
  // end-of-file when a writer closes (we hold a write end ourselves).
  const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
  const reader = new net.Socket({ fd, readable: true, writable: false });
  const listeners: (() => void)[] = [];
  let buffered = '';
  reader.setEncoding('utf8');
  reader.on('data', (text: string) => {
    buffered += text;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim() === FOCUS_MESSAGE) for (const listener of listeners) listener();
  });
  reader.unref();
  let released = false;
  return {
    kind: 'primary',
    onFocusRequest: (listener) => void listeners.push(listener),
    release() {
      if (released) return;
      released = true;
      reader.destroy();
      fs.rmSync(fifo, { force: true });
      if (readLockPid(lock) === process.pid) fs.rmSync(lock, { force: true });
    },
  };
}

export async function claimSingleInstance(options: {
  dataDir: string;
  logger: Logger;
  /** How long a live lock holder may take to open its FIFO before we take over (default 5 s). */
  takeoverAfterMs?: number;
}): Promise<InstanceClaim> {
  const lock = path.join(options.dataDir, LOCK_FILE);
  const fifo = path.join(options.dataDir, FIFO_FILE);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const deadline = Date.now() + (options.takeoverAfterMs ?? 5_000);
  for (;;) {
    if (askPrimaryToFocus(fifo)) return { kind: 'secondary' };
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return await becomePrimary(fifo, lock);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
    const holder = readLockPid(lock);
    // An empty lock may be one another launch created a moment ago and is about to fill in.
    const justCreated =
      holder === undefined && Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 1_000;
    if (!justCreated && (holder === undefined || !isAlive(holder) || Date.now() > deadline)) {
      if (holder !== undefined && isAlive(holder)) {
        options.logger.log('warn', 'Taking over a desktop lock whose owner does not answer', { pid: holder, lock });
      }
      fs.rmSync(lock, { force: true });
      continue;
    }
    await sleep(50); // the holder is starting up: its FIFO appears in a moment
  }
}
