/** Invoke round trip: the same command through HTTP (fetch on loopback) and through IPC frames. */
import fs from 'node:fs';
import { buildWorkspaceFixture } from '../test/support/fixtures.js';
import { startIpc, startWeb } from '../test/support/transports.js';
import { fmt, timeMicros } from './stats.js';

export async function benchInvoke(log: (line: string) => void): Promise<void> {
  const fixture = buildWorkspaceFixture('chamber-bench-rpc-');
  const options = {
    homeDir: fixture.home,
    dataDir: fixture.dataDir,
    cwd: fixture.work,
    sandbox: { mode: 'open' as const },
  };
  const web = await startWeb(options);
  const ipc = await startIpc(options);
  try {
    const count = 2000;
    for (const [label, command, args] of [
      ['get_home_directory', 'get_home_directory', {}],
      ['list_directory (220 entries)', 'list_directory', { path: fixture.work }],
    ] as const) {
      const call = (t: typeof web.transport) => () =>
        (t.invoke as (n: string, a: unknown) => Promise<unknown>)(command, args);
      const http = await timeMicros(call(web.transport), label.startsWith('list') ? 300 : count);
      const frames = await timeMicros(call(ipc.transport), label.startsWith('list') ? 300 : count);
      log(
        `invoke ${label}: HTTP median ${fmt(http.median)} µs p99 ${fmt(http.p99)} µs | ` +
          `IPC median ${fmt(frames.median)} µs p99 ${fmt(frames.p99)} µs | HTTP/IPC median ratio ${fmt(http.median / frames.median, 2)}`,
      );
    }
  } finally {
    await web.close();
    await ipc.close();
    fs.rmSync(fixture.base, { recursive: true, force: true });
  }
}
