/** Invoke round trip: the same command through HTTP (fetch on loopback) and through IPC frames. */
import { buildWorkspaceFixture, type WorkspaceFixture } from '../test/support/fixtures.js';
import { openRuntimeOptions, startIpc, startWeb, type RunningTransport } from '../test/support/transports.js';
import { fmt, timeMicros, type Timing } from './stats.js';

export interface InvokeCase {
  label: string;
  command: string;
  args: Record<string, unknown>;
  count: number;
}

/** The HTTP and stdio-IPC baselines on one fixture, and the commands every invoke figure uses. */
export async function startInvokeBaselines(prefix: string) {
  const fixture: WorkspaceFixture = buildWorkspaceFixture(prefix);
  const options = openRuntimeOptions(fixture);
  const web = await startWeb(options);
  const ipc = await startIpc(options);
  const cases: InvokeCase[] = [
    { label: 'get_home_directory', command: 'get_home_directory', args: {}, count: 2000 },
    { label: 'list_directory (220 entries)', command: 'list_directory', args: { path: fixture.work }, count: 300 },
  ];
  const time = (running: RunningTransport, { command, args, count }: InvokeCase): Promise<Timing> =>
    timeMicros(() => (running.transport.invoke as (n: string, a: unknown) => Promise<unknown>)(command, args), count);
  return {
    fixture,
    options,
    cases,
    /** The web server's origin (pages that call it over HTTP load from there). */
    webUrl: web.baseUrl as string,
    http: (c: InvokeCase) => time(web, c),
    ipc: (c: InvokeCase) => time(ipc, c),
    async close() {
      await web.close();
      await ipc.close();
      fixture.cleanup();
    },
  };
}

export async function benchInvoke(log: (line: string) => void): Promise<void> {
  const baselines = await startInvokeBaselines('chamber-bench-rpc-');
  try {
    for (const invokeCase of baselines.cases) {
      const http = await baselines.http(invokeCase);
      const frames = await baselines.ipc(invokeCase);
      log(
        `invoke ${invokeCase.label}: HTTP median ${fmt(http.median)} µs p99 ${fmt(http.p99)} µs | ` +
          `IPC median ${fmt(frames.median)} µs p99 ${fmt(frames.p99)} µs | HTTP/IPC median ratio ${fmt(http.median / frames.median, 2)}`,
      );
    }
  } finally {
    await baselines.close();
  }
}
