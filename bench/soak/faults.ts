/**
 * Scenario 5: faults.
 * - git killed mid-commit: a pre-commit hook holds the commit (and its `index.lock`); git and the
 *   hook are SIGKILLed; the answer must be a clean JSON error, and once the hook is gone the next
 *   commit must succeed (the runtime removes the stale lock), with `git fsck` clean.
 * - a full disk: the data directory on a 64 KiB tmpfs, filled; a settings save and git identity
 *   saves (create and update) must answer 507 with the one disk-full message (only the file name
 *   differs), leave the old file byte-identical and no lock or temp file; once space is freed the
 *   next save goes through at once. Skipped, with the reason, where mounting is not allowed.
 * - a corrupt settings.json: kept aside (`settings.json.corrupt-*`, byte for byte), never
 *   overwritten silently, not even by the next save.
 * - restarts while streams are open (SIGTERM, then SIGKILL): the multiplexed event stream and the
 *   per-session terminal stream end for their clients, and after the restart on the same port a
 *   new stream and a new terminal work.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRuntimeAPIs, createWebTransport } from '@chamber/client';
import {
  SoakServer,
  buildLayout,
  childrenOf,
  cmdlineOf,
  git,
  newResult,
  request,
  sleep,
  write,
  type Log,
  type ScenarioResult,
  type SoakLayout,
  type SoakResponse,
} from './harness.js';
import { processTree } from '../../test/support/sockets.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** One server shared by the parts that do not need a data directory of their own. */
interface Rig {
  server: SoakServer;
  layout: SoakLayout;
  source: boolean | undefined;
}

async function until<T>(check: () => T | undefined | null | false, ms: number): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) return undefined;
    await sleep(20);
  }
}

function isCleanError(status: number, text: string): boolean {
  try {
    return status >= 400 && typeof (JSON.parse(text) as { error?: unknown }).error === 'string';
  } catch {
    return false;
  }
}

async function gitKilledMidCommit(result: ScenarioResult, rig: Rig): Promise<void> {
  const { server, layout } = rig;
  const hook = path.join(layout.root, '.git/hooks/pre-commit');
  write(hook, '#!/bin/sh\nsleep 120\n');
  fs.chmodSync(hook, 0o755);
  write(path.join(layout.root, 'fault.txt'), 'fault\n');
  const target = `/api/git/commit?directory=${encodeURIComponent(layout.root)}`;
  const body = JSON.stringify({ message: 'soak: after a killed git', files: ['fault.txt'] });
  const answer = request(server.port, 'POST', target, { headers: JSON_HEADERS, body, timeoutMs: 60_000 }).catch(
    (error: Error) => ({ status: 0, text: error.message }),
  );
  const gitPid = await until(
    () =>
      childrenOf(server.pid).find((pid) => {
        const argv = cmdlineOf(pid);
        return /(^|\/)git$/.test(argv[0] ?? '') && argv.includes('commit');
      }),
    15_000,
  );
  const lock = path.join(layout.root, '.git/index.lock');
  if (gitPid === undefined) {
    result.violations.push('git killed mid-commit: no git commit process appeared');
    return;
  }
  await until(() => processTree(gitPid).slice(1).length > 0 && fs.existsSync(lock), 5_000);
  const hookProcesses = processTree(gitPid).slice(1);
  const lockPlanted = fs.existsSync(lock);
  process.kill(gitPid, 'SIGKILL');
  for (const pid of hookProcesses) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  const first = await answer;
  fs.rmSync(hook);
  const retry = await request(server.port, 'POST', target, { headers: JSON_HEADERS, body, timeoutMs: 60_000 });
  const committed = git(layout.root, 'log', '-1', '--format=%s').trim() === 'soak: after a killed git';
  let fsck = 'ok';
  try {
    git(layout.root, 'fsck', '--full');
  } catch (error) {
    fsck = String((error as { stderr?: string }).stderr ?? error).slice(0, 200);
  }
  Object.assign(result.figures, {
    'killed commit answered': `${first.status}`,
    'stale index.lock planted': lockPlanted ? 'yes' : 'no',
    'commit after the kill': `${retry.status}${committed ? ' (in the log)' : ''}`,
    'index.lock left after retry': fs.existsSync(lock) ? 1 : 0,
    'fsck after kill': fsck,
  });
  if (!isCleanError(first.status, first.text)) {
    result.violations.push(`killed commit: not a clean JSON error: ${first.status} ${first.text.slice(0, 160)}`);
  }
  if (retry.status !== 200 || !committed) {
    result.violations.push(`commit after a killed git failed: ${retry.status} ${retry.text.slice(0, 200)}`);
  }
  if (fsck !== 'ok') result.violations.push(`git fsck after the kill: ${fsck}`);
  if (server.crashed) result.violations.push('crash: the server died (git killed)');
}

