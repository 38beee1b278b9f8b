/**
 * `chamber [--port N] [--host H] [--ui-password PW] [--data-dir DIR] [--root DIR]... [--help] [--version]`, or
 * `chamber --desktop [--data-dir DIR] [--ui-dir DIR]` for the desktop window.
 * `main` is what bin/chamber.js runs; tests call it in-process with their own env and output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJsonLogger, createRuntime, type Runtime, type SandboxPolicy } from '@chamber/runtime';
import { createServer, type ChamberServer, type ListeningAddress } from './server.js';
import { normalizePassword } from './auth/ui-auth.js';
import { DEFAULT_HOST, isLoopbackHost } from './security.js';

export const DEFAULT_PORT = 3000;

export const USAGE = `Usage: chamber [options]

Options:
  -p, --port <n>        Port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
      --host <address>  Address to listen on (default ${DEFAULT_HOST}); any other than
                        loopback needs a UI password
      --ui-password <pw>
                        Require this password in the browser (default: $OPENCHAMBER_UI_PASSWORD,
                        else $OPENCODE_UI_PASSWORD, else none); prefer the variables, which other
                        users cannot read in the process list
      --data-dir <dir>  Settings directory (default: $OPENCHAMBER_DATA_DIR, else ~/.config/openchamber)
      --root <dir>      Confine file access to <dir>; repeat for several roots (default: no confinement)
      --no-opencode     Do not start the OpenCode agent (its API then answers 503)
      --desktop         Open the desktop app window instead of serving HTTP (opens no port)
      --ui-dir <dir>    UI bundle the desktop window shows (default: the built UI)
  -h, --help            Show this help
  -v, --version         Print the version
`;

export interface CliOptions {
  port: number;
  host: string;
  /** `--ui-password`: wins over the environment. */
  uiPassword?: string;
  dataDir?: string;
  roots: string[];
  /** `--desktop`: run the desktop window (packages/desktop) instead of the HTTP server. */
  desktop?: true;
  /** `--no-opencode`: do not supervise an OpenCode process. */
  noOpencode?: true;
  uiDir?: string;
}

export type ParsedCli = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'version' };

/** A usage mistake: reported on stderr with exit code 2, never silently replaced by a default. */
export class CliUsageError extends Error {
  readonly exitCode = 2;
}

const VALUE_FLAGS: Record<string, 'port' | 'host' | 'uiPassword' | 'dataDir' | 'root' | 'uiDir'> = {
  '--port': 'port',
  '-p': 'port',
  '--p': 'port', // the reference launcher's spelling
  '--host': 'host',
  '--ui-password': 'uiPassword',
  '--data-dir': 'dataDir',
  '--root': 'root',
  '--ui-dir': 'uiDir',
};
/** Flags of the HTTP server that mean nothing to the desktop window, which opens no port. */
const SERVER_ONLY_FLAGS = new Set(['port', 'host', 'root', 'uiPassword']);
/** How `--desktop` names a misplaced server flag. */
const FLAG_NAMES: Record<string, string> = { uiPassword: 'ui-password' };
const SWITCHES: Record<string, 'help' | 'version'> = {
  '--help': 'help',
  '-h': 'help',
  '--h': 'help',
  '--version': 'version',
  '-v': 'version',
  '--v': 'version',
};

