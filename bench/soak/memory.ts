/**
 * Scenario 6: memory. N small requests (health, settings, a listing, a file read, git status, a
 * 404, a 400, a settings save) over keep-alive connections, 8 in flight; then M open/close cycles
 * of the server's SSE streams (the per-session terminal stream, the multiplexed event stream
 * subscribed to a terminal and to a directory watch `fs://`), on terminals that keep printing:
 * some closed as soon as the headers came, some mid-data, one in 50 left open to the end and then
 * closed. The server's RSS is sampled from /proc and its heap read after a GC (SIGUSR2, see
 * chamber-process.mjs) at the start, between the phases and at the end. The invariant is
 * generous: after GC the heap may not grow by more than max(32 MiB, its start size), over the
 * run and over the stream phase alone, nor RSS by more than 256 MiB. Afterwards the server must
 * hold no leftover: its sockets and inotify watches (from /proc) back to what they were before the
 * streams, and once the terminals are closed, no shell left.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  childrenOf,
  cmdlineOf,
  openHandles,
  sleep,
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

/** `<state> <comm> <cmdline>` of a process from /proc (a zombie has a state Z and no cmdline). */
function describeProcess(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return `${state} ${comm} ${cmdlineOf(pid).join(' ').slice(0, 120)}`.trim();
  } catch {
    return 'gone';
  }
}

/** How one SSE cycle ends: as soon as the headers came, after the first data, or held to the end of the phase. */
type StreamEnd = 'headers' | 'data' | 'held';

/**
 * One SSE request (agent: false, its own connection): resolves once its end condition is met
 * ('held': once data came, with the request to destroy later), every wait bounded by `timeoutMs`.
 */