/**
 * One save the full-disk fault exercises: a file of the data directory, a save that writes it
 * while there is room (`prime`), saves tried while the disk is full (each must fail cleanly), and
 * a save once space is freed.
 */
interface FullDiskCase {
  label: string;
  /** Its file's name in the data directory. */
  file: string;
  prime(port: number): Promise<SoakResponse>;
  whileFull: { what: string; save(port: number): Promise<SoakResponse> }[];
  afterFreed(port: number): Promise<SoakResponse>;
}

/** `Could not save <file>: the disk is full (ENOSPC); …`, with the file name taken out. */
function diskFullMessage(text: string, file: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { error?: unknown }).error;
    return typeof message === 'string' ? message.replaceAll(file, '<file>') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A full disk: the data directory on a 64 KiB tmpfs (needs root: skipped with the reason where
 * mounting is not permitted), one server on it, and for each case: a save while there is room,
 * every block filled, the saves while full (507 with the disk-full message, the same for every
 * file but its name; the old file byte-identical; no lock or temp file left), then space freed
 * and the next save must go through at once.
 */
async function fullDisk(
  result: ScenarioResult,
  layout: SoakLayout,
  source: boolean | undefined,
  cases: FullDiskCase[],
): Promise<void> {
  const data = path.join(layout.base, 'tmpfs-data');
  fs.mkdirSync(data);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', data], { stdio: 'pipe' });
  } catch (error) {
    const reason = String((error as { stderr?: Buffer }).stderr ?? error)
      .trim()
      .split('\n')[0];
    result.notes.push(`full disk skipped: mount -t tmpfs not permitted (${reason})`);
    result.figures['full disk'] = 'skipped';
    return;
  }
  const server = await SoakServer.start({ home: layout.home, data, cwd: layout.root, source }).catch(async (error) => {
    execFileSync('umount', [data]);
    throw error;
  });
  // The message every store gives (settings' is the first case's), with the file name taken out.
  let reference: { message: string; from: string } | undefined;
  try {
    for (const item of cases) {
      const { label } = item;
      const first = await item.prime(server.port);
      if (first.status !== 200)
        result.violations.push(`full disk (${label}): first save failed: ${first.status} ${first.text}`);
      const file = path.join(data, item.file);
      const before = fs.readFileSync(file);
      const namesBefore = new Set(fs.readdirSync(data));
      // Fill every block that is left.
      const filler = path.join(data, 'filler');
      const fd = fs.openSync(filler, 'w');
      const chunk = Buffer.alloc(1024, 120);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch {
        // ENOSPC: full
      } finally {
        fs.closeSync(fd);
      }
      const answers: string[] = [];
      for (const { what, save } of item.whileFull) {
        const full = await save(server.port);
        answers.push(`${what} ${full.status}`);
        const message = diskFullMessage(full.text, item.file);
        if (full.status !== 507 || !message || !/disk is full \(ENOSPC\)/.test(message)) {
          result.violations.push(
            `full disk (${label}): ${what} did not answer 507 "disk full": ${full.status} ${full.text.slice(0, 200)}`,
          );
        } else if (reference === undefined) {
          reference = { message, from: label };
          result.figures['full disk message'] = full.text.slice(0, 140);
        } else if (message !== reference.message) {
          result.violations.push(
            `full disk (${label}): ${what} answered "${message}", not the message ${reference.from} gives ("${reference.message}")`,
          );
        }
      }
      const intact = fs.readFileSync(file).equals(before);
      const leftovers = fs.readdirSync(data).filter((name) => !namesBefore.has(name) && name !== 'filler');
      fs.rmSync(filler);
      const freedStarted = performance.now();
      const freed = await item.afterFreed(server.port);
      const freedMs = performance.now() - freedStarted;
      Object.assign(result.figures, {
        [`full disk (${label}): saves answered`]: answers.join(', '),
        [`full disk (${label}): old file byte-identical`]: intact ? 'yes' : 'no',
        [`full disk (${label}): files left`]: leftovers.length,
        [`full disk (${label}): save after freeing space`]: `${freed.status} in ${freedMs.toFixed(0)} ms`,
      });
      if (!intact) result.violations.push(`full disk (${label}): ${item.file} changed by the failed saves`);
      if (leftovers.length) result.violations.push(`full disk (${label}): left behind: ${leftovers.join(', ')}`);
      if (freed.status !== 200 || freedMs > 5_000) {
        result.violations.push(
          `full disk (${label}): the save after freeing space: ${freed.status} in ${freedMs.toFixed(0)} ms ${freed.text.slice(0, 160)}`,
        );
      }
    }
    if (server.crashed) result.violations.push('crash: the server died (full disk)');
  } finally {
    await server.stop();
    execFileSync('umount', [data]);
  }
}

