/**
 * The terminal sessions of one runtime: creation (limits, sandboxed cwd, the user's shell),
 * input, resize, close, idle reaping, and the `terminal://<sessionId>` subscriptions.
 *
 * Sessions outlive their clients: a disconnect leaves the shell running and its output in the
 * session's log, so a client reconnecting with its last position gets exactly what it missed.
 * A session whose shell exited is kept a little while (not counted against the limit, invisible to
 * input/resize/close, which answer 404 as the reference did) so a client that was away still
 * receives the end of the output and the `exit` event.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import {
  RuntimeError,
  TERMINAL_DEFAULT_COLS,
  TERMINAL_DEFAULT_ROWS,
  TERMINAL_ERRORS,
  TERMINAL_IDLE_TIMEOUT_MS,
  TERMINAL_MAX_SESSIONS,
  TERMINAL_SWEEP_INTERVAL_MS,
  type TerminalCreatePayload,
  type TerminalCreateResponse,
} from '@chamber/contract';
import type { Logger } from '../logger.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { EventSink, EventSubscription, SubscribeOptions } from '../subscriptions.js';
import { spawnPty } from './pty.js';
import { DEFAULT_FLOW_LIMITS, TerminalSession, type FlowLimits } from './session.js';
import { resolveShell, terminalEnvironment } from './shell.js';

export interface TerminalLimits extends FlowLimits {
  maxSessions: number;
  /** A session with no client and no activity for this long is closed. */
  idleTimeoutMs: number;
  sweepIntervalMs: number;
  /** How long an exited session's output stays available for late clients. */
  exitedRetentionMs: number;
  /** After SIGHUP, how long a shell gets before SIGKILL. */
  killAfterMs: number;
}

export const DEFAULT_TERMINAL_LIMITS: TerminalLimits = {
  ...DEFAULT_FLOW_LIMITS,
  maxSessions: TERMINAL_MAX_SESSIONS,
  idleTimeoutMs: TERMINAL_IDLE_TIMEOUT_MS,
  sweepIntervalMs: TERMINAL_SWEEP_INTERVAL_MS,
  exitedRetentionMs: 5 * 60_000,
  killAfterMs: 3_000,
};

export interface TerminalManagerOptions {
  sandbox: Sandbox;
  homeDir: string;
  logger: Logger;
  /** Base environment of the shells (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Shell to run instead of the user's login shell. */
  shell?: string;
  limits?: Partial<TerminalLimits>;
  /** Wall clock in ms for idle accounting; injectable so tests can jump 30 minutes. */
  now?: () => number;
}

export class TerminalManager {
  readonly limits: TerminalLimits;
  readonly #options: TerminalManagerOptions;
  readonly #now: () => number;
  readonly #live = new Map<string, TerminalSession>();
  readonly #exited = new Map<string, TerminalSession>();
  #sweepTimer: ReturnType<typeof setInterval> | null = null;
  #closed = false;

  constructor(options: TerminalManagerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.limits = { ...DEFAULT_TERMINAL_LIMITS, ...options.limits };
  }

  /** Live sessions (exited ones excluded). */
  get size(): number {
    return this.#live.size;
  }

  /** A live or recently exited session, for tests and diagnostics. */
  session(id: string): TerminalSession | undefined {
    return this.#live.get(id) ?? this.#exited.get(id);
  }

