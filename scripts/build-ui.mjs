#!/usr/bin/env node
// Build the UI bundle (packages/ui/dist) unless it is current. "Current" means built from exactly
// the sources it depends on now: a hash of every input file is kept beside the bundle, so
// `npm start` and `npm test` pay for a Vite build only after a change (or with --force).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const uiDir = path.join(repo, 'packages/ui');
const outDir = path.join(uiDir, 'dist');
// A dotfile: the static server never serves dotfiles.
const stampFile = path.join(outDir, '.inputs-sha256');

const INPUTS = [
  'packages/ui/index.html',
  'packages/ui/vite.config.ts',
  'packages/ui/package.json',
  'packages/ui/tsconfig.json',
  'packages/ui/src',
  'packages/client/src',
  'packages/client/package.json',
  'packages/contract/src',
  'packages/contract/package.json',
  'package-lock.json',
];

function listFiles(relative) {
  const absolute = path.join(repo, relative);
  const stats = fs.statSync(absolute, { throwIfNoEntry: false });
  if (!stats) return [];
  if (stats.isFile()) return [relative];
  return fs
    .readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(repo, path.join(entry.parentPath, entry.name)));
}

export function inputsHash() {
  const hash = createHash('sha256');
  const files = INPUTS.flatMap(listFiles).sort();
  for (const file of files) {
    hash.update(file.split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(path.join(repo, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function isCurrent(hash = inputsHash()) {
  try {
    return fs.readFileSync(stampFile, 'utf8').trim() === hash && fs.existsSync(path.join(outDir, 'index.html'));
  } catch {
    return false;
  }
}

export async function buildUi({ force = false, quiet = false } = {}) {
  const hash = inputsHash();
  if (!force && isCurrent(hash)) {
    if (!quiet) console.log('UI bundle is current (packages/ui/dist)');
    return false;
  }
  const { build } = await import('vite');
  await build({
    configFile: path.join(uiDir, 'vite.config.ts'),
    logLevel: quiet ? 'warn' : 'info',
  });
  fs.writeFileSync(stampFile, `${hash}\n`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = new Set(process.argv.slice(2));
  const built = await buildUi({ force: args.has('--force'), quiet: args.has('--quiet') });
  if (built && args.has('--quiet')) console.log('Built the UI bundle (packages/ui/dist)');
}
