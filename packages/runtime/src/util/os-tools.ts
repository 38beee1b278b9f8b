/**
 * Running the small OS programs the desktop commands rely on (a folder picker, a notifier). They
 * are found on `PATH` of the environment the runtime was given, never through a shell, so tests
 * supply a fake `zenity` or `notify-send` by putting a directory first on `PATH`, and no argument
 * (a notification title, a path) is ever interpreted by a shell.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

export interface ToolResult {
  /** Exit code, or null when the program was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ToolRunOptions {
  /** Kill the program after this long (default: never; a folder picker waits for a human). */
  timeoutMs?: number;
  /** Kill the program when aborted (the runtime closing). */
  signal?: AbortSignal;
}

export interface OsTools {
  readonly platform: NodeJS.Platform;
  /** Absolute path of the first executable `name` on PATH, or undefined. */
  find(name: string): Promise<string | undefined>;
  run(executable: string, args: readonly string[], options?: ToolRunOptions): Promise<ToolResult>;
}

/** Output kept per stream: a picker prints one path, a notifier one id; anything past this is noise. */
const MAX_OUTPUT_CHARS = 64 * 1024;

export function createOsTools(options: { env: NodeJS.ProcessEnv; platform?: NodeJS.Platform }): OsTools {
  const { env } = options;
  return {
    platform: options.platform ?? process.platform,

    async find(name) {
      for (const dir of (env.PATH ?? '').split(path.delimiter)) {
        if (!dir || !path.isAbsolute(dir)) continue; // a relative PATH entry would depend on our cwd
        const candidate = path.join(dir, name);
        try {
          const stat = await fs.stat(candidate);
          if (!stat.isFile()) continue;
          await fs.access(candidate, fs.constants.X_OK);
          return candidate;
        } catch {
          // not here
        }
      }
      return undefined;
    },

    run(executable, args, runOptions = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(executable, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk;
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk;
        });
        const kill = () => child.kill('SIGTERM');
        const timer = runOptions.timeoutMs === undefined ? undefined : setTimeout(kill, runOptions.timeoutMs);
        runOptions.signal?.addEventListener('abort', kill, { once: true });
        child.once('error', (error) => {
          if (timer) clearTimeout(timer);
          runOptions.signal?.removeEventListener('abort', kill);
          reject(error);
        });
        child.once('close', (code, signal) => {
          if (timer) clearTimeout(timer);
          runOptions.signal?.removeEventListener('abort', kill);
          resolve({ code, signal, stdout, stderr });
        });
      });
    },
  };
}

/** The first line of a program's error output, or a description of how it ended. */
export function describeToolFailure(result: ToolResult): string {
  const line = result.stderr
    .split('\n')
    .map((text) => text.trim())
    .find(Boolean);
  if (line) return line.slice(0, 500);
  return result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
}
