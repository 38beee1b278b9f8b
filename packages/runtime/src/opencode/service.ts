/**
 * The OpenCode supervisor: one `opencode serve` child on a loopback port locked with a per-run
 * password, started in the workspace directory, watched, restarted with backoff when it dies,
 * restarted on request (config change, new directory) and stopped with the runtime.
 *
 * Unlike the reference (files-terminal-system.md §6, §8.2, §9), what it reports is true at every
 * moment: ready means the current process answered the readiness checks and has not exited since;
 * a crash is reported at once and the new process is ready as soon as it answers (not ~17 s of
 * 503s later); a signal death counts as an exit.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { OPENCODE_PROXY_ERRORS } from '@chamber/contract';
import type { Logger } from '../logger.js';
import { loginShellPath, mergePaths, resolveOpenCodeBinary } from './binary.js';
import {
  Upstream,
  isConnectionFailure,
  jsonProxyResponse,
  type ProxyRequest,
  type ProxyResponse,
  type ProxyUpgrade,
} from './forward.js';
import { OpenCodeProcess } from './process.js';
import type { OpenCodeController, OpenCodeHealth, OpenCodeRefreshOptions } from './types.js';

/** Read in this order for a fixed OpenCode port (§9.3); absent or invalid: OpenCode picks one. */
const PORT_ENV = ['OPENCODE_PORT', 'OPENCHAMBER_OPENCODE_PORT', 'OPENCHAMBER_INTERNAL_PORT'];

export interface OpenCodeServiceOptions {
  /** Supervise OpenCode at all (the CLI and the desktop host do; library users and tests opt in). */
  enabled: boolean;
  logger: Logger;
  /** Environment for the binary lookup and the child (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Directory used when no workspace is known yet. */
  cwd: string;
  /** The last workspace (settings' `lastDirectory`), preferred over `cwd` when it exists. */
  initialDirectory?: () => Promise<string | undefined>;
  /** An explicit binary (tests); default: looked up as `resolveOpenCodeBinary` says. */
  binary?: string;
  /** Desktop: put the login shell's PATH first (an app started from a launcher has a bare PATH). */
  loginShellPath?: boolean;
  /** Limits, all in milliseconds. */
  timeouts?: Partial<OpenCodeTimeouts>;
  /** The password OpenCode demands (default: random per run). Benchmarks set one to measure direct calls. */
  password?: string;
}

export interface OpenCodeTimeouts {
  /** Waiting for the "listening on" line (reference: 15 s). */
  port: number;
  /** Readiness checks (`/config`, `/agent`) after the port is known (reference: 20 s). */
  ready: number;
  /** Interval between readiness checks. */
  readyInterval: number;
  /** SIGTERM → SIGKILL when stopping (reference: 3 s). */
  stopGrace: number;
  /** Delays before restarting after a crash, one per consecutive failure; the last repeats. */
  restartBackoff: readonly number[];
  /** A process ready this long resets the backoff. */
  stableAfter: number;
  /** Bound on opening a connection to OpenCode. */
  connect: number;
  /** Waiting for a created agent to be listed (reference: 15 s). */
  agentPresence: number;
}

const DEFAULT_TIMEOUTS: OpenCodeTimeouts = {
  port: 15_000,
  ready: 20_000,
  readyInterval: 100,
  stopGrace: 3_000,
  restartBackoff: [250, 1_000, 2_000, 5_000, 10_000],
  stableAfter: 30_000,
  connect: 5_000,
  agentPresence: 15_000,
};

type Phase =
  /** Not supervised. */
  | 'disabled'
  /** Spawned (or about to be), not yet answering. */
  | 'starting'
  | 'ready'
  /** Exited unexpectedly; a restart is scheduled. */
  | 'waiting'
  /** Cannot run (no binary); nothing will retry until a restart is asked for. */
  | 'failed'
  | 'closed';

