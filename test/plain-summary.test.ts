/**
 * The run's closing line (test/support/plain-summary.ts) is what CI reads to know tests ran, so
 * it is checked on a real vitest run of a small fixture: a pass, a failure, a skip and a file
 * that fails to load.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plain-summary-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(dir, name), text);
}

describe('plain closing line', () => {
  it('counts passed, failed (a file that cannot load included) and skipped, last and uncoloured', () => {
    write(
      'a.test.mjs',
      `import { it, expect } from 'vitest';
it('passes', () => expect(1).toBe(1));
it('fails', () => expect(1).toBe(2));
it.skip('is skipped', () => {});
`,
    );
    write('b.test.mjs', `throw new Error('cannot load');\n`);
    write(
      'vitest.config.mjs',
      `export default { test: { include: ['*.test.mjs'], reporters: ['default', ${JSON.stringify(
        path.join(repo, 'test/support/plain-summary.ts'),
      )}] } };\n`,
    );
    const run = spawnSync(
      process.execPath,
      [path.join(repo, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', 'vitest.config.mjs'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' }, timeout: 60_000 },
    );
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('tests: 1 passed, 2 failed, 1 skipped');
  });
});
