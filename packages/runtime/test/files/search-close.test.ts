/**
 * A running file listing dies with the runtime: `runtime.close()` kills the listing tools and
 * everything they started, instead of leaving them running (a stopped server used to leave
 * `rg --files` at full CPU until its timeout). The tools are stand-ins that start a child of
 * their own and never finish, so only a kill of the whole process group can end them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/index.js';
import { LISTING_ABORTED } from '../../src/files/search/file-lister.js';
import { isAlive } from '../../../../test/support/sockets.js';

let base: string;
let root: string;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-search-close-')));
  root = path.join(base, 'root');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'a.txt'), '');
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** A tool that records its pid and its child's, then hangs (as `rg` on a huge tree would). */
function hangingTool(name: string, pidFile: string): string {
  const file = path.join(base, name);
  fs.writeFileSync(
    file,
    `#!${process.execPath}
const { spawn } = require('node:child_process');
const child = spawn('sleep', ['60'], { stdio: 'ignore' });
require('node:fs').appendFileSync(${JSON.stringify(pidFile)}, process.pid + ' ' + child.pid + '\\n');
setInterval(() => {}, 1000);
`,
    { mode: 0o755 },
  );
  return file;
}

async function pidsOnceStarted(pidFile: string, processes: number): Promise<number[]> {
  for (let i = 0; i < 200; i++) {
    const lines = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim().split('\n') : [];
    if (lines.length >= processes) return lines.flatMap((line) => line.split(' ').map(Number));
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the listing tools did not start (${pidFile})`);
}

describe('runtime.close() with a file listing running', () => {
  it.each([
    { source: 'git ls-files (two processes)', tool: 'git' as const, processes: 2 },
    { source: 'rg --files', tool: 'rg' as const, processes: 1 },
  ])('kills $source and their children', async ({ tool, processes }) => {
    const pidFile = path.join(base, `${tool}.pids`);
    const fake = hangingTool(`fake-${tool}`, pidFile);
    const runtime = createRuntime({
      homeDir: base,
      dataDir: path.join(base, 'data'),
      cwd: base,
      env: {},
      search: { tools: { git: tool === 'git' ? fake : null, rg: tool === 'rg' ? fake : null } },
    });
    const search = runtime.invoke('search_files', { directory: root, query: 'a' }).then(
      () => null,
      (error: { status: number; message: string }) => error,
    );
    const pids = await pidsOnceStarted(pidFile, processes);
    expect(pids.every(isAlive)).toBe(true);

    await runtime.close();
    // The group was killed and the tools reaped before close() resolved; their children (other
    // parents' zombies at most) go at the same moment: allow the kernel a brief moment.
    for (let i = 0; i < 20 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 25));
    expect(pids.filter(isAlive)).toEqual([]);
    // The search in flight is answered, not left hanging, and nothing fell through to another source.
    expect(await search).toMatchObject({ status: 503, message: LISTING_ABORTED });
  });
});
