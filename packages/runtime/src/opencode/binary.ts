/**
 * Which `opencode` executable to run (files-terminal-system.md §9.1, desktop-ipc.md §8.5): the
 * first non-empty of the reference's environment variables, else `opencode` on PATH (on desktop
 * the login shell's PATH first, as the reference did: an app started from a dock has a bare PATH),
 * else the `opencode-ai` package this project installs, so `npm install && npm start` has an agent
 * on a machine where the user installed none. A binary the user installed always wins.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Read in this order; the first non-empty one names the binary (absolute path or a bare name). */
export const OPENCODE_BINARY_ENV = [
  'OPENCODE_BINARY',
  'OPENCHAMBER_BINARY',
  'OPENCODE_PATH',
  'OPENCHAMBER_OPENCODE_PATH',
];

export interface ResolvedBinary {
  /** What to spawn: an absolute path, or `opencode` when nothing was found (spawn then fails with ENOENT). */
  command: string;
  source: 'env' | 'path' | 'package' | 'none';
  /** Warnings worth a log line (an environment variable naming a missing file). */
  warnings: string[];
}

export interface ResolveOptions {
  env: NodeJS.ProcessEnv;
  /** The PATH to search (the augmented one); default `env.PATH`. */
  searchPath?: string;
  /** Where to look for the bundled package (default: resolved from this module). */
  packageDir?: string | null;
  platform?: NodeJS.Platform;
  arch?: string;
}

export function resolveOpenCodeBinary(options: ResolveOptions): ResolvedBinary {
  const warnings: string[] = [];
  const searchPath = options.searchPath ?? options.env.PATH ?? '';
  const configured = OPENCODE_BINARY_ENV.map((name) => options.env[name]?.trim()).find((value) => value);
  if (configured) {
    const found = path.isAbsolute(configured) ? existingFile(configured) : findOnPath(configured, searchPath);
    if (found) return { command: bundledRedirect(found, options) ?? found, source: 'env', warnings };
    warnings.push(`OPENCODE_BINARY path "${configured}" not found. Falling back to search.`);
  }
  const onPath = findOnPath('opencode', searchPath);
  if (onPath) {
    // `npm start` puts node_modules/.bin first on PATH: that `opencode` is our own package's launcher.
    const redirected = bundledRedirect(onPath, options);
    if (redirected !== null)
      return { command: redirected ?? onPath, source: redirected ? 'package' : 'path', warnings };
  }
  const bundled = bundledBinary(options);
  if (bundled) return { command: bundled, source: 'package', warnings };
  return { command: 'opencode', source: 'none', warnings };
}

/**
 * For a launcher inside an `opencode-ai` package (`node_modules/.bin/opencode` → `opencode-ai/bin/…`):
 * the platform binary it stands for, since the launcher is a placeholder that exits 1 until the
 * package's install script has run (npm 11 runs none unless approved). Null when the launcher
 * cannot be replaced (skip it); undefined when `file` is not such a launcher.
 */
function bundledRedirect(file: string, options: ResolveOptions): string | null | undefined {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return undefined;
  }
  const marker = `${path.sep}node_modules${path.sep}opencode-ai${path.sep}`;
  const at = real.lastIndexOf(marker);
  if (at === -1) return undefined;
  const packageDir = real.slice(0, at + marker.length - 1);
  return platformBinary(packageDir, options) ?? (isRealBinary(real) ? real : null);
}

function bundledBinary(options: ResolveOptions): string | undefined {
  const packageDir = options.packageDir === undefined ? ownPackageDir() : options.packageDir;
  if (!packageDir) return undefined;
  return platformBinary(packageDir, options) ?? undefined;
}

function ownPackageDir(): string | undefined {
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve('opencode-ai/package.json'));
  } catch {
    return undefined;
  }
}

/**
 * The per-platform binary `opencode-ai` depends on (`opencode-<os>-<arch>[-baseline][-musl]`),
 * picked as the package's own install script does: the baseline build without AVX2, musl on musl.
 */
function platformBinary(packageDir: string, options: ResolveOptions): string | undefined {
  const platform = { darwin: 'darwin', linux: 'linux', win32: 'windows' }[
    options.platform ?? (process.platform as string)
  ];
  const arch = options.arch ?? process.arch;
  if (!platform || (arch !== 'x64' && arch !== 'arm64')) return undefined;
  const base = `opencode-${platform}-${arch}`;
  const musl = platform === 'linux' && isMusl();
  const variants = arch === 'x64' && !hasAvx2(platform) ? ['-baseline', ''] : ['', '-baseline'];
  const names = variants.flatMap((variant) =>
    musl ? [`${base}${variant}-musl`, `${base}${variant}`] : [`${base}${variant}`, `${base}${variant}-musl`],
  );
  const require = createRequire(path.join(packageDir, 'package.json'));
  const executable = platform === 'windows' ? 'opencode.exe' : 'opencode';
  for (const name of names) {
    try {
      const dir = path.dirname(require.resolve(`${name}/package.json`));
      const file = existingFile(path.join(dir, 'bin', executable));
      if (file) return file;
    } catch {
      // not installed for this machine
    }
  }
  return undefined;
}

function hasAvx2(platform: string): boolean {
  if (platform !== 'linux') return true;
  try {
    return /(^|\s)avx2(\s|$)/i.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return true;
  }
}

function isMusl(): boolean {
  const report = (process.report?.getReport() ?? {}) as { header?: { glibcVersionRuntime?: string } };
  return !report.header?.glibcVersionRuntime;
}

/** A launcher placeholder is a few hundred bytes of shell; the real binary is tens of megabytes. */
function isRealBinary(file: string): boolean {
  try {
    return fs.statSync(file).size > 1024 * 1024;
  } catch {
    return false;
  }
}

function existingFile(file: string): string | undefined {
  try {
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function findOnPath(name: string, searchPath: string): string | undefined {
  if (name.includes('/')) return existingFile(path.resolve(name));
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = existingFile(path.join(dir, name));
    if (file) {
      try {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      } catch {
        // not executable: keep looking
      }
    }
  }
  return undefined;
}

/** `a:b` + `b:c` → `a:b:c`: login-shell entries first, de-duplicated, order kept (§9.2). */
export function mergePaths(...paths: (string | undefined)[]): string {
  const seen = new Set<string>();
  for (const value of paths) for (const entry of (value ?? '').split(path.delimiter)) if (entry) seen.add(entry);
  return [...seen].join(path.delimiter);
}

/**
 * The PATH a login shell sets up (`$SHELL -lc`), bounded to 3 s; undefined when the shell fails.
 * Desktop only: a window started from a launcher lacks what the user's profile adds.
 */
export function loginShellPath(env: NodeJS.ProcessEnv, timeoutMs = 3_000): Promise<string | undefined> {
  const shell = env.SHELL?.trim() || '/bin/sh';
  return new Promise((resolve) => {
    execFile(
      shell,
      ['-lc', 'printf %s "$PATH"'],
      { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 },
      (error, stdout) => resolve(error ? undefined : stdout.trim() || undefined),
    );
  });
}