const json = (port: number, method: string, target: string, body: unknown): Promise<SoakResponse> =>
  request(port, method, target, { headers: JSON_HEADERS, body: JSON.stringify(body), timeoutMs: 30_000 });

/** Settings (`PUT /api/config/settings`, settings.json) on a full disk. */
const SETTINGS_ON_FULL_DISK: FullDiskCase = {
  label: 'settings',
  file: 'settings.json',
  prime: (port) => json(port, 'PUT', '/api/config/settings', { themeId: 'before-full' }),
  whileFull: [
    {
      what: 'PUT settings',
      save: (port) =>
        json(port, 'PUT', '/api/config/settings', {
          themeId: 'during-full',
          pinnedDirectories: Array.from({ length: 40 }, (_, i) => `/soak/${i}/${'p'.repeat(200)}`),
        }),
    },
  ],
  afterFreed: (port) => json(port, 'PUT', '/api/config/settings', { themeId: 'after-full' }),
};

/** Git identities (`POST` and `PUT /api/git/identities…`, git-identities.json) on a full disk. */
const IDENTITIES_ON_FULL_DISK: FullDiskCase = {
  label: 'git identities',
  file: 'git-identities.json',
  prime: (port) =>
    json(port, 'POST', '/api/git/identities', {
      id: 'before-full',
      userName: 'Soak',
      userEmail: 'soak@chamber.invalid',
    }),
  whileFull: [
    {
      what: 'POST identity',
      save: (port) =>
        json(port, 'POST', '/api/git/identities', {
          id: 'during-full',
          name: 'n'.repeat(200),
          userName: 'Soak Full',
          userEmail: 'full@chamber.invalid',
        }),
    },
    {
      what: 'PUT identity',
      save: (port) =>
        json(port, 'PUT', '/api/git/identities/before-full', { name: 'u'.repeat(200), userName: 'Soak Updated' }),
    },
  ],
  afterFreed: (port) =>
    json(port, 'POST', '/api/git/identities', {
      id: 'after-full',
      userName: 'Soak',
      userEmail: 'soak@chamber.invalid',
    }),
};

async function corruptSettings(result: ScenarioResult, rig: Rig): Promise<void> {
  const { server, layout } = rig;
  // Corrupted under a running server: every read goes to the file.
  const data = layout.data;
  const corrupt = '{"themeId": "precious", "lastDirectory": "/keep/me", broken';
  write(path.join(data, 'settings.json'), corrupt);
  const read = await request(server.port, 'GET', '/api/config/settings');
  const saved = await request(server.port, 'PUT', '/api/config/settings', {
    headers: JSON_HEADERS,
    body: JSON.stringify({ themeId: 'fresh' }),
  });
  const kept = fs.readdirSync(data).filter((name) => name.startsWith('settings.json.corrupt-'));
  const intact = kept.some((name) => fs.readFileSync(path.join(data, name), 'utf8') === corrupt);
  Object.assign(result.figures, {
    'corrupt settings: read': read.status,
    'corrupt settings: kept aside': kept.length
      ? `${kept.length} file(s)${intact ? ', byte for byte' : ', CHANGED'}`
      : 'no',
    'corrupt settings: next save': saved.status,
  });
  if (read.status !== 200)
    result.violations.push(`corrupt settings: GET answered ${read.status} ${read.text.slice(0, 120)}`);
  if (!intact) result.violations.push('corrupt settings: the corrupt file was not kept aside intact');
  if (server.crashed) result.violations.push('crash: the server died (corrupt settings)');
}

