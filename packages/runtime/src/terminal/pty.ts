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
 * - **Input never blocks the process.** node-pty writes input through a libuv TTY stream, which
 *   retries `EAGAIN` in a loop inside the write call: a paste into a terminal whose program does
 *   not read (raw mode, busy, or blocked on output nobody drains) froze every request of the
 *   server at full CPU until the program read. Input is written to the master descriptor here
 *   (non-blocking), queued in order, retried on a backing-off timer, and bounded: past
 *   `PTY_MAX_PENDING_INPUT` bytes waiting, `write` refuses with `Terminal busy`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type * as NodePty from '@lydell/node-pty';
import { createUtf8StreamDecoder, RuntimeError } from '@chamber/contract';
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

/** Input bytes kept for a program that does not read them; a paste of a big file fits. */
export const PTY_MAX_PENDING_INPUT = 4 * 1024 * 1024;
/** What `write` refuses with while that much input waits (the desktop reference's words). */
export const PTY_BUSY = 'Terminal busy';
/** A write the terminal cannot take yet is retried after this, doubling up to the maximum. */
const INPUT_RETRY_MIN_MS = 2;
const INPUT_RETRY_MAX_MS = 100;

/**
 * Input to a PTY's master descriptor: one write at a time in order, `EAGAIN` retried on a timer.
 * The descriptor belongs to node-pty, so `close()` must run before node-pty closes it (a later
 * write could land in whatever file reuses the number).
 */
class PtyInput {
  readonly #fd: number;
  #queue: Buffer[] = [];
  #bytes = 0;
  #writing = false;
  #closed = false;
  #retryMs = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(fd: number) {
    this.#fd = fd;
  }

  write(text: string): void {
    if (this.#closed || text.length === 0) return;
    const bytes = Buffer.from(text, 'utf8');
    if (this.#bytes + bytes.length > PTY_MAX_PENDING_INPUT) throw new RuntimeError(503, PTY_BUSY);
    this.#queue.push(bytes);
    this.#bytes += bytes.length;
    if (!this.#timer) this.#flush();
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue = [];
    this.#bytes = 0;
  }

  #flush(): void {
    this.#timer = undefined;
    const chunk = this.#queue[0];
    if (this.#closed || this.#writing || !chunk) return;
    this.#writing = true;
    fs.write(this.#fd, chunk, 0, chunk.length, null, (error, written) => {
      this.#writing = false;
      if (this.#closed) return;
      if (error) {
        if (error.code !== 'EAGAIN' && error.code !== 'EWOULDBLOCK' && error.code !== 'EINTR') return this.close();
        this.#retryMs = Math.min(INPUT_RETRY_MAX_MS, Math.max(INPUT_RETRY_MIN_MS, this.#retryMs * 2));
        this.#timer = setTimeout(() => this.#flush(), this.#retryMs);
        return;
      }
      this.#retryMs = 0;
      this.#bytes -= written;
      if (written < chunk.length) this.#queue[0] = chunk.subarray(written);
      else this.#queue.shift();
      this.#flush();
    });
  }
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

  const socket = (term as unknown as { _socket?: PtySocket })._socket;
  const fd = (term as unknown as { fd?: unknown }).fd;
  // Only where node-pty's closing of the descriptor can be seen (below); else node-pty writes.
  const canWrite = process.platform !== 'win32' && typeof fd === 'number' && typeof socket?.destroy === 'function';
  const input = canWrite ? new PtyInput(fd) : null;

  // node-pty rethrows socket errors other than EIO when nobody else listens.
  (term as unknown as { on?(event: string, listener: () => void): void }).on?.('error', () => {});

  term.onData((chunk) => {
    reads++;
    const text = decoder.write(chunk as unknown as Uint8Array);
    if (text) handlers.onData(text);
  });
  term.onExit(({ exitCode, signal }) => {
    exited = true;
    input?.close();
    releaseSlave();
    const tail = decoder.end();
    if (tail) handlers.onData(tail);
    handlers.onExit({ exitCode, signal: signal ?? 0 });
  });

  if (socket && typeof socket.destroy === 'function' && slave === null) {
    const destroy = socket.destroy.bind(socket);
    socket.destroy = (error?: Error) => {
      input?.close(); // before node-pty closes the descriptor
      return destroy(error);
    };
  } else if (socket && typeof socket.destroy === 'function') {
    const destroy = socket.destroy.bind(socket);
    socket.destroy = (error?: Error) => {
      if (error || drained) {
        input?.close(); // before node-pty closes the descriptor
        releaseSlave();
        return destroy(error);
      }
      if (!draining) {
        draining = true;
        input?.close(); // the program is gone: nothing reads input any more
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
          input?.close();
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
      if (exited) return;
      if (input) input.write(text);
      else term.write(text);
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
