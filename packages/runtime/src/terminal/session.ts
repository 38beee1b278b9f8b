/**
 * One terminal session: a PTY, its recent output (`OutputLog`), and the clients attached to it.
 *
 * Output is batched (the first chunk after a pause goes out at once, later ones every `batchMs`),
 * appended to the log, and pumped to each client from that client's own position. A client
 * that acknowledges (our client, on every transport) may be at most `highWatermark` characters
 * ahead of its last acknowledgement; past that it gets nothing more, and the PTY is paused, until
 * it acknowledges down to `lowWatermark` (the contract's `EVENT_FLOW`). A client whose connection
 * is not draining is held the same way. A client stuck for `stallMs` stops holding the PTY: it is
 * treated like a disconnected one and catches up from the log when it moves again.
 */
import { performance } from 'node:perf_hooks';
import { EVENT_FLOW, type TerminalServerEvent } from '@chamber/contract';
import type { Logger } from '../logger.js';
import type { EventSink, EventSubscription } from '../subscriptions.js';
import { OutputLog } from './output-log.js';
import type { Pty, PtyExit } from './pty.js';

export interface FlowLimits {
  /** Characters of output kept for replay (about 1 MiB). */
  bufferChars: number;
  highWatermark: number;
  lowWatermark: number;
  batchMs: number;
  stallMs: number;
  /** Largest `data` event, in characters. */
  maxEventChars: number;
}

export const DEFAULT_FLOW_LIMITS: FlowLimits = {
  bufferChars: 1024 * 1024,
  highWatermark: EVENT_FLOW.window,
  lowWatermark: EVENT_FLOW.resumeAt,
  batchMs: 5,
  stallMs: 5_000,
  maxEventChars: 64 * 1024,
};

interface Client {
  id: number;
  sink: EventSink;
  acknowledges: boolean;
  /** Position after the last character sent to this client. */
  sent: number;
  acked: number;
  /** Over the high watermark, waiting for acknowledgements. */
  full: boolean;
  /** The transport reported back-pressure. */
  congested: boolean;
  /** When the client stopped taking output (full or congested), in ms of `performance.now()`. */
  blockedSince: number;
  done: boolean;
}

export interface SessionDeps {
  id: string;
  cwd: string;
  cols: number;
  rows: number;
  limits: FlowLimits;
  logger: Logger;
  /** Wall clock for idle accounting (injectable). */
  now: () => number;
}

export class TerminalSession {
  readonly id: string;
  readonly cwd: string;
  cols: number;
  rows: number;
  lastActivity: number;
  /** Set once the PTY has exited and every byte of its output is in the log. */
  exit: PtyExit | undefined;
  /** When `exit` was set (wall clock). */
  exitedAt = 0;