function streamCycle(
  port: number,
  target: string,
  end: StreamEnd,
  timeoutMs: number,
): Promise<{ status: number; bytes: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: target, headers: { Accept: 'text/event-stream' }, agent: false },
      (res) => {
        let bytes = 0;
        const done = (): void => {
          clearTimeout(timer);
          if (end !== 'held') req.destroy();
          resolve({ status: res.statusCode ?? 0, bytes, close: () => req.destroy() });
        };
        if (end === 'headers' || res.statusCode !== 200) return done();
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          // Mid-data: past the stream's first message (`ready`, or a terminal's replay).
          if (bytes > 64) done();
        });
        res.on('end', done);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`stream ${target}: no data in ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end();
  });
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

export async function soakMemory(
  options: { requests: number; streams: number; source?: boolean },
  log: Log,
): Promise<ScenarioResult> {
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
    log(`  ${options.requests} requests in ${seconds.toFixed(1)} s`);

    // Streams. Terminals that print a line every 100 ms, so every stream has data coming.
    agent.destroy();
    const terminals: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await request(server.port, 'POST', '/api/terminal/create', {
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ cwd: layout.root }),
      });
      const { sessionId } = JSON.parse(created.text) as { sessionId: string };
      terminals.push(sessionId);
      await request(server.port, 'POST', `/api/terminal/${sessionId}/input`, {
        headers: { 'Content-Type': 'text/plain' },
        body: `while :; do echo soak-memory-stream-$i-$RANDOM; sleep 0.1; done\r`,
      });
    }
    const shells = childrenOf(server.pid).length;
    // What the server holds with no client: sockets settle once the keep-alive ones are gone.
    let handlesBefore = openHandles(server.pid);
    await until(() => {
      const now = openHandles(server.pid);
      const stable = now.sockets === handlesBefore.sockets;
      handlesBefore = now;
      return stable;
    }, 10_000);
    const beforeStreams = await server.memory();
    const streamTargets = (i: number): string => {
      const id = terminals[i % terminals.length] as string;
      switch (i % 3) {
        case 0:
          return `/api/terminal/${id}/stream`;
        case 1:
          return `/api/chamber/events?subscribe=${encodeURIComponent(`terminal://${id}`)}`;
        default:
          return `/api/chamber/events?subscribe=${encodeURIComponent(`fs://${layout.root}`)},${encodeURIComponent(`terminal://${id}`)}`;
      }
    };
    const held: { close(): void }[] = [];
    const ends = { headers: 0, data: 0, held: 0 };
    let streamErrors = 0;
    let streamBytes = 0;
    const streamsStarted = performance.now();
    await pool(
      Array.from({ length: options.streams }, (_, i) => i),
      8,
      async (i) => {
        const end: StreamEnd = i % 50 === 0 ? 'held' : i % 2 === 0 ? 'headers' : 'data';
        try {
          const cycle = await streamCycle(server.port, streamTargets(i), end, 10_000);
          if (cycle.status !== 200) streamErrors++;
          streamBytes += cycle.bytes;
          ends[end]++;
          if (end === 'held') held.push(cycle);
        } catch {
          streamErrors++;
        }
        // Something for the directory watches to report now and then.
        if (i % 100 === 0) fs.writeFileSync(path.join(layout.root, 'soak-watched.txt'), `${i}\n`);
        if (i % 500 === 0) rssPeak = Math.max(rssPeak, server.rss());
      },
    );
    const heldOpen = openHandles(server.pid);
    for (const stream of held) stream.close();
    const streamSeconds = (performance.now() - streamsStarted) / 1000;
    log(`  ${options.streams} stream cycles in ${streamSeconds.toFixed(1)} s`);
    // No leftover: the server's sockets and watches back to where they were (bounded wait).
    let handlesAfter = openHandles(server.pid);
    await until(() => {
      handlesAfter = openHandles(server.pid);
      return (
        handlesAfter.sockets <= handlesBefore.sockets &&
        handlesAfter.pipes <= handlesBefore.pipes &&
        handlesAfter.inotifyWatches <= handlesBefore.inotifyWatches
      );
    }, 10_000);
    const childrenAfterStreams = childrenOf(server.pid);
    const shellsAfterStreams = childrenAfterStreams.length;
    for (const id of terminals) await request(server.port, 'DELETE', `/api/terminal/${id}`, { timeoutMs: 10_000 });
    const noShells = await until(() => childrenOf(server.pid).length === 0, 10_000);
    const afterStreams = await server.memory();

    const end = afterStreams;
    const rssEnd = server.rss();
    rssPeak = Math.max(rssPeak, rssEnd);
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
      'stream cycles': options.streams,
      'stream cycles/s': (options.streams / streamSeconds).toFixed(0),
      'streams closed after headers / mid-data / held to the end': `${ends.headers} / ${ends.data} / ${ends.held}`,
      'stream bytes read': streamBytes,
      'stream errors (not 200, no data in 10 s)': streamErrors,
      'heap after GC MiB before/after the streams': `${mib(beforeStreams.heapUsed)} / ${mib(afterStreams.heapUsed)}`,
      'server sockets: no client / held streams open / after': `${handlesBefore.sockets} / ${heldOpen.sockets} / ${handlesAfter.sockets}`,
      'server pipes: no client / held streams open / after': `${handlesBefore.pipes} / ${heldOpen.pipes} / ${handlesAfter.pipes}`,
      'server inotify watches: no client / held streams open / after': `${handlesBefore.inotifyWatches} / ${heldOpen.inotifyWatches} / ${handlesAfter.inotifyWatches}`,
      'shells: before / after the streams / after closing the terminals': `${shells} / ${shellsAfterStreams} / ${childrenOf(server.pid).length}`,
      crashes: server.crashed ? 1 : 0,
    });
    const heapBound = Math.max(32 * 2 ** 20, start.heapUsed);
    if (heapGrowth > heapBound)
      result.violations.push(`heap grew by ${mib(heapGrowth)} MiB after GC (bound ${mib(heapBound)} MiB)`);
    const streamHeapGrowth = afterStreams.heapUsed - beforeStreams.heapUsed;
    if (streamHeapGrowth > heapBound)
      result.violations.push(
        `heap grew by ${mib(streamHeapGrowth)} MiB after GC over the stream cycles (bound ${mib(heapBound)} MiB)`,
      );
    if (streamErrors) result.violations.push(`${streamErrors} stream cycles failed (not 200, or no data in 10 s)`);
    if (handlesAfter.sockets > handlesBefore.sockets)
      result.violations.push(
        `leftover streams: the server holds ${handlesAfter.sockets} sockets after every client left, ${handlesBefore.sockets} before`,
      );
    if (handlesAfter.pipes > handlesBefore.pipes)
      result.violations.push(
        `leftover pipes: the server holds ${handlesAfter.pipes} pipes after every client left, ${handlesBefore.pipes} before`,
      );
    if (handlesAfter.inotifyWatches > handlesBefore.inotifyWatches)
      result.violations.push(
        `leftover directory watches: ${handlesAfter.inotifyWatches} inotify watches after every client left, ${handlesBefore.inotifyWatches} before`,
      );
    const describeChildren = (pids: number[]): string => pids.map((pid) => `${pid} ${describeProcess(pid)}`).join('; ');
    if (shellsAfterStreams !== shells)
      result.violations.push(
        `the stream cycles changed the server's child processes: ${shells} before, ${shellsAfterStreams} after (${describeChildren(childrenAfterStreams)})`,
      );
    if (!noShells)
      result.violations.push(
        `leftover processes 10 s after closing every terminal: ${describeChildren(childrenOf(server.pid))}`,
      );
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