export class OpenCodeService implements OpenCodeController {
  readonly enabled: boolean;
  readonly #options: OpenCodeServiceOptions;
  readonly #timeouts: OpenCodeTimeouts;
  readonly #logger: Logger;
  readonly #env: NodeJS.ProcessEnv;
  /** Per run: OpenCode demands it as HTTP Basic auth, and only this process knows it. */
  readonly #password: string;
  #phase: Phase;
  #directory: string;
  #process: OpenCodeProcess | undefined;
  #upstream: Upstream | undefined;
  #lastError: string | null = null;
  #readyAt = 0;
  #failures = 0;
  #restartTimer: NodeJS.Timeout | undefined;
  /** Start/stop operations run one at a time, in order. */
  #queue: Promise<unknown> = Promise.resolve();
  /** A restart queued but not begun: later requests join it instead of queueing another. */
  #queuedRestart: Promise<void> | undefined;
  #loginPath: Promise<string | undefined> | undefined;
  readonly #live = new Set<OpenCodeProcess>();
  /** Processes we are stopping on purpose: their exit is no crash and changes no reported reason. */
  readonly #stopping = new WeakSet<OpenCodeProcess>();
  readonly #readyWaiters = new Set<() => void>();

  constructor(options: OpenCodeServiceOptions) {
    this.#options = options;
    this.enabled = options.enabled;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.#logger = options.logger;
    this.#env = options.env ?? process.env;
    this.#directory = options.cwd;
    this.#password = options.password ?? crypto.randomBytes(24).toString('base64url');
    this.#phase = options.enabled ? 'starting' : 'disabled';
    if (!options.enabled) this.#lastError = 'OpenCode is not started by this server';
  }

  get directory(): string {
    return this.#directory;
  }

