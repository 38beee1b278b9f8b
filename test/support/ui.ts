/**
 * What the UI's end-to-end tests (and the screenshot script) run against: the real `chamber` CLI
 * in-process on an OS-picked loopback port, serving the built bundle, with a temp HOME; and
 * Debian's Chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { main } from '@chamber/server';
import { repoRoot } from './paths.js';

export const CHROMIUM_PATH = process.env.CHAMBER_CHROMIUM ?? '/usr/bin/chromium';

/** Build packages/ui/dist unless it is current (a hash check: instant when nothing changed). */
export function ensureUiBundle(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-ui.mjs'), '--quiet'], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface RunningChamber {
  url: string;
  /** The server's JSON log lines, for failure messages. */
  log: string[];
  close(): Promise<void>;
}

export async function startChamber(options: {
  home: string;
  /** Default: the CLI's own default, `$HOME/.config/openchamber`. */
  dataDir?: string;
  roots?: readonly string[];
  /** More environment for the CLI (e.g. `CHAMBER_COMMIT_MESSAGE_ENDPOINT`). */
  env?: Record<string, string>;
}): Promise<RunningChamber> {
  const log: string[] = [];
  const argv = [
    '--port',
    '0',
    ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
    ...(options.roots ?? []).flatMap((root) => ['--root', root]),
  ];
  const result = await main(
    argv,
    { ...options.env, HOME: options.home },
    { stdout: (text) => log.push(text), stderr: (text) => log.push(text), cwd: options.home },
  );
  if (result.exitCode !== null || !result.address || !result.close) {
    throw new Error(`chamber did not start (exit ${result.exitCode}):\n${log.join('')}`);
  }
  return { url: result.address.url, log, close: result.close };
}

export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHAMBER_CHROMIUM)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

export function writeFile(file: string, content = ''): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}
