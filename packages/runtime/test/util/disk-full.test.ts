/**
 * A full disk, for real: the data dir is a 64 KiB tmpfs filled to the last byte. Saves must answer
 * one status with a message that says the disk is full, leave no lock or temp file behind, and the
 * first save after space is freed must not wait out the 10 s stale-lock period. Mounting needs
 * root (and a kernel that lets us); where it is impossible the test is skipped.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/index.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-disk-full-'));
const mountPoint = path.join(base, 'data');
fs.mkdirSync(mountPoint);
const mounted = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint], { stdio: 'ignore' });
  fs.rmSync(base, { recursive: true, force: true });
});

/** Write until the file system refuses: every block taken, inodes still free (as on a full disk). */
function fill(file: string): void {
  try {
    fs.writeFileSync(file, Buffer.alloc(1024 * 1024));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
}

describe.skipIf(!mounted)('a full disk', () => {
  it('answers 507 "disk is full" for settings and identities alike, and leaves no lock behind', async () => {
    const runtime = createRuntime({ homeDir: base, dataDir: mountPoint, env: {} });
    try {
      const filler = path.join(mountPoint, 'filler');
      fill(filler);

      await expect(runtime.invoke('save_settings', { changes: { themeId: 'dark' } })).rejects.toMatchObject({
        status: 507,
        message: 'Could not save settings.json: the disk is full (ENOSPC); free some space and try again',
      });
      await expect(
        runtime.invoke('create_git_identity', {
          profile: { id: 'work', userName: 'Work', userEmail: 'work@example.com' },
        }),
      ).rejects.toMatchObject({
        status: 507,
        message: 'Could not save git-identities.json: the disk is full (ENOSPC); free some space and try again',
      });
      expect(fs.readdirSync(mountPoint)).toEqual(['filler']);

      fs.rmSync(filler);
      const started = Date.now();
      await runtime.invoke('save_settings', { changes: { themeId: 'dark' } });
      await runtime.invoke('create_git_identity', {
        profile: { id: 'work', userName: 'Work', userEmail: 'work@example.com' },
      });
      // A lock left behind would hold each save for the whole stale period (10 s).
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(fs.readdirSync(mountPoint).sort()).toEqual(['git-identities.json', 'settings.json']);
    } finally {
      await runtime.close();
    }
  });
});