export function parseCliArgs(argv: readonly string[]): ParsedCli {
  const options: CliOptions = { port: DEFAULT_PORT, host: DEFAULT_HOST, roots: [] };
  let wants: 'help' | 'version' | undefined;
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const eq = token.startsWith('-') ? token.indexOf('=') : -1;
    const flag = eq === -1 ? token : token.slice(0, eq);
    if (flag === '--desktop' || flag === '--no-opencode') {
      if (eq !== -1) throw new CliUsageError(`Option ${flag} takes no value`);
      if (flag === '--desktop') options.desktop = true;
      else options.noOpencode = true;
      continue;
    }
    const sw = SWITCHES[flag];
    if (sw) {
      if (eq !== -1) throw new CliUsageError(`Option ${flag} takes no value`);
      wants ??= sw;
      continue;
    }
    const target = VALUE_FLAGS[flag];
    if (!target) {
      if (token.startsWith('-')) throw new CliUsageError(`Unknown option: ${flag}`);
      throw new CliUsageError(`Unexpected argument: ${token}`);
    }
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('-')) value = argv[++i];
    // An empty `--ui-password` is refused too: the reference took it as "no password", silently
    // overriding a password set in the environment.
    if (value === undefined || value.trim() === '') throw new CliUsageError(`Option ${flag} requires a value`);
    given.add(target);
    switch (target) {
      case 'port':
        options.port = parsePort(value);
        break;
      case 'host':
        options.host = value.trim().replace(/^\[(.*)\]$/, '$1');
        break;
      case 'uiPassword':
        options.uiPassword = value;
        break;
      case 'dataDir':
        options.dataDir = value;
        break;
      case 'root':
        options.roots.push(value);
        break;
      case 'uiDir':
        options.uiDir = value;
        break;
    }
  }
  if (options.desktop) {
    const misplaced = [...given].find((target) => SERVER_ONLY_FLAGS.has(target));
    if (misplaced)
      throw new CliUsageError(
        `Option --${FLAG_NAMES[misplaced] ?? misplaced} cannot be used with --desktop (the desktop opens no port)`,
      );
  } else if (options.uiDir !== undefined) {
    throw new CliUsageError('Option --ui-dir needs --desktop');
  }
  return wants ? { kind: wants } : { kind: 'run', options };
}

function parsePort(value: string): number {
  const port = /^\d{1,5}$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(port >= 0 && port <= 65535))
    throw new CliUsageError(`Invalid port: ${value} (expected an integer from 0 to 65535)`);
  return port;
}

/**
 * The UI password: `--ui-password`, else `OPENCHAMBER_UI_PASSWORD`, else `OPENCODE_UI_PASSWORD`
 * (§11), NFC-normalised and trimmed; undefined when none is set. A variable that is empty or
 * only spaces counts as unset (the next one is consulted).
 */
export function resolveUiPassword(options: Pick<CliOptions, 'uiPassword'>, env: NodeJS.ProcessEnv): string | undefined {
  for (const candidate of [options.uiPassword, env.OPENCHAMBER_UI_PASSWORD, env.OPENCODE_UI_PASSWORD]) {
    const password = candidate === undefined ? '' : normalizePassword(candidate);
    if (password !== '') return password;
  }
  return undefined;
}

/** `env` without the UI password variables (children of the runtime must not inherit them). */
export function withoutUiPassword(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { OPENCHAMBER_UI_PASSWORD: _a, OPENCODE_UI_PASSWORD: _b, ...rest } = env;
  return rest;
}

/** Policy: never expose files, terminals and the agent beyond this machine without a password. */
function checkHost(host: string, password: string | undefined): void {
  if (password === undefined && !isLoopbackHost(host)) {
    throw new CliUsageError(
      `Refusing to listen on ${host} without a UI password: set --ui-password or OPENCHAMBER_UI_PASSWORD, or use a loopback address.`,
    );
  }
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Close gracefully and exit on SIGINT/SIGTERM (the binary sets it; tests do not). */
  handleSignals?: boolean;
  exit?(code: number): void;
  cwd?: string;
}

export interface CliResult {
  /** null while the server runs; otherwise the process exit code. */
  exitCode: number | null;
  server?: ChamberServer;
  runtime?: Runtime;
  address?: ListeningAddress;
  /** Close the server and the runtime (and drop signal handlers). */
  close?(): Promise<void>;
}

const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