  /** Start supervising: pick the directory, spawn, wait until ready. Never rejects. */
  start(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    return this.#enqueue(async () => {
      const last = await this.#options.initialDirectory?.().catch(() => undefined);
      if (last && (await isDirectory(last))) this.#directory = last;
      await this.#launch().catch(() => undefined);
    });
  }

  health(): OpenCodeHealth {
    const alive = this.#process?.alive ?? false;
    const ready = this.#phase === 'ready' && alive;
    return {
      openCodePort: alive ? (this.#upstream?.port ?? null) : null,
      openCodeRunning: alive,
      openCodeApiPrefix: '',
      openCodeApiPrefixDetected: ready,
      isOpenCodeReady: ready,
      lastOpenCodeError: ready ? null : this.#lastError,
    };
  }

  /** Resolves once OpenCode is ready, or after `timeoutMs` (then check `health()`). */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.health().isOpenCodeReady) return true;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#readyWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#readyWaiters.add(done);
    });
    return this.health().isOpenCodeReady;
  }

  /**
   * Forward one request to OpenCode, or answer why it cannot be: 503 while (re)starting, 503 when
   * it is not running, 502/504 when the connection fails. Rejects only when `signal` aborted it.
   */
  async proxy(request: ProxyRequest): Promise<ProxyResponse> {
    const refusal = this.#refusal();
    if (refusal) return refusal;
    const proc = this.#process;
    const response = await (this.#upstream as Upstream).request(request);
    if (proc && isConnectionFailure(response)) {
      // A dying process closes its port a moment before its exit event: say "restarting", not 502.
      await Promise.race([proc.exited, delay(250)]);
      if (!proc.alive) return this.#refusal() ?? response;
    }
    return response;
  }

  /** A WebSocket upgrade through to OpenCode (same gate as `proxy`). */
  async upgrade(request: ProxyRequest): Promise<ProxyUpgrade | ProxyResponse> {
    const refusal = this.#refusal();
    if (refusal) return refusal;
    return (this.#upstream as Upstream).upgrade(request);
  }

  #refusal(): ProxyResponse | undefined {
    const health = this.health();
    if (health.isOpenCodeReady && this.#upstream) return undefined;
    if (
      this.#phase === 'starting' ||
      this.#phase === 'waiting' ||
      (this.#phase === 'ready' && !health.openCodeRunning)
    ) {
      return jsonProxyResponse(503, { error: OPENCODE_PROXY_ERRORS.restarting, restarting: true });
    }
    return jsonProxyResponse(503, { error: OPENCODE_PROXY_ERRORS.unavailable, reason: this.#lastError });
  }

  /**
   * Change OpenCode's working directory (§4): restart in it unless it already runs there. Resolves
   * `restarted: false` without restarting when nothing changes or OpenCode is not supervised.
   */
  async setDirectory(directory: string): Promise<{ restarted: boolean }> {
    if (directory === this.#directory && (!this.enabled || this.health().isOpenCodeReady)) return { restarted: false };
    this.#directory = directory;
    if (!this.enabled) return { restarted: false };
    await this.restart();
    return { restarted: true };
  }

  /**
   * Stop the current process and start a new one, waiting until it is ready; rejects with the
   * reason it is not. A restart asked for while one runs is queued once more, so a change written
   * meanwhile is picked up (the reference reused the running restart and could miss it).
   */
  restart(): Promise<void> {
    if (!this.enabled) return Promise.reject(new Error(this.#lastError ?? 'OpenCode is not started by this server'));
    if (this.#queuedRestart) return this.#queuedRestart;
    this.#cancelScheduledRestart();
    const restart = this.#enqueue(async () => {
      if (this.#queuedRestart === restart) this.#queuedRestart = undefined;
      if (this.#phase === 'closed') throw new Error('OpenCode is shutting down');
      await this.#stopCurrent();
      await this.#launch();
    });
    this.#queuedRestart = restart;
    return restart;
  }

  async refreshAfterConfigChange(options: OpenCodeRefreshOptions = {}): Promise<void> {
    if (!this.enabled) return;
    await this.restart();
    if (options.agent !== undefined) await this.#waitForAgent(options.agent);
  }

  /** Stop for good: cancel restarts, end every process started (and their process groups). */
  async close(): Promise<void> {
    if (this.#phase === 'closed') return;
    this.#phase = 'closed';
    this.#cancelScheduledRestart();
    this.#upstream?.close();
    this.#upstream = undefined;
    await Promise.all([...this.#live].map((proc) => proc.stop(this.#timeouts.stopGrace)));
    for (const wake of [...this.#readyWaiters]) wake();
  }

  // -- internals ---------------------------------------------------------------------------------

  /** A method, not a field read: TypeScript would keep a narrowing of `#phase` across awaits. */
  #isClosed(): boolean {
    return this.#phase === 'closed';
  }

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(operation);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Spawn a process and wait until it answers; on failure record why and decide what follows. */
  async #launch(): Promise<void> {
    if (this.#phase === 'closed') return;
    this.#phase = 'starting';
    this.#lastError = null;
    const { command, env, warnings, source } = await this.#spawnSpec();
    for (const warning of warnings) this.#logger.log('warn', warning);
    const proc = new OpenCodeProcess({
      command,
      cwd: this.#directory,
      env,
      port: configuredPort(this.#env),
      logger: this.#logger,
    });
    this.#process = proc;
    this.#live.add(proc);
    void proc.exited.then(() => {
      this.#live.delete(proc);
      this.#onExit(proc);
    });
    this.#logger.log('info', 'Starting OpenCode', { command, source, directory: this.#directory, pid: proc.pid });
    try {
      const port = await withTimeout(proc.port, this.#timeouts.port, 'Timed out waiting for OpenCode port');
      if (this.#isClosed() || this.#process !== proc) throw new Error('OpenCode is shutting down');
      const upstream = new Upstream({ port, password: this.#password, connectTimeoutMs: this.#timeouts.connect });
      await this.#waitReady(proc, upstream);
      if (this.#isClosed() || this.#process !== proc || !proc.alive) {
        upstream.close();
        throw new Error(proc.alive ? 'OpenCode is shutting down' : proc.exitMessage());
      }
      this.#upstream?.close();
      this.#upstream = upstream;
      this.#phase = 'ready';
      this.#readyAt = Date.now();
      this.#lastError = null;
      this.#logger.log('info', 'OpenCode ready', { port, pid: proc.pid, directory: this.#directory });
      for (const wake of [...this.#readyWaiters]) wake();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.#process === proc && !this.#isClosed()) {
        this.#lastError = message;
        // Nothing changes by itself when there is no binary: wait for an explicit restart.
        this.#phase = proc.pid === undefined ? 'failed' : 'starting';
        this.#logger.log('error', 'OpenCode failed to start', { error: message });
        if (proc.alive) {
          this.#stopping.add(proc);
          await proc.stop(this.#timeouts.stopGrace);
        }
        if (proc.pid !== undefined) this.#scheduleRestart();
      }
      throw error instanceof Error ? error : new Error(message);
    }
  }

  async #spawnSpec(): Promise<{ command: string; env: NodeJS.ProcessEnv; warnings: string[]; source: string }> {
    let searchPath = this.#env.PATH ?? '';
    if (this.#options.loginShellPath) {
      this.#loginPath ??= loginShellPath(this.#env);
      searchPath = mergePaths(await this.#loginPath, searchPath);
    }
    const resolved = this.#options.binary
      ? { command: this.#options.binary, source: 'option', warnings: [] }
      : resolveOpenCodeBinary({ env: this.#env, searchPath });
    const env: NodeJS.ProcessEnv = {
      ...this.#env,
      PATH: searchPath,
      OPENCODE_SERVER_USERNAME: 'opencode',
      OPENCODE_SERVER_PASSWORD: this.#password,
    };
    return { ...resolved, env };
  }

  /** The reference's readiness rule (§9.5): `/config` and `/agent` answer 2xx. */
  async #waitReady(proc: OpenCodeProcess, upstream: Upstream): Promise<void> {
    const deadline = Date.now() + this.#timeouts.ready;
    let last = 'Timed out waiting for OpenCode to become ready';
    while (Date.now() < deadline) {
      if (!proc.alive) throw new Error(proc.exitMessage());
      if (this.#isClosed()) throw new Error('OpenCode is shutting down');
      try {
        const config = await this.#get(upstream, '/config');
        if (config.status >= 200 && config.status < 300) {
          const agents = await this.#get(upstream, '/agent');
          if (agents.status >= 200 && agents.status < 300) return;
          last = `Agent endpoint responded with status ${agents.status}`;
        } else {
          last = `OpenCode config endpoint responded with status ${config.status}`;
        }
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await delay(this.#timeouts.readyInterval);
    }
    throw new Error(last);
  }

  async #get(upstream: Upstream, target: string): Promise<{ status: number; text: string }> {
    const response = await upstream.request({
      method: 'GET',
      target,
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5_000),
    });
    const chunks: Buffer[] = [];
    if (response.body) for await (const chunk of response.body) chunks.push(chunk as Buffer);
    return { status: response.status, text: Buffer.concat(chunks).toString('utf8') };
  }

  async #waitForAgent(name: string): Promise<void> {
    const deadline = Date.now() + this.#timeouts.agentPresence;
    while (Date.now() < deadline) {
      const upstream = this.#upstream;
      if (upstream && this.health().isOpenCodeReady) {
        try {
          const answer = await this.#get(upstream, '/agent');
          const agents = JSON.parse(answer.text) as { name?: unknown }[];
          if (Array.isArray(agents) && agents.some((agent) => agent?.name === name)) return;
        } catch {
          // not yet
        }
      }
      await delay(300);
    }
    throw new Error(`Agent "${name}" not available after OpenCode restart`);
  }

  async #stopCurrent(): Promise<void> {
    const proc = this.#process;
    this.#upstream?.close();
    this.#upstream = undefined;
    if (!proc) return;
    this.#process = undefined;
    await proc.stop(this.#timeouts.stopGrace);
  }

  #onExit(proc: OpenCodeProcess): void {
    if (this.#process !== proc || this.#phase === 'closed' || this.#stopping.has(proc)) return;
    const message = proc.exitMessage();
    this.#logger.log('warn', 'OpenCode exited', { pid: proc.pid, ...proc.exit, error: message });
    this.#upstream?.close();
    this.#upstream = undefined;
    this.#lastError = message;
    // An exit while starting is handled by #launch, which sees the process is gone.
    if (this.#phase === 'ready') this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    if (this.#phase === 'closed' || this.#restartTimer || this.#queuedRestart) return;
    if (this.#readyAt && Date.now() - this.#readyAt >= this.#timeouts.stableAfter) this.#failures = 0;
    const backoff = this.#timeouts.restartBackoff;
    const wait = backoff[Math.min(this.#failures, backoff.length - 1)] ?? 1_000;
    this.#failures++;
    this.#phase = 'waiting';
    this.#logger.log('info', 'Restarting OpenCode after a delay', { delayMs: wait, failures: this.#failures });
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      this.restart().catch(() => undefined);
    }, wait);
    this.#restartTimer.unref();
  }

  #cancelScheduledRestart(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
  }
}

function configuredPort(env: NodeJS.ProcessEnv): number {
  for (const name of PORT_ENV) {
    const value = env[name]?.trim();
    if (!value) continue;
    const port = Number.parseInt(value, 10);
    if (port > 0 && port < 65536) return port;
  }
  return 0;
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return path.isAbsolute(dir) && (await fs.stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
