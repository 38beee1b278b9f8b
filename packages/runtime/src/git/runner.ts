/**
 * The one way the runtime runs git: the `git` executable spawned without a shell, in its own
 * session (no controlling terminal, so neither git nor ssh can sit on a password prompt), with a
 * hardened environment, a timeout and bounded output.
 *
 * The reference ran git through simple-git with the server's environment untouched (git.md §1.3):
 * read-only calls took the index lock, messages followed the server's locale, and a push needing
 * credentials could block forever. Every run here sets:
 * - `GIT_OPTIONAL_LOCKS=0`: status/diff never take `index.lock`, so they cannot race a commit;
 * - `LC_ALL=C`: messages and the text we parse are git's English, on every machine;
 * - `GIT_TERMINAL_PROMPT=0`: a missing credential fails instead of prompting;
 * - `GIT_LITERAL_PATHSPECS=1`: a file called `*.ts` or `:(top)` names that file, not a pattern;
 * - no pager, no editor (a merge made by pull keeps git's default message).
 */
import { spawn } from 'node:child_process';
import { RuntimeError } from '@chamber/contract';

export interface GitRunOptions {
  /** Working directory (an existing, canonical directory). */
  cwd: string;
  /** Text written to git's stdin (e.g. a commit message for `commit -F -`). */
  input?: string;
  /** Overall limit in ms (default: the runner's). */
  timeoutMs?: number;
  /** Stdout kept at most (bytes). Beyond it git is stopped and `truncated` is set. */
  maxOutputBytes?: number;
  /** Called with every stderr line, split on CR or LF as a terminal would show it (progress). */
  onStderrLine?: (line: string) => void;
  /** Extra variables for this run only. */
  env?: Record<string, string>;
}

export interface GitRunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Stdout was cut at `maxOutputBytes` (git was stopped early). */
  truncated: boolean;
  /** Bytes git had written to stdout when we stopped reading (≥ stdout length when truncated). */
  stdoutBytes: number;
}

export interface GitRunnerOptions {
  /** The user's home directory: git reads its global config (identity, credentials) from there. */
  homeDir: string;
  /** Extra environment for every git process (tests pin commit dates and isolate config). */
  env?: Record<string, string>;
  /** Default overall timeout per run (ms). */
  timeoutMs?: number;
  /** Default stdout bound per run (bytes). */
  maxOutputBytes?: number;
  /** Processes allowed at once; further runs queue (the UI polls several repositories). */
  maxConcurrent?: number;
  /** The executable (default `git` from PATH). */
  gitPath?: string;
}

export const DEFAULT_GIT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const MAX_STDERR_BYTES = 1024 * 1024;
/**
 * After git exits, how long its pipes may stay quiet before we stop waiting for them to close.
 * They close with git unless a process it started (a hook's background job, or a hook still
 * running after git was killed) inherited them: that one may run for minutes, and the answer
 * must not wait for it. What git itself wrote is in the pipes already and arrives well within it.
 */
const PIPE_QUIET_MS = 50;
/** ...and the longest we keep reading after git exited, when such a process keeps writing. */
const PIPE_MAX_GRACE_MS = 1_000;

/** The message the desktop reference rejected with when git could not be started. */
export const GIT_SPAWN_FAILED = 'Failed to execute git command';

export class GitRunner {
  readonly #options: GitRunnerOptions;
  readonly #env: NodeJS.ProcessEnv;
  #running = 0;
  readonly #queue: (() => void)[] = [];

