/**
 * `npm run bench -- agent`: the pass-through to OpenCode against its baselines, in one run.
 *
 * - Request overhead: `GET /session` on the real OpenCode, direct (its port, Basic auth) against
 *   through the web server's pass-through and through IPC frames (the desktop window's path, here
 *   an in-process IpcHost with JSON frames). Goal: ≤ +1 ms at the median.
 * - SSE throughput: an event flood (`fake-opencode.mjs /flood`, 200-byte events as fast as the
 *   socket takes them) read directly, through the web pass-through and through IPC. Goal ≥ 0.95.
 * - Crash → ready: `kill -9` of the real OpenCode until `/health` says ready again (the reference
 *   took ~17 s to pass requests again).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FAKE_OPENCODE, startAgentRig, tempHome, waitFor, type AgentRig } from '../test/support/agent.js';
import { fmt, timeMicros } from './stats.js';

const PASSWORD = 'bench-password';
const AUTH = `Basic ${Buffer.from(`opencode:${PASSWORD}`).toString('base64')}`;

async function drain(response: Response): Promise<number> {
  let bytes = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return bytes;
    bytes += value.length;
  }
}

function directUrl(rig: AgentRig, target: string): string {
  const port = rig.runtime.opencode.health().openCodePort;
  if (port === null) throw new Error('OpenCode is not running');
  return `http://127.0.0.1:${port}${target}`;
}

async function withRig<T>(binary: string | undefined, run: (rig: AgentRig) => Promise<T>): Promise<T> {
  // stableAfter 0: each crash below counts as a first one (the backoff would otherwise grow).
  const home = tempHome('chamber-bench-agent-');
  const work = path.join(home, 'work');
  fs.mkdirSync(work);
  const rig = await startAgentRig({
    home,
    cwd: work,
    opencode: { password: PASSWORD, timeouts: { stableAfter: 0 }, ...(binary && { binary }) },
  });
  try {
    if (!(await rig.runtime.opencode.waitUntilReady(60_000))) {
      throw new Error(`OpenCode not ready: ${rig.runtime.opencode.health().lastOpenCodeError}`);
    }
    return await run(rig);
  } finally {
    await rig.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export async function benchAgent(log: (line: string) => void): Promise<void> {
  await withRig(undefined, async (rig) => {
    log('Request overhead, real OpenCode, `GET /session` (µs, 400 sequential requests after 50 warm-up):');
    const direct = () => fetch(directUrl(rig, '/session'), { headers: { authorization: AUTH } }).then((r) => r.text());
    const web = () => fetch(`${rig.url}/api/session`).then((r) => r.text());
    const ipc = () => rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/session`).then((r) => r.text());
    // Interleaved rounds, so a neighbour's load hits every path alike.
    const rounds = { direct: [] as number[], web: [] as number[], ipc: [] as number[] };
    for (let round = 0; round < 4; round++) {
      rounds.direct.push((await timeMicros(direct, 100, 50)).median);
      rounds.web.push((await timeMicros(web, 100, 50)).median);
      rounds.ipc.push((await timeMicros(ipc, 100, 50)).median);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const base = median(rounds.direct);
    log(`  direct to OpenCode   p50 ${fmt(base, 0)} µs`);
    for (const name of ['web', 'ipc'] as const) {
      const value = median(rounds[name]);
      log(
        `  ${name === 'web' ? 'web pass-through  ' : 'IPC (in-process)  '}   p50 ${fmt(value, 0)} µs  (+${fmt((value - base) / 1000, 2)} ms, ${fmt(value / base, 2)}×)`,
      );
    }

    log('Crash → ready, real OpenCode (`kill -9`, then until /health says ready; 3 times):');
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const pid = rig.pid();
      const started = performance.now();
      process.kill(pid, 'SIGKILL');
      await waitFor(() => !rig.runtime.opencode.health().isOpenCodeReady, 5_000, 'the crash to show');
      await waitFor(() => rig.runtime.opencode.health().isOpenCodeReady && rig.pid() !== pid, 60_000, 'OpenCode back');
      times.push(performance.now() - started);
    }
    log(`  ${times.map((t) => `${fmt(t / 1000, 2)} s`).join(', ')} (restart delay 250 ms + OpenCode's own start)`);
  });

  await withRig(FAKE_OPENCODE, async (rig) => {
    // OpenCode's own answer time varies by milliseconds between requests; a constant-time route of
    // the stand-in upstream shows what the pass-through itself adds.
    log('Request overhead, constant-time upstream (`fake-opencode.mjs /agent`), µs, p50 of 4 × 200 after warm-up:');
    const direct = () => fetch(directUrl(rig, '/agent'), { headers: { authorization: AUTH } }).then((r) => r.text());
    const web = () => fetch(`${rig.url}/api/agent`).then((r) => r.text());
    const ipc = () => rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/agent`).then((r) => r.text());
    const medians = { direct: [] as number[], web: [] as number[], ipc: [] as number[] };
    for (let round = 0; round < 4; round++) {
      medians.direct.push((await timeMicros(direct, 200, 50)).median);
      medians.web.push((await timeMicros(web, 200, 50)).median);
      medians.ipc.push((await timeMicros(ipc, 200, 50)).median);
    }
    const mid = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const base = mid(medians.direct);
    log(`  direct               p50 ${fmt(base, 0)} µs`);
    log(`  web pass-through     p50 ${fmt(mid(medians.web), 0)} µs  (+${fmt((mid(medians.web) - base) / 1000, 2)} ms)`);
    log(`  IPC (in-process)     p50 ${fmt(mid(medians.ipc), 0)} µs  (+${fmt((mid(medians.ipc) - base) / 1000, 2)} ms)`);

    const count = 100_000;
    const target = `/flood?count=${count}&size=200`;
    log(`SSE throughput, ${count} events of 200 B (fake upstream flood), events/s, best of 3:`);
    const measure = async (open: () => Promise<Response>) => {
      let best = 0;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const bytes = await drain(await open());
        const seconds = (performance.now() - started) / 1000;
        if (bytes < count * 150) throw new Error(`short stream: ${bytes} bytes`);
        best = Math.max(best, count / seconds);
      }
      return best;
    };
    const directRate = await measure(() => fetch(directUrl(rig, target), { headers: { authorization: AUTH } }));
    const webRate = await measure(() => fetch(`${rig.url}/api${target}`));
    const ipcRate = await measure(() => rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}${target}`));
    log(`  direct               ${fmt(directRate, 0)} events/s`);
    log(`  web pass-through     ${fmt(webRate, 0)} events/s  (${fmt(webRate / directRate, 2)} of direct)`);
    log(`  IPC (in-process)     ${fmt(ipcRate, 0)} events/s  (${fmt(ipcRate / directRate, 2)} of direct)`);
  });
}
