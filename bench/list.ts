/** list_directory on a 10k-entry directory, against a bare readdir + stat of the same directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRuntime } from '@chamber/runtime';
import { fmt, timeMicros } from './stats.js';

export async function benchList(log: (line: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-bench-list-'));
  try {
    for (let i = 0; i < 10_000; i++) fs.writeFileSync(path.join(dir, `entry-${i}.txt`), '');
    const runtime = createRuntime({ homeDir: dir, dataDir: path.join(dir, '.data'), env: {} });
    const baseline = await timeMicros(
      async () => {
        const entries = await fs.promises.readdir(dir, { withFileTypes: true });
        await Promise.all(entries.map((e) => fs.promises.stat(path.join(dir, e.name))));
      },
      20,
      3,
    );
    const ours = await timeMicros(() => runtime.call('list_directory', { path: dir }), 20, 3);
    log(
      `list_directory 10k entries: ours median ${fmt(ours.median / 1000)} ms p99 ${fmt(ours.p99 / 1000)} ms | ` +
        `readdir+stat baseline median ${fmt(baseline.median / 1000)} ms | ratio ${fmt(ours.median / baseline.median, 2)}`,
    );
    await runtime.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