function packageVersion(): string {
  // src/cli.ts and dist/cli.js both sit three levels below the repository root.
  const file = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/** The UI build, once the UI package exists and has been built. */
function defaultStaticDir(): string | undefined {
  const dir = new URL('../../ui/dist', import.meta.url);
  return fs.existsSync(dir) ? fileURLToPath(dir) : undefined;
}

function resolveRoots(roots: readonly string[], cwd: string): string[] {
  return roots.map((root) => {
    const resolved = path.resolve(cwd, root);
    if (!fs.statSync(resolved, { throwIfNoEntry: false })?.isDirectory()) {
      throw new CliUsageError(`--root ${root} is not an existing directory`);
    }
    return resolved;
  });
}

export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = defaultIo,
): Promise<CliResult> {
  const cwd = io.cwd ?? process.cwd();
  let options: CliOptions;
  let roots: string[];
  try {
    const parsed = parseCliArgs(argv);
    if (parsed.kind === 'help') return (io.stdout(USAGE), { exitCode: 0 });
    if (parsed.kind === 'version') return (io.stdout(`${packageVersion()}\n`), { exitCode: 0 });
    options = parsed.options;
    roots = resolveRoots(options.roots, cwd);
    if (!options.desktop) checkHost(options.host, resolveUiPassword(options, env));
  } catch (error) {
    if (!(error instanceof CliUsageError)) throw error;
    io.stderr(`${error.message}\nRun 'chamber --help' for usage.\n`);
    return { exitCode: error.exitCode };
  }

  if (options.desktop) return runDesktopApp(options, env, io, cwd);

  const logger = createJsonLogger((line) => io.stderr(line));
  const sandbox: SandboxPolicy = roots.length > 0 ? { mode: 'roots', roots } : { mode: 'open' };
  const runtime = createRuntime({
    homeDir: env.HOME?.trim() ? env.HOME : undefined,
    dataDir: options.dataDir,
    cwd,
    sandbox,
    logger,
    // The UI password opens every shell and the agent: it stays out of the shells' and
    // OpenCode's environment.
    env: withoutUiPassword(env),
    terminal: { env: withoutUiPassword(env) },
    opencode: { enabled: !options.noOpencode },
  });
  const uiPassword = resolveUiPassword(options, env);
  const server = createServer({ runtime, logger, staticDir: defaultStaticDir(), auth: { password: uiPassword } });
  let address: ListeningAddress;
  try {
    address = await server.listen(options.port, options.host);
  } catch (error) {
    await runtime.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') io.stderr(`Port ${options.port} is already in use\n`);
    else io.stderr(`Cannot listen on ${options.host}:${options.port}: ${(error as Error).message}\n`);
    return { exitCode: 1 };
  }
  io.stdout(`Chamber listening on ${address.url}\n`);
  logger.log('info', 'listening', {
    url: address.url,
    dataDir: runtime.dataDir,
    sandbox: sandbox.mode,
    uiPassword: uiPassword !== undefined,
  });
  if (!options.noOpencode) reportOpenCode(runtime, io);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second signal while closing means "now": the reference ignored it and hung.
    if (++signals > 1) return (io.exit ?? defaultIo.exit)?.(1);
    logger.log('info', 'shutting down', { signal });
    void close().then(() => (io.exit ?? defaultIo.exit)?.(0));
  };
  const close = async (): Promise<void> => {
    await server.close();
    await runtime.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  if (io.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return { exitCode: null, server, runtime, address, close };
}

/** One line once OpenCode is up (or why it is not), so a user sees the agent's state without curl. */
function reportOpenCode(runtime: Runtime, io: CliIo): void {
  void runtime.opencode.waitUntilReady(60_000).then((ready) => {
    const health = runtime.opencode.health();
    if (ready) io.stdout(`OpenCode ready (${runtime.opencode.directory})\n`);
    else if (health.lastOpenCodeError) io.stderr(`OpenCode is not running: ${health.lastOpenCodeError}\n`);
  });
}

/**
 * The desktop package is loaded only for `--desktop`, by name, so the server neither depends on
 * it nor knows how the window works: it passes the options and waits for the window to close.
 */
const DESKTOP_MODULE = '@chamber/desktop';

interface DesktopModule {
  runDesktop(options: {
    dataDir?: string;
    uiDir?: string;
    homeDir?: string;
    cwd: string;
    env: NodeJS.ProcessEnv;
    opencode?: { enabled: boolean; loginShellPath?: boolean };
    io: { stdout(text: string): void; stderr(text: string): void; handleSignals?: boolean };
  }): Promise<number>;
}

async function runDesktopApp(options: CliOptions, env: NodeJS.ProcessEnv, io: CliIo, cwd: string): Promise<CliResult> {
  let desktop: DesktopModule;
  try {
    desktop = (await import(DESKTOP_MODULE)) as DesktopModule;
  } catch (error) {
    io.stderr(`The desktop app is not available (${(error as Error).message}); run 'npm run build' first.\n`);
    return { exitCode: 1 };
  }
  const exitCode = await desktop.runDesktop({
    dataDir: options.dataDir,
    uiDir: options.uiDir === undefined ? undefined : path.resolve(cwd, options.uiDir),
    homeDir: env.HOME?.trim() ? env.HOME : undefined,
    cwd,
    env,
    opencode: { enabled: !options.noOpencode, loginShellPath: true },
    io: { stdout: io.stdout, stderr: io.stderr, handleSignals: io.handleSignals },
  });
  return { exitCode };
}
