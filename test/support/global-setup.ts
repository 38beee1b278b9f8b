/**
 * One temp directory per test run: every worker (and every browser, shell and git they start)
 * inherits `TMPDIR` pointing into it, and it is removed when the run ends, so a run leaves nothing
 * behind in /tmp even when a worker is killed before its own clean-up. Short on purpose: Unix
 * socket paths under it (Chromium's, D-Bus's) are limited to 108 bytes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const base = previous && previous.length < 40 ? previous : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'cht-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 });
  };
}
