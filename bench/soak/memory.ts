/**
 * Scenario 6: memory. N small requests (health, settings, a listing, a file read, git status, a
 * 404, a 400, a settings save) over keep-alive connections, 8 in flight; the server's RSS is
 * sampled from /proc and its heap read after a GC (SIGUSR2, see chamber-process.mjs) at the start
 * and the end. The invariant is generous: after GC the heap may not grow by more than
 * max(32 MiB, its start size), nor RSS by more than 256 MiB, over the run.
 */
import http from 'node:http';
import {
  KeepAliveRace,
  startConfined,
  buildLayout,
  mib,
  newResult,
  pool,
  request,
  type Log,
  type ScenarioResult,
} from './harness.js';

export async function soakMemory(options: { requests: number; source?: boolean }, log: Log): Promise<ScenarioResult> {
  const result = newResult('memory');
  const layout = buildLayout('chamber-soak-memory-');
  const server = await startConfined(layout, options.source);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  try {
    const dir = encodeURIComponent(layout.root);
    const cheap: [string, string, string?][] = [
      ['GET', '/health'],
      ['GET', '/api/config/settings'],
      ['GET', `/api/fs/list?path=${dir}`],
      ['GET', `/api/chamber/fs/read?path=${encodeURIComponent(`${layout.root}/README.md`)}`],
      ['GET', '/soak-not-found'],
      ['GET', `/api/fs/list?path=${dir}&path=${dir}`],
    ];
    // A git run and an fsync'd save cost far more than the rest: one of each in every 26.
    const targets: [string, string, string?][] = [
      ...cheap,
      ...cheap,
      ...cheap,
      ...cheap,
      ['GET', `/api/git/status?directory=${dir}`],
      ['PUT', '/api/config/settings', JSON.stringify({ themeId: 'soak-memory' })],
    ];
    // Warm up (JIT, caches), then the baseline after GC.
    await pool(
      Array.from({ length: 400 }, (_, i) => i),
      8,
      async (i) => {
        const [method, target, body] = targets[i % targets.length] as [string, string, string?];
        await request(server.port, method, target, {
          agent,
          body,
          headers: body ? { 'Content-Type': 'application/json' } : {},
        });
      },
    );
    const start = await server.memory();
    const rssStart = server.rss();
    let rssPeak = rssStart;
    let errors = 0;
    let keepAliveRetries = 0;
    const started = performance.now();
    await pool(
      Array.from({ length: options.requests }, (_, i) => i),
      8,
      async (i) => {
        const [method, target, body] = targets[i % targets.length] as [string, string, string?];
        const send = () =>
          request(server.port, method, target, {
            agent,
            body,
            headers: body ? { 'Content-Type': 'application/json' } : {},
            timeoutMs: 30_000,
            maxBytes: 64 * 1024,
          });
        try {
          const response = await send().catch((error: Error) => {
            if (!(error instanceof KeepAliveRace)) throw error;
            keepAliveRetries++;
            return send();
          });
          if (response.status >= 500) errors++;
        } catch {
          errors++;
        }
        if (i % 500 === 0) rssPeak = Math.max(rssPeak, server.rss());
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const end = await server.memory();
    const rssEnd = server.rss();
    rssPeak = Math.max(rssPeak, rssEnd);
    log(`  ${options.requests} requests in ${seconds.toFixed(1)} s`);
    const heapGrowth = end.heapUsed - start.heapUsed;
    const rssGrowth = rssEnd - rssStart;
    Object.assign(result.figures, {
      requests: options.requests,
      'requests/s': (options.requests / seconds).toFixed(0),
      'errors (5xx or no answer)': errors,
      'keep-alive races retried': keepAliveRetries,
      'RSS MiB start/end/peak': `${mib(rssStart)} / ${mib(rssEnd)} / ${mib(rssPeak)}`,
      'heap after GC MiB start/end': `${mib(start.heapUsed)} / ${mib(end.heapUsed)}`,
      'heap growth after GC MiB': mib(heapGrowth),
      crashes: server.crashed ? 1 : 0,
    });
    const heapBound = Math.max(32 * 2 ** 20, start.heapUsed);
    if (heapGrowth > heapBound)
      result.violations.push(`heap grew by ${mib(heapGrowth)} MiB after GC (bound ${mib(heapBound)} MiB)`);
    if (rssGrowth > 256 * 2 ** 20) result.violations.push(`RSS grew by ${mib(rssGrowth)} MiB (bound 256 MiB)`);
    if (errors) result.violations.push(`${errors} requests failed (5xx or no answer)`);
    if (server.crashed) result.violations.push('crash: the server died');
  } finally {
    agent.destroy();
    await server.stop();
    layout.cleanup();
  }
  return result;
}
