/** Which shell a terminal runs, with which arguments and environment. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface ShellCommand {
  file: string;
  args: string[];
}

function isExecutable(file: string | undefined): file is string {
  if (!file || !path.isAbsolute(file)) return false;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The user's login shell: the configured one, else `$SHELL`, else the account's shell, else
 * `/bin/sh`. POSIX shells get `-l` (as the desktop reference did) so the user's profile sets
 * PATH, which replaces the web reference's "run the login shell once to read its PATH" probe.
 */
export function resolveShell(env: NodeJS.ProcessEnv, configured?: string): ShellCommand {
  let account: string | undefined;
  try {
    account = os.userInfo().shell ?? undefined;
  } catch {}
  const candidates = [configured, env.SHELL?.trim(), account, '/bin/sh'];
  const file = candidates.find(isExecutable) ?? '/bin/sh';
  const name = path.basename(file);
  return { file, args: /(zsh|bash|ksh|fish|sh)$/.test(name) ? ['-l'] : [] };
}

/** Variables that describe the server's own terminal or package manager, not the user's shell. */
const DROPPED = new Set(['TMUX', 'TMUX_PANE', 'STY', 'WINDOW', 'WINDOWID', 'TERMCAP', 'COLUMNS', 'LINES', 'INIT_CWD']);

export function terminalEnvironment(
  base: NodeJS.ProcessEnv,
  options: { homeDir: string; shell: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined || DROPPED.has(key) || key.startsWith('npm_')) continue;
    env[key] = value;
  }
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  env.HOME = options.homeDir;
  env.SHELL = options.shell;
  // Output is decoded as UTF-8; without a locale many programs would print '?' for non-ASCII.
  if (!env.LC_ALL && !env.LC_CTYPE && !env.LANG) env.LANG = 'C.UTF-8';
  return env;
}
