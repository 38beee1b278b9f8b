/**
 * Which Chromium-family browser draws the window: `CHAMBER_BROWSER` when set (a path, or a
 * command found on PATH), else the first of Chrome, Chromium, Edge and Brave found at the usual
 * places on Linux and macOS. Any of them speaks the DevTools protocol over a pipe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BROWSER_ENV = 'CHAMBER_BROWSER';

/** Command names looked up on PATH, in order of preference (Linux). */
const LINUX_COMMANDS = [
  'google-chrome-stable',
  'google-chrome',
  'chromium',
  'chromium-browser',
  'microsoft-edge-stable',
  'microsoft-edge',
  'brave-browser',
  'brave',
];

/** Absolute locations tried after PATH (Linux), for installs PATH does not reach. */
const LINUX_PATHS = [
  '/opt/google/chrome/chrome',
  '/usr/bin/google-chrome',
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/snap/bin/chromium',
  '/opt/microsoft/msedge/msedge',
  '/opt/brave.com/brave/brave',
];

const MAC_APPS = [
  'Google Chrome.app/Contents/MacOS/Google Chrome',
  'Chromium.app/Contents/MacOS/Chromium',
  'Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'Brave Browser.app/Contents/MacOS/Brave Browser',
];

export class BrowserNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserNotFoundError';
  }
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Every location tried, in order, for the platform (exposed so the error can list them). */
export function browserCandidates(platform: NodeJS.Platform, homeDir: string): { commands: string[]; paths: string[] } {
  if (platform === 'darwin') {
    const roots = ['/Applications', path.join(homeDir, 'Applications')];
    return { commands: [], paths: MAC_APPS.flatMap((app) => roots.map((root) => path.join(root, app))) };
  }
  return { commands: LINUX_COMMANDS, paths: LINUX_PATHS };
}

export function findBrowser(
  options: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; homeDir?: string } = {},
): string {
  const env = options.env ?? process.env;
  const override = env[BROWSER_ENV]?.trim();
  if (override) {
    const found = override.includes('/') ? path.resolve(override) : onPath(override, env);
    if (found && isExecutableFile(found)) return found;
    throw new BrowserNotFoundError(`${BROWSER_ENV}=${override} is not an executable file`);
  }
  const { commands, paths } = browserCandidates(options.platform ?? process.platform, options.homeDir ?? os.homedir());
  for (const command of commands) {
    const found = onPath(command, env);
    if (found) return found;
  }
  for (const candidate of paths) if (isExecutableFile(candidate)) return candidate;
  throw new BrowserNotFoundError(
    `No Chromium-family browser found. Install Google Chrome, Chromium, Microsoft Edge or Brave, ` +
      `or set ${BROWSER_ENV} to its executable. Looked for: ${[...commands.map((c) => `${c} on PATH`), ...paths].join(', ')}`,
  );
}