  async create(payload: TerminalCreatePayload): Promise<TerminalCreateResponse> {
    if (this.#closed) throw new RuntimeError(503, 'Terminals are shutting down');
    // The reference checks the limit before looking at the body.
    if (this.#live.size >= this.limits.maxSessions) throw new RuntimeError(429, TERMINAL_ERRORS.maxSessions);
    const cwd = await this.#resolveCwd(payload.cwd);
    if (this.#live.size >= this.limits.maxSessions) throw new RuntimeError(429, TERMINAL_ERRORS.maxSessions);
    const cols = payload.cols ?? TERMINAL_DEFAULT_COLS;
    const rows = payload.rows ?? TERMINAL_DEFAULT_ROWS;
    const env = this.#options.env ?? process.env;
    const shell = resolveShell(env, this.#options.shell);
    const id = randomUUID();
    const session = new TerminalSession({
      id,
      cwd,
      cols,
      rows,
      limits: this.limits,
      logger: this.#options.logger,
      now: this.#now,
    });
    try {
      session.bind(
        spawnPty(
          {
            file: shell.file,
            args: shell.args,
            cwd,
            env: terminalEnvironment(env, { homeDir: this.#options.homeDir, shell: shell.file }),
            cols,
            rows,
          },
          { onData: (text) => session.handleOutput(text), onExit: (exit) => this.#onExit(session, exit) },
        ),
      );
    } catch (error) {
      throw new RuntimeError(500, `Failed to spawn shell: ${(error as Error).message}`);
    }
    this.#live.set(id, session);
    this.#startSweeping();
    this.#options.logger.log('info', 'Created terminal session', { sessionId: id, cwd, shell: shell.file });
    return { sessionId: id, cols, rows };
  }

  write(id: string, data: string): void {
    this.#require(id).write(data);
  }

  resize(id: string, cols: number | undefined, rows: number | undefined): { cols: number; rows: number } {
    const session = this.#require(id);
    if (cols === undefined || rows === undefined) throw new RuntimeError(400, TERMINAL_ERRORS.sizeRequired);
    session.resize(cols, rows);
    return { cols, rows };
  }

  /** Hang the session up and forget it; its clients still receive `exit` once the shell is gone. */
  close(id: string): void {
    const session = this.#require(id);
    this.#terminate(session);
    this.#options.logger.log('info', 'Closed terminal session', { sessionId: id });
  }

  /** The `terminal://<sessionId>` provider: live or exited sessions; unknown ones are 404. */
  subscribe(id: string, options: SubscribeOptions, sink: EventSink): EventSubscription {
    const session = this.#live.get(id) ?? this.#exited.get(id);
    if (!session) throw new RuntimeError(404, TERMINAL_ERRORS.notFound);
    return session.attach(options.since, sink, options.acknowledges ?? false);
  }

  /**
   * Close sessions idle for `idleTimeoutMs` with no client attached (the reference also killed
   * attached-but-quiet ones), and drop exited sessions past their retention. Returns the ids closed.
   */
  sweep(): string[] {
    const now = this.#now();
    const reaped: string[] = [];
    for (const session of [...this.#live.values()]) {
      if (session.clientCount > 0 || now - session.lastActivity < this.limits.idleTimeoutMs) continue;
      this.#options.logger.log('info', 'Cleaning up idle terminal session', { sessionId: session.id });
      this.#terminate(session);
      reaped.push(session.id);
    }
    for (const session of [...this.#exited.values()]) {
      if (session.exit && now - session.exitedAt >= this.limits.exitedRetentionMs) this.#exited.delete(session.id);
    }
    return reaped;
  }

  /** Hang up every session and wait (bounded) for the shells to exit. */
  async closeAll(): Promise<void> {
    this.#closed = true;
    if (this.#sweepTimer !== null) clearInterval(this.#sweepTimer);
    this.#sweepTimer = null;
    const sessions = [...this.#live.values()];
    for (const session of sessions) this.#terminate(session);
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, this.limits.killAfterMs + 2_000).unref());
    await Promise.race([Promise.all(sessions.map((s) => s.exited())), deadline]);
  }

  #require(id: string): TerminalSession {
    const session = this.#live.get(id);
    if (!session) throw new RuntimeError(404, TERMINAL_ERRORS.notFound);
    return session;
  }

  #terminate(session: TerminalSession): void {
    this.#live.delete(session.id);
    this.#exited.set(session.id, session);
    this.#trimExited();
    session.hangup();
    // A SIGHUP that reaches a shell still starting (before it installs its handlers) can be lost:
    // repeat it a few times before the SIGKILL, so a just-created session still ends as "hung up".
    const killAfter = this.limits.killAfterMs;
    const timers = [killAfter / 30, killAfter / 6, killAfter / 2]
      .map((at) => setTimeout(() => session.hangup(), at))
      .concat(setTimeout(() => session.kill(), killAfter));
    for (const timer of timers) timer.unref();
    void session.exited().then(() => timers.forEach(clearTimeout));
  }

  #onExit(session: TerminalSession, exit: { exitCode: number; signal: number }): void {
    session.handleExit(exit);
    if (this.#live.get(session.id) === session) {
      this.#live.delete(session.id);
      this.#exited.set(session.id, session);
      this.#trimExited();
    }
  }

  /** Exited sessions hold up to a buffer each: keep at most `maxSessions` of them. */
  #trimExited(): void {
    while (this.#exited.size > this.limits.maxSessions) {
      const oldest = this.#exited.keys().next().value as string;
      this.#exited.delete(oldest);
    }
  }

  #startSweeping(): void {
    if (this.#sweepTimer !== null) return;
    this.#sweepTimer = setInterval(() => this.sweep(), this.limits.sweepIntervalMs);
    this.#sweepTimer.unref();
  }

  async #resolveCwd(cwd: string | undefined): Promise<string> {
    if (!cwd) throw new RuntimeError(400, TERMINAL_ERRORS.cwdRequired);
    if (!cwd.trim()) throw new RuntimeError(400, TERMINAL_ERRORS.invalidCwd);
    let resolved;
    try {
      resolved = await this.#options.sandbox.resolveExisting(cwd);
    } catch (error) {
      // Outside the sandbox stays 403; missing becomes the reference's 400.
      if (error instanceof RuntimeError && error.status === 404) {
        throw new RuntimeError(400, TERMINAL_ERRORS.invalidCwd);
      }
      throw error;
    }
    // The reference accepted a file here and the shell died at once; refuse it up front.
    const stat = await fs.stat(resolved.realPath).catch(() => undefined);
    if (!stat?.isDirectory()) throw new RuntimeError(400, TERMINAL_ERRORS.invalidCwd);
    return resolved.path;
  }
}
