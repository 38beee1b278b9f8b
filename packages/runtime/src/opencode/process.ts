/**
 * One `opencode serve` child: spawned in its own process group on a loopback port, its port read
 * from the line it prints, its output logged, and stopped with SIGTERM then SIGKILL to the whole
 * group (OpenCode starts language servers and shells of its own).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../logger.js';

/** `opencode server listening on http://127.0.0.1:4096`: only this line sets the port (§9.4's hazard). */
const LISTENING = /listening on https?:\/\/[^\s/]*:(\d{1,5})/;

/** The reference's text for a missing binary (U+2013 dash). */
export function binaryNotFoundMessage(command: string): string {
  return `Failed to start OpenCode – executable "${command}" not found. Set OPENCODE_BINARY to the full path of the opencode CLI or ensure it is on PATH.`;
}

export interface SpawnOptions {
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** 0: OpenCode picks (it prefers 4096, then any free port). */
  port: number;
  logger: Logger;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Groups still running: if this process exits without closing its runtime (an uncaught exception,
 * `process.exit`), they are killed on the way out instead of being left as orphans.
 */
const running = new Set<number>();
let exitHookInstalled = false;

function track(pid: number): void {
  running.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of running) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export class OpenCodeProcess {
  readonly child: ChildProcess;
  /** Resolves with the port OpenCode listens on; rejects when it exits or fails first. */
  readonly port: Promise<number>;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  #exit: ExitInfo | undefined;
  #lastStderr = '';

  constructor(options: SpawnOptions) {
    const { logger } = options;
    this.child = spawn(options.command, ['serve', '--port', String(options.port), '--hostname', '127.0.0.1'], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let settlePort: { resolve(port: number): void; reject(error: Error): void } | undefined;
    this.port = new Promise<number>((resolve, reject) => (settlePort = { resolve, reject }));
    this.port.catch(() => undefined);
    const pid = this.child.pid;
    if (pid !== undefined) track(pid);
    this.exited = new Promise<ExitInfo>((resolve) => {
      this.child.once('exit', (code, signal) => {
        if (pid !== undefined) running.delete(pid);
        this.#exit = { code, signal };
        settlePort?.reject(new Error(this.exitMessage()));
        resolve(this.#exit);
      });
      this.child.once('error', (error: NodeJS.ErrnoException) => {
        const message = error.code === 'ENOENT' ? binaryNotFoundMessage(options.command) : error.message;
        this.#lastStderr = message;
        settlePort?.reject(new Error(message));
        // No 'exit' follows a failed spawn.
        if (this.child.pid === undefined) {
          this.#exit = { code: null, signal: null };
          resolve(this.#exit);
        }
      });
    });
    let portFound = false;
    forEachLine(this.child.stdout, (line) => {
      logger.log('info', 'OpenCode', { line: line.slice(0, 2000) });
      if (portFound) return;
      const match = LISTENING.exec(line);
      if (match) {
        portFound = true;
        settlePort?.resolve(Number(match[1]));
      }
    });
    forEachLine(this.child.stderr, (line) => {
      if (line.trim()) this.#lastStderr = line.trim().slice(0, 2000);
      logger.log('warn', 'OpenCode stderr', { line: line.slice(0, 2000) });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get exit(): ExitInfo | undefined {
    return this.#exit;
  }

  get alive(): boolean {
    return this.child.pid !== undefined && this.#exit === undefined;
  }

  /** Why the process is gone, in the reference's words (`OpenCode exited with code null, signal SIGKILL`). */
  exitMessage(): string {
    if (this.child.pid === undefined) return this.#lastStderr || 'Failed to start OpenCode';
    const exit = this.#exit;
    const base = `OpenCode exited with code ${exit?.code ?? null}, signal ${exit?.signal ?? 'null'}`;
    return this.#lastStderr ? `${base}: ${this.#lastStderr}` : base;
  }

  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the process has exited. */
  async stop(graceMs = 3_000): Promise<void> {
    if (!this.alive) return;
    this.#signal('SIGTERM');
    const timer = setTimeout(() => this.#signal('SIGKILL'), graceMs);
    timer.unref();
    await this.exited;
    clearTimeout(timer);
    // Children OpenCode started and left behind (they share its group).
    this.#signal('SIGKILL');
  }

  #signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      try {
        this.child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

function forEachLine(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    rest += chunk;
    // A process printing without newlines must not grow this buffer forever.
    if (rest.length > 64 * 1024) rest = rest.slice(-64 * 1024);
    let newline = rest.indexOf('\n');
    while (newline !== -1) {
      onLine(rest.slice(0, newline).replace(/\r$/, ''));
      rest = rest.slice(newline + 1);
      newline = rest.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}