  constructor(options: GitRunnerOptions) {
    this.#options = options;
    this.#env = {
      ...process.env,
      HOME: options.homeDir,
      GIT_OPTIONAL_LOCKS: '0',
      LC_ALL: 'C',
      LANGUAGE: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GIT_LITERAL_PATHSPECS: '1',
      GIT_PAGER: 'cat',
      PAGER: 'cat',
      GIT_EDITOR: 'true',
      GIT_MERGE_AUTOEDIT: 'no',
      ...options.env,
    };
  }

  /** Run git; resolves with its exit code and output whatever the code, rejects only if it could not run. */
  async run(args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
    await this.#acquire();
    try {
      return await this.#spawn(args, options);
    } finally {
      this.#release();
    }
  }

  #spawn(args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
    const timeoutMs = options.timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_GIT_TIMEOUT_MS;
    const maxOutput = options.maxOutputBytes ?? this.#options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
    return new Promise((resolve, reject) => {
      const child = spawn(this.#options.gitPath ?? 'git', ['-c', 'color.ui=false', ...args], {
        cwd: options.cwd,
        env: options.env ? { ...this.#env, ...options.env } : this.#env,
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        // Own session: no controlling terminal to prompt on, and one process group to kill.
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let stdoutBytes = 0;
      let keptBytes = 0;
      let stderrBytes = 0;
      let truncated = false;
      let timedOut = false;
      let settled = false;
      let graceTimer: NodeJS.Timeout | undefined;
      let outputSeen = 0; // chunks received so far: tells a quiet pipe from a busy one
      const lines = options.onStderrLine ? createLineSplitter(options.onStderrLine) : undefined;

      const kill = (): void => {
        try {
          if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
          else child.kill('SIGKILL');
        } catch {
          // already gone
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs);

      child.stdout?.on('data', (chunk: Buffer) => {
        outputSeen++;
        stdoutBytes += chunk.length;
        if (truncated) return;
        if (keptBytes + chunk.length > maxOutput) {
          stdout.push(chunk.subarray(0, maxOutput - keptBytes));
          keptBytes = maxOutput;
          truncated = true;
          // Nothing more will be read: stop git instead of letting it produce the rest for nothing.
          kill();
          return;
        }
        stdout.push(chunk);
        keptBytes += chunk.length;
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        outputSeen++;
        lines?.push(chunk.toString('utf8'));
        if (stderrBytes >= MAX_STDERR_BYTES) return;
        stderr.push(chunk.subarray(0, MAX_STDERR_BYTES - stderrBytes));
        stderrBytes += Math.min(chunk.length, MAX_STDERR_BYTES - stderrBytes);
      });
      if (options.input !== undefined && child.stdin) {
        child.stdin.on('error', () => undefined); // git may exit before reading all of it
        child.stdin.end(options.input);
      }
      const settle = (code: number | null): void => {
        clearTimeout(timer);
        clearTimeout(graceTimer);
        if (settled) return;
        settled = true;
        // Still open only when settled by the grace below: stop reading what someone else holds.
        child.stdout?.destroy();
        child.stderr?.destroy();
        lines?.flush();
        if (timedOut) {
          reject(new RuntimeError(504, `git ${subcommandOf(args)} timed out after ${Math.round(timeoutMs / 1000)} s`));
          return;
        }
        resolve({
          exitCode: code ?? (truncated ? 0 : 1),
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          truncated,
          stdoutBytes,
        });
      };
      child.on('error', () => {
        clearTimeout(timer);
        clearTimeout(graceTimer);
        if (settled) return;
        settled = true;
        reject(new RuntimeError(500, GIT_SPAWN_FAILED));
      });
      // The answer is due when git exits, not when the last holder of its pipes lets go ('close').
      child.on('exit', (code) => {
        const exitedAt = Date.now();
        let seen = outputSeen;
        const check = (): void => {
          if (outputSeen !== seen && Date.now() - exitedAt < PIPE_MAX_GRACE_MS) {
            seen = outputSeen;
            graceTimer = setTimeout(check, PIPE_QUIET_MS);
            return;
          }
          // Quiet (or past the cap): one more turn of the event loop reads what is still in the pipes.
          setImmediate(() => settle(code));
        };
        graceTimer = setTimeout(check, PIPE_QUIET_MS);
      });
      child.on('close', (code) => settle(code));
    });
  }

  async #acquire(): Promise<void> {
    const limit = this.#options.maxConcurrent ?? 16;
    if (this.#running < limit) {
      this.#running++;
      return;
    }
    await new Promise<void>((resolve) => this.#queue.push(resolve));
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#running--;
  }
}

/** The git subcommand of an argument list, for messages (`git push timed out ...`). */
function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-c' || arg === '-C') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return 'command';
}

/**
 * Splits a stream of text into lines the way a terminal shows them: git redraws a progress line
 * with '\r', finishes it with '\n'. Every segment is reported once, without its terminator.
 */
export function createLineSplitter(onLine: (line: string) => void): { push(text: string): void; flush(): void } {
  let pending = '';
  return {
    push(text) {
      pending += text;
      let start = 0;
      for (let i = 0; i < pending.length; i++) {
        const c = pending[i];
        if (c === '\r' || c === '\n') {
          if (i > start) onLine(pending.slice(start, i));
          start = i + 1;
        }
      }
      pending = pending.slice(start);
    },
    flush() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}
