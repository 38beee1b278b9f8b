/**
 * What every soak scenario stands on: a temp layout built by code (a root holding a real git
 * repository, an `outside` directory holding planted secrets, a temp HOME and data directory),
 * the real Chamber CLI in a child process on 127.0.0.1 port 0 (so a crash is an exit we see, and
 * its memory is its own), raw HTTP with a deadline per request, and a tally of figures and
 * invariant violations that `npm run soak` prints and the test subset asserts.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsxLoader = pathToFileURL(createRequire(path.join(repoRoot, 'package.json')).resolve('tsx')).href;
const LAUNCHER = path.join(repoRoot, 'bench/soak/chamber-process.mjs');

/** A loopback port nothing listens on (discard): every connection is refused at once. */
export const OFFLINE_URL = 'http://127.0.0.1:9/v1/chat/completions';

export type Log = (line: string) => void;

/** One scenario's outcome: printed figures, and the invariants it saw broken (empty = passed). */
export interface ScenarioResult {
  name: string;
  figures: Record<string, number | string>;
  violations: string[];
  /** Printed only: why a part was skipped (e.g. mount not permitted). */
  notes: string[];
}

export function newResult(name: string): ScenarioResult {
  return { name, figures: {}, violations: [], notes: [] };
}

/** Git with no global or system config, a fixed identity, and no hooks of the machine's. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Chamber Soak', '-c', 'user.email=soak@chamber.invalid', ...args], {
    cwd,
    encoding: 'utf8',
    env: gitEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
}

export function write(file: string, content: string | Buffer = ''): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/**
 * base/root: the workspace (`--root` in confined mode), a git repository with two commits, a
 * symlink to `outside` and one to the secret file. base/outside: what no confined request may
 * reach: `secret.txt`, README.md and AGENTS.md (what prompt refinement reads) and a git
 * repository whose committed and modified files hold the secret, plus a canary file whose name
 * (never sent in any request) would show in a listing. base/home, base/data: HOME and --data-dir.
 */
export interface SoakLayout {
  base: string;
  root: string;
  repo: string;
  outside: string;
  outsideRepo: string;
  secretFile: string;
  home: string;
  data: string;
  /** Content of every planted secret; must never appear in a confined response. */
  secret: string;
  /** Name part of the canary file in `outside`; must never appear in a confined response. */
  canary: string;
  cleanup(): void;
}

/** A server on `layout`: its HOME and data dir, started in its root, confined to it. */
export function startConfined(
  layout: SoakLayout,
  source?: boolean,
  agent?: Pick<ServerOptions, 'opencode' | 'env'>,
): Promise<SoakServer> {
  return SoakServer.start({
    home: layout.home,
    data: layout.data,
    roots: [layout.root],
    cwd: layout.root,
    source,
    ...agent,
  });
}

/**
 * The stand-in OpenCode the tests use (test/support/fake-opencode.mjs): a real process speaking
 * OpenCode's start-up protocol and Basic auth, with a WebSocket echo on `/ws`, `/whoami`, `/event`…
 */
export const FAKE_OPENCODE = path.join(repoRoot, 'test/support/fake-opencode.mjs');

