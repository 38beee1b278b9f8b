/**
 * One PTY over `@lydell/node-pty` (node-pty with prebuilt binaries), with the two fixes the
 * terminal needs beyond it:
 *
 * - **UTF-8 across reads.** Output is read as bytes and decoded with one streaming decoder per
 *   PTY, so a character split between two reads is decoded whole (the desktop reference decoded
 *   each read on its own and printed U+FFFD).
 * - **No tail loss at exit.** On Linux, when the last process holding the PTY's slave side exits,
 *   reads of the master may end before the kernel has handed over everything it buffered, and
 *   node-pty also drops its socket 200 ms after the child exits whether or not it was read. We
 *   hold a slave descriptor ourselves, so the kernel keeps the buffered output; when node-pty
 *   wants to drop the socket we first read until the PTY has been quiet for two consecutive
 *   polls, then release the slave and let node-pty report the exit.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as NodePty from '@lydell/node-pty';
import { createUtf8StreamDecoder } from '@chamber/contract';
import { signalSession } from './process-tree.js';

export interface PtyExit {
  exitCode: number;
  /** Signal number that ended the shell; 0 after a normal exit. */
  signal: number;
}

export interface PtySpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface PtyHandlers {
  onData(text: string): void;
  /** After every byte of output has been passed to `onData`. */
  onExit(exit: PtyExit): void;
}

export interface Pty {
  readonly pid: number;
  write(text: string): void;
  resize(cols: number, rows: number): void;
  /** Stop reading: the kernel buffer fills and the programs writing to the terminal block. */
  pause(): void;
  resume(): void;
  /** SIGHUP to every process of the shell's session (what closing a terminal window does). */
  hangup(): void;
  /** SIGKILL to the shell's process group, for a shell that ignores SIGHUP. */
  kill(): void;
}

/** How often the exit drain checks for more output, and the longest it keeps reading. */
const DRAIN_POLL_MS = 10;
const DRAIN_MAX_MS = 2_000;

const require = createRequire(import.meta.url);
let nodePty: typeof NodePty | undefined;

function loadNodePty(): typeof NodePty {
  if (!nodePty) {
    try {
      nodePty = require('@lydell/node-pty') as typeof NodePty;
    } catch (error) {
      throw new Error(`Terminal support is not available: ${(error as Error).message}`, { cause: error });
    }
  }
  return nodePty;
}

/** The parts of node-pty's socket we reach into (see the module comment). */
interface PtySocket {
  destroy(error?: Error): unknown;
}

export function spawnPty(options: PtySpawnOptions, handlers: PtyHandlers): Pty {
  const term = loadNodePty().spawn(options.file, options.args, {
    name: 'xterm-256color',
    cols: options.cols,
    rows: options.rows,
    cwd: options.cwd,
    env: options.env,
    encoding: null,
  });
  const oneShot = new TextDecoder('utf-8');
  const decoder = createUtf8StreamDecoder((bytes) => oneShot.decode(bytes));
  let reads = 0;
  let draining = false;
  let drained = false;
  let exited = false;

  let slave: number | null = null;
  try {
    slave = fs.openSync((term as unknown as { ptsName: string }).ptsName, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
  } catch {
    // Without it we are no worse off than plain node-pty.
  }
  const releaseSlave = (): void => {
    if (slave === null) return;
    try {
      fs.closeSync(slave);
    } catch {}
    slave = null;
  };

  // node-pty rethrows socket errors other than EIO when nobody else listens.
  (term as unknown as { on?(event: string, listener: () => void): void }).on?.('error', () => {});

  term.onData((chunk) => {
    reads++;
    const text = decoder.write(chunk as unknown as Uint8Array);
    if (text) handlers.onData(text);
  });
  term.onExit(({ exitCode, signal }) => {
    exited = true;
    releaseSlave();
    const tail = decoder.end();
    if (tail) handlers.onData(tail);
    handlers.onExit({ exitCode, signal: signal ?? 0 });
  });

  const socket = (term as unknown as { _socket?: PtySocket })._socket;
  if (socket && typeof socket.destroy === 'function' && slave !== null) {
    const destroy = socket.destroy.bind(socket);
    socket.destroy = (error?: Error) => {
      if (error || drained) {
        releaseSlave();
        return destroy(error);
      }
      if (!draining) {
        draining = true;
        term.resume();
        const started = Date.now();
        let seen = reads;
        let quiet = 0;
        const poll = (): void => {
          if (reads !== seen) {
            seen = reads;
            quiet = 0;
          } else {
            quiet++;
          }
          // Two quiet polls: at least one full event-loop turn read nothing more.
          if (quiet < 2 && Date.now() - started < DRAIN_MAX_MS) return void setTimeout(poll, DRAIN_POLL_MS);
          drained = true;
          releaseSlave();
          destroy();
        };
        setTimeout(poll, DRAIN_POLL_MS);
      }
      return socket;
    };
  }

  return {
    pid: term.pid,
    write(text) {
      if (!exited) term.write(text);
    },
    resize(cols, rows) {
      if (!exited) term.resize(cols, rows);
    },
    pause() {
      if (!draining && !exited) term.pause();
    },
    resume() {
      if (!exited) term.resume();
    },
    hangup() {
      if (!exited) signalSession(term.pid, 'SIGHUP');
    },
    kill() {
      if (exited) return;
      try {
        process.kill(-term.pid, 'SIGKILL');
      } catch {}
      try {
        process.kill(term.pid, 'SIGKILL');
      } catch {}
    },
  };
}