/** A raw SSE request left open: `endedAt` resolves with the time (performance.now()) the server ended it. */
function openStream(
  port: number,
  target: string,
): Promise<{ status: number; endedAt: Promise<number>; close(): void }> {
  return new Promise((resolve, reject) => {
    const headers = { Accept: 'text/event-stream' };
    const req = http.request({ host: '127.0.0.1', port, path: target, headers, agent: false }, (res) => {
      const endedAt = new Promise<number>((done) => {
        const finish = () => done(performance.now());
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', finish);
      });
      res.resume();
      resolve({ status: res.statusCode ?? 0, endedAt, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

async function restartWithStreams(result: ScenarioResult, rig: Rig, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  const { layout, source } = rig;
  let server = rig.server;
  const port = server.port;
  const created = await request(server.port, 'POST', '/api/terminal/create', {
    headers: JSON_HEADERS,
    body: JSON.stringify({ cwd: layout.root }),
  });
  const { sessionId } = JSON.parse(created.text) as { sessionId: string };
  const events = await openStream(port, '/api/chamber/events');
  const terminal = await openStream(port, `/api/terminal/${sessionId}/stream`);
  // The web client on the same session: it must notice, not wait forever.
  const apis = createRuntimeAPIs(createWebTransport({ baseUrl: server.url }));
  let clientNoticed = false;
  const subscription = apis.terminal.connect(sessionId, {
    onEvent(event) {
      if ((event.type as string) === 'reconnecting') clientNoticed = true;
    },
    onError() {
      clientNoticed = true;
    },
  });
  await sleep(300);
  const stopAt = performance.now();
  if (signal === 'SIGTERM') await server.stop();
  else {
    server.child.kill('SIGKILL');
    await server.stop();
  }
  const deadline = (ended: Promise<number>) =>
    Promise.race([ended.then((at) => Math.max(0, at - stopAt)), sleep(10_000).then(() => Number.NaN)]);
  const [eventsMs, terminalMs] = await Promise.all([deadline(events.endedAt), deadline(terminal.endedAt)]);
  events.close();
  terminal.close();
  server = await SoakServer.start({ home: layout.home, data: layout.data, cwd: layout.root, source, port });
  rig.server = server;
  await until(() => clientNoticed, 10_000);
  subscription.close();
  const again = await openStream(port, '/api/chamber/events');
  again.close();
  // A fresh session works end to end after the restart.
  const fresh = createRuntimeAPIs(createWebTransport({ baseUrl: server.url }));
  const session = await fresh.terminal.createSession({ cwd: layout.root });
  let output = '';
  const sub = fresh.terminal.connect(session.sessionId, {
    onEvent(event) {
      if (event.type === 'data') output += event.data ?? '';
    },
  });
  await sleep(300);
  await fresh.terminal.sendInput(session.sessionId, 'echo soak-$((6*7))-ok\r');
  const echoed = await until(() => output.includes('soak-42-ok'), 10_000);
  sub.close();
  await fresh.terminal.close(session.sessionId).catch(() => undefined);
  const label = signal === 'SIGTERM' ? 'restart (SIGTERM)' : 'restart (SIGKILL)';
  Object.assign(result.figures, {
    [`${label}: event stream ended after ms`]: Number.isNaN(eventsMs) ? 'never' : eventsMs.toFixed(0),
    [`${label}: terminal stream ended after ms`]: Number.isNaN(terminalMs) ? 'never' : terminalMs.toFixed(0),
    [`${label}: web client noticed`]: clientNoticed ? 'yes' : 'no',
    [`${label}: reconnect`]:
      again.status === 200 && echoed ? 'ok' : `events ${again.status}, terminal ${echoed ? 'ok' : 'silent'}`,
  });
  if (Number.isNaN(eventsMs)) result.violations.push(`${label}: the event stream did not end`);
  if (Number.isNaN(terminalMs)) result.violations.push(`${label}: the terminal stream did not end`);
  if (!clientNoticed) result.violations.push(`${label}: the web client did not notice the lost session`);
  if (again.status !== 200 || !echoed) result.violations.push(`${label}: reconnecting after the restart failed`);
}

export async function soakFaults(options: { source?: boolean }, log: Log): Promise<ScenarioResult> {
  const result = newResult('faults');
  const layout = buildLayout('chamber-soak-faults-');
  const { source } = options;
  const rig: Rig = {
    server: await SoakServer.start({ home: layout.home, data: layout.data, cwd: layout.root, source }),
    layout,
    source,
  };
  const parts: [string, () => Promise<void>][] = [
    ['git killed mid-commit', () => gitKilledMidCommit(result, rig)],
    ['corrupt settings', () => corruptSettings(result, rig)],
    ['restart (SIGTERM)', () => restartWithStreams(result, rig, 'SIGTERM')],
    ['restart (SIGKILL)', () => restartWithStreams(result, rig, 'SIGKILL')],
    ['full disk', () => fullDisk(result, layout, source, [SETTINGS_ON_FULL_DISK, IDENTITIES_ON_FULL_DISK])],
  ];
  try {
    for (const [name, part] of parts) {
      log(`  ${name}`);
      await part().catch((error: Error) => result.violations.push(`${name}: ${error.stack ?? error.message}`));
    }
  } finally {
    await rig.server.stop();
    layout.cleanup();
  }
  return result;
}
