/**
 * `fs://<directory>` with the real @parcel/watcher: `ready`, then debounced `changed` events
 * listing what changed; git's object churn unseen but its index and HEAD flagged; one OS watch per
 * directory however many subscribers, closed with the last of them and with the runtime; the
 * sandbox's refusal as an `error` event that ends the subscription.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FsChangeEvent } from '@chamber/contract';
import { createRuntime, type Runtime } from '../../src/index.js';

let base: string;
let work: string;
let runtime: Runtime;

function subscribe(directory: string) {
  const events: FsChangeEvent[] = [];
  let ended = false;
  const subscription = runtime.subscribe(
    `fs://${directory}`,
    {},
    {
      send: (payload) => events.push(payload as FsChangeEvent),
      end: () => {
        ended = true;
      },
    },
  );
  return { events, subscription, ended: () => ended };
}

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function git(...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], {
    cwd: work,
    stdio: 'ignore',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-watch-')));
  work = path.join(base, 'work');
  fs.mkdirSync(path.join(work, 'src'), { recursive: true });
  fs.writeFileSync(path.join(work, 'a.txt'), 'a\n');
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
  runtime = createRuntime({
    homeDir: base,
    dataDir: path.join(base, 'data'),
    cwd: work,
    sandbox: { mode: 'roots', roots: [work] },
  });
});

afterAll(async () => {
  await runtime?.close();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('fs:// change events', () => {
  it('says ready, then lists changed files once per burst (debounced)', async () => {
    const watch = subscribe(work);
    await until(() => watch.events.some((e) => e.type === 'ready'), 'ready');
    fs.writeFileSync(path.join(work, 'a.txt'), 'changed\n');
    fs.writeFileSync(path.join(work, 'src', 'new.ts'), 'new\n');
    fs.writeFileSync(path.join(work, 'src', 'new.ts'), 'newer\n');
    await until(() => watch.events.some((e) => e.type === 'changed'), 'a change');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const changes = watch.events.filter((e) => e.type === 'changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ directory: work, paths: ['a.txt', 'src/new.ts'], overflow: false });
    watch.subscription.close();
  });

  it('flags git’s own state (a commit) and never lists the object store', async () => {
    const watch = subscribe(work);
    await until(() => watch.events.some((e) => e.type === 'ready'), 'ready');
    git('add', '.');
    git('commit', '-q', '-m', 'second');
    await until(() => watch.events.some((e) => e.type === 'changed' && e.git), 'a git change');
    const listed = watch.events.flatMap((e) => (e.type === 'changed' ? e.paths : []));
    expect(listed.filter((p) => p.startsWith('.git'))).toEqual([]);
    watch.subscription.close();
  });

  it('shares one OS watch between subscribers and closes it with the last one', async () => {
    const first = subscribe(work);
    const second = subscribe(work);
    await until(() => first.events.length > 0 && second.events.length > 0, 'both ready');
    expect(runtime.watchers.size).toBe(1);
    first.subscription.close();
    expect(runtime.watchers.size).toBe(1);
    second.subscription.close();
    expect(runtime.watchers.size).toBe(0);
  });

  it('leaves no process or descriptor behind when watches come and go', async () => {
    // @parcel/watcher left to pick its backend probed for watchman with popen() on every new
    // watch and never reaped the shell: one zombie and one open pipe per watch, for good.
    const childStates = () =>
      fs
        .readdirSync('/proc')
        .filter((name) => /^\d+$/.test(name))
        .flatMap((pid) => {
          try {
            const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
            const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            return Number(parent) === process.pid ? [state] : [];
          } catch {
            return []; // gone meanwhile
          }
        });
    const pipes = () =>
      fs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith('pipe:');
        } catch {
          return false;
        }
      }).length;
    const pipesBefore = pipes();
    for (let i = 0; i < 5; i++) {
      const watch = subscribe(work);
      await until(() => watch.events.some((e) => e.type === 'ready'), 'ready');
      watch.subscription.close();
      await until(() => runtime.watchers.size === 0, 'the watch closed');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(childStates().filter((state) => state === 'Z')).toEqual([]);
    expect(pipes()).toBeLessThanOrEqual(pipesBefore);
  });

  it('answers a directory outside the sandbox with an error event and ends', async () => {
    const outside = subscribe(base);
    await until(() => outside.ended(), 'the end');
    expect(outside.events).toEqual([{ type: 'error', directory: base, message: 'Access to directory denied' }]);
    const missing = subscribe(path.join(work, 'missing'));
    await until(() => missing.ended(), 'the end');
    expect(missing.events).toEqual([
      { type: 'error', directory: path.join(work, 'missing'), message: 'Directory not found' },
    ]);
  });
});
