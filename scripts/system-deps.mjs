#!/usr/bin/env node
/**
 * The system programs the tests need beyond Node and npm, and how to get them. `npm test` runs this
 * first: on a machine that lacks some, it installs them with apt-get when it can (root, or sudo
 * without a password), and otherwise stops with the one command to run. `.ci/run` calls it too,
 * so the list lives here only.
 *
 *   node scripts/system-deps.mjs            check, install what is missing (when possible)
 *   node scripts/system-deps.mjs --check    check only; exit 1 listing what is missing
 */
import { spawnSync } from 'node:child_process';

/** Debian package → how to tell it is there. */
const PACKAGES = [
  ['git', { command: 'git' }],
  ['ripgrep', { command: 'rg' }],
  // The UI and desktop tests: Debian's Chromium, a virtual display, a private D-Bus session bus
  // with a small notification server (Python) and the real notify-send, ss and unshare.
  ['chromium', { command: 'chromium' }],
  ['xvfb', { command: 'Xvfb' }],
  ['xauth', { command: 'xauth' }],
  ['dbus', { command: 'dbus-daemon' }],
  ['dbus-bin', { command: 'dbus-monitor' }],
  ['libnotify-bin', { command: 'notify-send' }],
  ['iproute2', { command: 'ss' }],
  ['util-linux', { command: 'unshare' }],
  ['python3-dbus', { python: 'dbus' }],
  ['python3-gi', { python: 'gi' }],
];

function present(check) {
  if (check.command) return spawnSync('sh', ['-c', `command -v ${check.command}`], { stdio: 'ignore' }).status === 0;
  return spawnSync('/usr/bin/python3', ['-c', `import ${check.python}`], { stdio: 'ignore' }).status === 0;
}

const missing = PACKAGES.filter(([, check]) => !present(check)).map(([name]) => name);
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const checkOnly = process.argv.includes('--check');
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
const passwordlessSudo = !isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;

if (checkOnly || !hasApt || (!isRoot && !passwordlessSudo)) {
  process.stderr.write(
    `The tests need system packages that are missing: ${missing.join(', ')}.\n` +
      (hasApt
        ? `Install them with:\n  sudo sh -c '${command}'\nthen run npm test again.\n`
        : `Install their equivalents with your system's package manager, then run npm test again.\n`),
  );
  process.exit(1);
}

process.stdout.write(`Installing system packages the tests need: ${missing.join(' ')}\n`);
const sudo = isRoot ? [] : ['sudo', '-n'];
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['apt-get', 'update', '-qq'],
  ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...missing],
]) {
  const [program, ...rest] = [...sudo, ...args];
  const result = spawnSync(program, rest, { stdio: 'inherit', env });
  if (result.status !== 0) {
    process.stderr.write(
      `${args.join(' ')} failed (exit ${result.status}); install these by hand: ${missing.join(' ')}\n`,
    );
    process.exit(1);
  }
}
const still = PACKAGES.filter(([name, check]) => missing.includes(name) && !present(check)).map(([name]) => name);
if (still.length > 0) {
  process.stderr.write(`Still missing after apt-get: ${still.join(', ')}\n`);
  process.exit(1);
}