  readonly #deps: SessionDeps;
  readonly #log: OutputLog;
  readonly #clients = new Set<Client>();
  #pty: Pty | undefined;
  #pending: string[] = [];
  #pendingLength = 0;
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #lastFlush = Number.NEGATIVE_INFINITY;
  #stallTimer: ReturnType<typeof setTimeout> | null = null;
  /** Furthest position sent to any client: the default start for a client that names none. */
  #delivered = 0;
  #paused = false;
  #pausedAt = 0;
  readonly #flow = { pauses: 0, pausedMs: 0 };
  #nextClientId = 1;
  readonly #exitWaiters: (() => void)[] = [];

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    this.id = deps.id;
    this.cwd = deps.cwd;
    this.cols = deps.cols;
    this.rows = deps.rows;
    this.lastActivity = deps.now();
    this.#log = new OutputLog(deps.limits.bufferChars);
  }

  /** Called once the PTY exists; output handlers are `handleOutput` / `handleExit`. */
  bind(pty: Pty): void {
    this.#pty = pty;
  }

  get pid(): number | undefined {
    return this.#pty?.pid;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Positions of the kept output (for tests and diagnostics). */
  get output(): { start: number; end: number; pending: number } {
    return { start: this.#log.start, end: this.#log.end, pending: this.#pendingLength };
  }

  /** How often flow control paused the PTY and for how long in all (for diagnostics and the benchmark). */
  get flow(): { pauses: number; pausedMs: number } {
    const ongoing = this.#paused ? performance.now() - this.#pausedAt : 0;
    return { pauses: this.#flow.pauses, pausedMs: this.#flow.pausedMs + ongoing };
  }

  /** Resolves when the PTY has exited and its output is complete. */
  exited(): Promise<void> {
    if (this.exit) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  write(data: string): void {
    this.lastActivity = this.#deps.now();
    this.#pty?.write(data);
  }

  resize(cols: number, rows: number): void {
    this.lastActivity = this.#deps.now();
    this.#pty?.resize(cols, rows);
    this.cols = cols;
    this.rows = rows;
  }

  hangup(): void {
    this.#pty?.hangup();
  }

  kill(): void {
    this.#pty?.kill();
  }

  // -- output ------------------------------------------------------------------------------------

  handleOutput(text: string): void {
    this.#pending.push(text);
    this.#pendingLength += text.length;
    if (this.#pendingLength >= this.#deps.limits.maxEventChars) return this.#flush();
    if (this.#flushTimer !== null) return;
    const wait = this.#lastFlush + this.#deps.limits.batchMs - performance.now();
    if (wait <= 0) return this.#flush();
    this.#flushTimer = setTimeout(() => this.#flush(), wait);
  }

  handleExit(exit: PtyExit): void {
    this.#flush();
    this.exit = exit;
    this.exitedAt = this.#deps.now();
    this.#setPaused(false);
    if (this.#stallTimer !== null) clearTimeout(this.#stallTimer);
    this.#deps.logger.log('info', 'Terminal session exited', { sessionId: this.id, ...exit, flow: this.flow });
    for (const client of [...this.#clients]) this.#pump(client);
    for (const resolve of this.#exitWaiters.splice(0)) resolve();
  }

  #flush(): void {
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#pendingLength === 0) return;
    this.#lastFlush = performance.now();
    this.#log.append(this.#pending.length === 1 ? (this.#pending[0] as string) : this.#pending.join(''));
    this.#pending = [];
    this.#pendingLength = 0;
    for (const client of [...this.#clients]) this.#pump(client);
    this.#updatePause();
  }

  // -- clients -----------------------------------------------------------------------------------

  /**
   * Attach a client: `connected`, then the output after `since` (clamped to what is kept; without
   * `since`, the output no client has been sent yet), then live output, then `exit`.
   */
  attach(since: number | undefined, sink: EventSink, acknowledges: boolean): EventSubscription {
    const start = Math.min(since ?? this.#delivered, this.#log.end);
    const client: Client = {
      id: this.#nextClientId++,
      sink,
      acknowledges,
      sent: start,
      acked: start,
      full: false,
      congested: false,
      blockedSince: 0,
      done: false,
    };
    this.lastActivity = this.#deps.now();
    this.#clients.add(client);
    this.#deps.logger.log('info', 'Client connected to terminal session', { sessionId: this.id, client: client.id });
    this.#send(client, { type: 'connected' });
    this.#pump(client);
    return {
      ack: (position) => this.#ack(client, position),
      setCongested: (congested) => {
        if (client.done || client.congested === congested) return;
        client.congested = congested;
        if (congested) client.blockedSince = performance.now();
        else this.#pump(client);
        this.#updatePause();
      },
      close: () => this.#detach(client),
    };
  }

  #detach(client: Client): void {
    if (!this.#clients.delete(client)) return;
    client.done = true;
    this.lastActivity = this.#deps.now();
    this.#deps.logger.log('info', 'Client disconnected from terminal session', {
      sessionId: this.id,
      client: client.id,
    });
    this.#updatePause();
  }

  #ack(client: Client, position: number): void {
    if (client.done || !Number.isFinite(position)) return;
    client.acked = Math.max(client.acked, Math.min(position, client.sent));
    if (client.full && client.sent - client.acked <= this.#deps.limits.lowWatermark) {
      client.full = false;
      this.#pump(client);
      this.#updatePause();
    }
  }

  #blocked(client: Client): boolean {
    return client.full || client.congested;
  }

  #pump(client: Client): void {
    const { limits } = this.#deps;
    let sentSomething = false;
    while (!client.done && !this.#blocked(client) && client.sent < this.#log.end) {
      // Output older than the log is gone for this client; it continues from what is kept.
      if (client.sent < this.#log.start) client.sent = client.acked = this.#log.start;
      const text = this.#log.read(client.sent, limits.maxEventChars);
      client.sent += text.length;
      sentSomething = true;
      this.#send(client, { type: 'data', data: text }, client.sent);
      if (client.acknowledges && client.sent - client.acked >= limits.highWatermark && !client.full) {
        client.full = true;
        client.blockedSince = performance.now();
      }
    }
    if (client.sent > this.#delivered) this.#delivered = client.sent;
    if (sentSomething) this.lastActivity = this.#deps.now();
    if (this.exit && !client.done && client.sent >= this.#log.end) {
      const { exitCode, signal } = this.exit;
      this.#send(client, { type: 'exit', exitCode, signal });
      this.#clients.delete(client);
      client.done = true;
      try {
        client.sink.end();
      } catch {}
    }
  }

  #send(client: Client, event: TerminalServerEvent, position?: number): void {
    try {
      client.sink.send(event, position);
    } catch (error) {
      this.#deps.logger.log('warn', 'Terminal client failed to take an event', {
        sessionId: this.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Paused while a client that is still moving is blocked; a client stuck for `stallMs` no longer counts. */
  #updatePause(): void {
    if (this.exit) return;
    const now = performance.now();
    let hold = false;
    let nextStall = Number.POSITIVE_INFINITY;
    for (const client of this.#clients) {
      if (!this.#blocked(client)) continue;
      const stallAt = client.blockedSince + this.#deps.limits.stallMs;
      if (stallAt > now) {
        hold = true;
        nextStall = Math.min(nextStall, stallAt);
      }
    }
    this.#setPaused(hold);
    if (this.#stallTimer !== null) clearTimeout(this.#stallTimer);
    this.#stallTimer = null;
    if (hold && Number.isFinite(nextStall)) {
      this.#stallTimer = setTimeout(() => this.#updatePause(), Math.max(1, nextStall - now));
      this.#stallTimer.unref?.();
    }
  }

  #setPaused(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    if (paused) {
      this.#flow.pauses++;
      this.#pausedAt = performance.now();
    } else {
      this.#flow.pausedMs += performance.now() - this.#pausedAt;
      // Output after a pause goes out at once, not at the next batching tick: the client that held
      // the PTY has just caught up and waits for it.
      this.#lastFlush = Number.NEGATIVE_INFINITY;
    }
    if (paused) this.#pty?.pause();
    else this.#pty?.resume();
  }
}
