/** One desktop per data directory: the lock, the FIFO, and recovering from a crashed primary. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@chamber/runtime';
import { claimSingleInstance, type InstanceClaim } from '../src/index.js';

let dataDir: string;
const claims: InstanceClaim[] = [];
const claim = async (takeoverAfterMs?: number) => {
  const result = await claimSingleInstance({ dataDir, logger: silentLogger, takeoverAfterMs });
  claims.push(result);
  return result;
};

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-instance-'));
});
afterEach(() => {
  for (const c of claims.splice(0)) if (c.kind === 'primary') c.release();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('claimSingleInstance', () => {
  it('the first launch is primary; the next one hands a focus request over the FIFO and is secondary', async () => {
    const first = await claim();
    expect(first.kind).toBe('primary');
    expect(fs.readFileSync(path.join(dataDir, 'desktop.lock'), 'utf8')).toBe(`${process.pid}\n`);
    expect(fs.statSync(path.join(dataDir, 'desktop.fifo')).isFIFO()).toBe(true);
    let focused = 0;
    if (first.kind === 'primary') first.onFocusRequest(() => focused++);
    expect((await claim()).kind).toBe('secondary');
    for (let i = 0; i < 100 && focused === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(focused).toBe(1);
  });

  it('release removes the lock and the FIFO, so the next launch is primary again', async () => {
    const first = await claim();
    if (first.kind === 'primary') first.release();
    expect(fs.existsSync(path.join(dataDir, 'desktop.lock'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'desktop.fifo'))).toBe(false);
    expect((await claim()).kind).toBe('primary');
  });

  it('takes over from a primary that crashed (its pid gone, its FIFO unread)', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dataDir, 'desktop.lock'), `${dead.stdout}\n`);
    spawnSync('mkfifo', [path.join(dataDir, 'desktop.fifo')]);
    expect((await claim()).kind).toBe('primary');
    expect(fs.readFileSync(path.join(dataDir, 'desktop.lock'), 'utf8')).toBe(`${process.pid}\n`);
  });

  it('takes over a lock whose live owner never answers', async () => {
    // pid 1 is alive but is no Chamber: it never opens the FIFO.
    fs.writeFileSync(path.join(dataDir, 'desktop.lock'), '1\n');
    expect((await claim(100)).kind).toBe('primary');
  });
});