export function buildLayout(prefix = 'chamber-soak-'): SoakLayout {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const root = path.join(base, 'root');
  const repo = root;
  const outside = path.join(base, 'outside');
  const outsideRepo = path.join(outside, 'repo');
  const home = path.join(base, 'home');
  const data = path.join(base, 'data');
  const secret = `SOAKSECRET${randomBytes(12).toString('hex')}`;
  const canary = `canary${randomBytes(8).toString('hex')}`;
  const secretFile = path.join(outside, 'secret.txt');

  write(path.join(root, 'README.md'), '# soak workspace\n');
  write(path.join(root, 'src/index.ts'), 'export const answer = 42;\n');
  write(path.join(root, 'notes.txt'), 'notes\n');
  git(root, 'init', '-q', '-b', 'main');
  // The server's git reads no global config of ours: the identity lives in the repository.
  git(root, 'config', 'user.name', 'Chamber Soak');
  git(root, 'config', 'user.email', 'soak@chamber.invalid');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'first');
  write(path.join(root, 'notes.txt'), 'notes, edited\n');
  git(root, 'commit', '-q', '-am', 'second');
  write(path.join(root, 'notes.txt'), 'notes, edited again (uncommitted)\n');

  write(secretFile, `${secret}\n`);
  write(path.join(outside, 'README.md'), `# outside ${secret}\n`);
  write(path.join(outside, 'AGENTS.md'), `agents ${secret}\n`);
  write(path.join(outside, `${canary}.txt`), 'canary\n');
  write(path.join(outsideRepo, 'secret.txt'), `${secret}\n`);
  git(outsideRepo, 'init', '-q', '-b', 'main');
  git(outsideRepo, 'add', '-A');
  git(outsideRepo, 'commit', '-q', '-m', `outside ${secret}`);
  write(path.join(outsideRepo, 'secret.txt'), `${secret} modified\n`);

  fs.symlinkSync(outside, path.join(root, 'link-out'));
  fs.symlinkSync(secretFile, path.join(root, 'link-secret'));
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(data, { recursive: true });
  return {
    base,
    root,
    repo,
    outside,
    outsideRepo,
    secretFile,
    home,
    data,
    secret,
    canary,
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

/** Every file and directory under `dir` with its size and mtime (symlinks not followed). */
export function snapshot(dir: string): Map<string, string> {
  const entries = new Map<string, string>();
  const walk = (current: string): void => {
    let names: string[];
    try {
      names = fs.readdirSync(current);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(current, name);
      const stat = fs.lstatSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      entries.set(full, stat.isDirectory() ? 'dir' : `${stat.size}:${stat.mtimeMs}:${stat.mode}`);
      if (stat.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return entries;
}

/** Paths created, changed or removed between two snapshots. */
export function snapshotChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changes: string[] = [];
  for (const [file, sig] of after) {
    const old = before.get(file);
    if (old === undefined) changes.push(`created ${file}`);
    else if (old !== sig && sig !== 'dir') changes.push(`modified ${file}`);
  }
  for (const file of before.keys()) if (!after.has(file)) changes.push(`removed ${file}`);
  return changes;
}

export interface ServerOptions {
  home: string;
  data: string;
  /** `--root` directories (none: open mode). */
  roots?: readonly string[];
  /** Working directory of the server (relative paths resolve against it in open mode). */
  cwd: string;
  /** A fixed port (a restart comes back at the same origin); default 0. */
  port?: number;
  /** Run the TypeScript sources (tests) rather than the build (`npm run soak` builds first). */
  source?: boolean;
  /**
   * With the agent: the opencode binary (OPENCODE_BINARY). Without: `--no-opencode`.
   */
  opencode?: string;
  /** Extra environment (e.g. FAKE_OPENCODE_LOG). */
  env?: Record<string, string>;
}

/** The server's answer to the probe signal: its memory after a GC, and its event loop's lateness. */
export interface ServerProbe extends NodeJS.MemoryUsage {
  /** Since the previous probe (or the start), in ms. */
  loopDelay: { p50: number; p99: number; max: number };
}

/** The real CLI in a child process. `exited` is set when it ends; an exit nobody asked for is a crash. */
/**
 * Servers still running. When the soak exits, however it exits, they are killed: a wedged
 * server cannot act on its stdin closing (see chamber-process.mjs), and must not outlive us.
 */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class SoakServer {
  readonly child: ChildProcess;
  url = '';
  port = 0;
  /** Last lines of its output, for failure messages. */
  readonly tail: string[] = [];
  exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  #stopping = false;
  readonly #memoryWaiters: ((usage: ServerProbe) => void)[] = [];

  private constructor(child: ChildProcess) {
    this.child = child;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** True when the process died without `stop()`. */
  get crashed(): boolean {
    return this.exited !== null && !this.#stopping;
  }

  static async start(options: ServerOptions): Promise<SoakServer> {
    const argv = [
      '--expose-gc',
      ...(options.source ? ['--conditions=source', '--import', tsxLoader] : []),
      LAUNCHER,
      '--port',
      String(options.port ?? 0),
      '--host',
      '127.0.0.1',
      ...(options.opencode ? [] : ['--no-opencode']),
      '--data-dir',
      options.data,
      ...(options.roots ?? []).flatMap((root) => ['--root', root]),
    ];
    const child = spawn(process.execPath, argv, {
      cwd: options.cwd,
      env: {
        ...process.env,
        HOME: options.home,
        OPENCHAMBER_DATA_DIR: '',
        OPENCHAMBER_UI_PASSWORD: '',
        OPENCODE_UI_PASSWORD: '',
        // Nothing leaves the machine: the AI features and the models catalogue point at a closed port.
        CHAMBER_AI_URL: OFFLINE_URL,
        CHAMBER_COMMIT_MESSAGE_ENDPOINT: OFFLINE_URL,
        CHAMBER_MODELS_METADATA_URL: OFFLINE_URL,
        // The agent's binary: ours, never one the machine's environment names.
        OPENCODE_BINARY: options.opencode ?? '',
        OPENCHAMBER_BINARY: '',
        OPENCODE_PATH: '',
        OPENCHAMBER_OPENCODE_PATH: '',
        ...options.env,
      },
      // stdin stays open for the child's life: it stops itself when this process goes away.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const server = new SoakServer(child);
    live.add(child);
    child.once('exit', () => live.delete(child));
    const listening = new Promise<void>((resolve, reject) => {
      const onLine = (line: string): void => {
        server.tail.push(line.length > 400 ? `${line.slice(0, 400)}…` : line);
        if (server.tail.length > 60) server.tail.shift();
        const match = /Chamber listening on (http:\/\/\S+)/.exec(line);
        if (match?.[1]) {
          server.url = match[1];
          server.port = Number(new URL(match[1]).port);
          resolve();
        }
        if (line.startsWith('SOAK_MEMORY ')) {
          const usage = JSON.parse(line.slice('SOAK_MEMORY '.length)) as ServerProbe;
          for (const wake of server.#memoryWaiters.splice(0)) wake(usage);
        }
      };
      readline.createInterface({ input: child.stdout! }).on('line', onLine);
      readline.createInterface({ input: child.stderr! }).on('line', onLine);
      child.once('exit', (code, signal) => {
        server.exited = { code, signal };
        reject(new Error(`chamber exited (${code ?? signal}) before listening:\n${server.tail.join('\n')}`));
      });
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      await listening;
    } finally {
      clearTimeout(timer);
    }
    return server;
  }

  /** The server's memory after a GC (its own `process.memoryUsage()`), and its loop delay since the last call. */
  memory(timeoutMs = 10_000): Promise<ServerProbe> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no SOAK_MEMORY answer')), timeoutMs);
      this.#memoryWaiters.push((usage) => {
        clearTimeout(timer);
        resolve(usage);
      });
      this.child.kill('SIGUSR2');
    });
  }

  /** Waits (bounded) until /health says OpenCode is ready; false when it never is. */
  async waitForAgent(timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !this.exited) {
      const health = await request(this.port, 'GET', '/health', { timeoutMs: 5_000 }).catch(() => null);
      if (health?.status === 200 && (JSON.parse(health.text) as { isOpenCodeReady?: boolean }).isOpenCodeReady)
        return true;
      await sleep(100);
    }
    return false;
  }

  /** Resident set size from /proc, in bytes (0 once gone). */
  rss(): number {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      return kib ? Number(kib) * 1024 : 0;
    } catch {
      return 0;
    }
  }

  /** SIGTERM (the CLI's graceful stop), SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#stopping = true;
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

/**
 * Whether the built server (packages/{contract,runtime,server}/dist) is at least as new as every
 * source file it is built from: then the test subset runs it, which starts in a fraction of the
 * time the sources take under tsx (`npm test` builds first); otherwise the sources.
 */
export function builtServerIsCurrent(): boolean {
  const newest = (dir: string): number => {
    let latest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }
    return latest;
  };
  return ['contract', 'runtime', 'server'].every((name) => {
    const info = path.join(repoRoot, 'packages', name, 'tsconfig.tsbuildinfo');
    const built = fs.statSync(info, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    return built > 0 && newest(path.join(repoRoot, 'packages', name, 'src')) <= built;
  });
}

export interface SoakResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  ms: number;
}

export class RequestTimeout extends Error {}

/**
 * A kept-alive connection the server closed (its keep-alive timeout) just as the agent reused
 * it: the request never reached the server. Node's documentation says to retry these
 * (`request.reusedSocket`); callers count them apart from errors.
 */
export class KeepAliveRace extends Error {
  constructor(cause: Error) {
    super(`kept-alive connection closed by the server as it was reused (${cause.message})`);
  }
}

/**
 * One HTTP request with a deadline. `headers` are sent as given (a forged Host included); SSE
 * answers are cut after their first chunk; at most `maxBytes` of a body are kept.
 */
export function request(
  port: number,
  method: string,
  target: string,
  options: {
    headers?: Record<string, string | number>;
    body?: string | Buffer;
    timeoutMs?: number;
    agent?: http.Agent | false;
    maxBytes?: number;
  } = {},
): Promise<SoakResponse> {
  const started = performance.now();
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: target,
        headers: options.headers ?? {},
        agent: options.agent ?? false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const isStream = String(res.headers['content-type']).startsWith('text/event-stream');
        let settled = false;
        const done = (): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (size < maxBytes) chunks.push(chunk);
          size += chunk.length;
          if (isStream) {
            res.destroy();
            done();
          }
        });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timeoutMs = options.timeoutMs ?? 15_000;
    const timer = setTimeout(() => req.destroy(new RequestTimeout(`no answer in ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(
        req.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? new KeepAliveRace(error) : error,
      );
    });
    req.end(options.body);
  });
}

/** Run `tasks` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** Pids of `pid`'s children, from /proc (Linux). */
export function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

export function cmdlineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** A process's working directory, from /proc (null when gone or not ours to read). */
export function cwdOf(pid: number): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return null;
  }
}

/**
 * What a process holds open, from /proc (Linux): its sockets (listening, client connections,
 * streams), pipes (to child processes) and its inotify watches (directory watchers), to tell leftovers after clients left.
 */
export function openHandles(pid: number): { sockets: number; pipes: number; inotifyWatches: number } {
  let sockets = 0;
  let pipes = 0;
  let inotifyWatches = 0;
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return { sockets, pipes, inotifyWatches };
  }
  for (const fd of fds) {
    let link: string;
    try {
      link = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    if (link.startsWith('socket:')) sockets++;
    else if (link.startsWith('pipe:')) pipes++;
    else if (link === 'anon_inode:inotify') {
      try {
        const info = fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
        inotifyWatches += info.split('\n').filter((line) => line.startsWith('inotify wd:')).length;
      } catch {
        // closed meanwhile
      }
    }
  }
  return { sockets, pipes, inotifyWatches };
}
