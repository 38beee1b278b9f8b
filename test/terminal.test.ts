/**
 * Terminals end to end through both transports: the client's `TerminalAPI` over HTTP + the
 * multiplexed SSE stream, and over IPC frames across a child process; the reference's
 * per-session SSE route byte for byte; and bad input on the wire.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_FLOW, EVENT_STREAM_PATH, type TerminalStreamEvent } from '@chamber/contract';
import { createRuntimeAPIs, createWebTransport, type ChamberRuntimeAPIs, type Transport } from '@chamber/client';
import { createRuntime } from '@chamber/runtime';
import { createServer } from '@chamber/server';
import { buildWorkspaceFixture, type WorkspaceFixture } from './support/fixtures.js';
import { openRuntimeOptions, startIpc, startWeb, type RunningTransport } from './support/transports.js';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function recorder() {
  const events: TerminalStreamEvent[] = [];
  const errors: { message: string; fatal: boolean | undefined }[] = [];
  return {
    events,
    errors,
    handlers: {
      onEvent: (event: TerminalStreamEvent) => void events.push(event),
      onError: (error: Error, fatal?: boolean) => void errors.push({ message: error.message, fatal }),
    },
    text: () => events.map((e) => (e.type === 'data' ? e.data : '')).join(''),
  };
}

/** Lines `<prefix>NNNNN` found in `text`, in order. */
function numbered(text: string, prefix: string): number[] {
  return [...text.matchAll(new RegExp(`${prefix}(\\d{5})`, 'g'))].map((m) => Number(m[1]));
}
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

const sides = ['web', 'ipc'] as const;

describe.each(sides)('terminals over %s', (side) => {
  let fixture: WorkspaceFixture;
  let running: RunningTransport;
  let apis: ChamberRuntimeAPIs;

  beforeAll(async () => {
    fixture = buildWorkspaceFixture(`chamber-terminal-${side}-`);
    const options = openRuntimeOptions(fixture);
    running = side === 'web' ? await startWeb(options) : await startIpc(options);
    apis = createRuntimeAPIs(running.transport);
  });
  afterAll(async () => {
    await running.close();
    fixture.cleanup();
  });

  it('creates a session, streams `connected` once then the first prompt and an echo, and exits', async () => {
    const session = await apis.terminal.createSession({ cwd: fixture.work });
    expect(session).toMatchObject({ cols: 80, rows: 24 });
    const seen = recorder();
    const subscription = apis.terminal.connect(session.sessionId, seen.handlers);
    await apis.terminal.sendInput(session.sessionId, 'echo over-$((20+22))\r');
    await waitFor(() => seen.text().includes('over-42'), 'echo');
    await apis.terminal.resize({ sessionId: session.sessionId, cols: 132, rows: 50 });
    await apis.terminal.sendInput(session.sessionId, 'echo "cols=$(tput cols)"; exit 4\r');
    await waitFor(() => seen.events.some((e) => e.type === 'exit'), 'exit');
    expect(seen.text()).toContain('cols=132');
    expect(seen.events.filter((e) => e.type === 'connected')).toHaveLength(1);
    expect(seen.events[0]).toEqual({ type: 'connected' });
    expect(seen.events.at(-1)).toEqual({ type: 'exit', exitCode: 4, signal: 0 });
    subscription.close();
    await expect(apis.terminal.sendInput(session.sessionId, 'x')).rejects.toThrow('Terminal session not found');
  });

  it('sends a 1 MB paste whole, in order (split below the body and frame limits)', async () => {
    const session = await apis.terminal.createSession({ cwd: fixture.work });
    const seen = recorder();
    const subscription = apis.terminal.connect(session.sessionId, seen.handlers);
    // In raw mode the tty passes bytes as they are; `head` reads exactly the paste, `wc` counts it.
    await apis.terminal.sendInput(session.sessionId, 'stty raw -echo; head -c 1048576 | wc -c; stty sane\r');
    await new Promise((r) => setTimeout(r, 300));
    const paste = 'é'.repeat(512 * 1024); // 1 MiB of UTF-8
    await apis.terminal.sendInput(session.sessionId, paste);
    await waitFor(() => /\b1048576\b/.test(seen.text()), 'byte count', 30_000);
    subscription.close();
    await apis.terminal.close(session.sessionId);
  });

  it('resumes a subscription from its last position: the two halves are the whole output, once', async () => {
    const session = await apis.terminal.createSession({ cwd: fixture.work });
    const name = `terminal://${session.sessionId}`;
    let position = 0;
    const half: string[] = [];
    const stopHalf = await listenOn(running.transport, name, half, (at) => (position = at));
    await apis.terminal.sendInput(session.sessionId, "seq -f 'half-%05g' 1 5000; echo half-$((1+1))-done\r");
    await waitFor(() => half.join('').includes('half-02000'), 'first half');
    stopHalf();
    const rest: string[] = [];
    const stopRest = await listenOn(running.transport, name, rest, () => undefined, position);
    // Under load the first half may already hold the end; the whole must, exactly once.
    await waitFor(() => (half.join('') + rest.join('')).includes('half-2-done'), 'rest');
    const whole = half.join('') + rest.join('');
    expect(numbered(whole, 'half-')).toEqual(range(5000));
    expect(whole.split('half-2-done')).toHaveLength(2);
    stopRest();
    await apis.terminal.close(session.sessionId);
  });

  it('streams more than a flow-control window (EVENT_FLOW.window) whole: acknowledgements reach the runtime', async () => {
    const session = await apis.terminal.createSession({ cwd: fixture.work });
    const seen = recorder();
    const subscription = apis.terminal.connect(session.sessionId, seen.handlers);
    // 99 999 lines of 19 bytes, ~1.9 MB: past the first window, the runtime sends more only
    // against acknowledgements (on IPC, `ack` frames), so without them the terminal stops at 1 Mi.
    await apis.terminal.sendInput(session.sessionId, "seq -f 'window-flood-%05g' 1 99999; echo flood-$((6*7))-end\r");
    await waitFor(() => seen.text().includes('flood-42-end'), 'the end marker', 20_000);
    const text = seen.text();
    expect(text.length).toBeGreaterThan(EVENT_FLOW.window + 800_000);
    expect(numbered(text, 'window-flood-')).toEqual(range(99999));
    subscription.close();
    await apis.terminal.close(session.sessionId);
  });

  it('replays the output from the start to a listener that comes back with since 0 (scrollback after a reload)', async () => {
    const session = await apis.terminal.createSession({ cwd: fixture.work });
    const name = `terminal://${session.sessionId}`;
    const first: string[] = [];
    const stopFirst = await listenOn(running.transport, name, first, () => undefined);
    await apis.terminal.sendInput(session.sessionId, 'echo before-$((2+3))\r');
    await waitFor(() => first.join('').includes('before-5'), 'the first listener got the output');
    stopFirst();
    await apis.terminal.sendInput(session.sessionId, 'echo after-$((3+4))\r');
    const again: string[] = [];
    const stopAgain = await listenOn(running.transport, name, again, () => undefined, 0);
    // Output made after the second listener asked: it has been answered, replay included.
    await waitFor(() => again.join('').includes('after-7'), 'the output after the first listener stopped');
    // Everything the first listener saw, from position 0, then the rest.
    expect(again.join('').startsWith(first.join(''))).toBe(true);
    expect(again.join('')).toContain('before-5');
    stopAgain();
    await apis.terminal.close(session.sessionId);
  });

  it('reports an unknown session as a fatal error', async () => {
    const seen = recorder();
    apis.terminal.connect('00000000-0000-4000-8000-000000000000', seen.handlers);
    await waitFor(() => seen.errors.length > 0, 'error');
    expect(seen.errors).toEqual([{ message: 'Terminal session not found', fatal: true }]);
    expect(seen.events).toEqual([]);
  });
});

function dataOf(payload: unknown): string {
  const event = payload as { type?: string; data?: string };
  return event.type === 'data' ? (event.data ?? '') : '';
}

async function listenOn(
  transport: Transport,
  name: string,
  into: string[],
  onPosition: (position: number) => void,
  since = 0,
): Promise<() => void> {
  return transport.listen(
    name,
    (payload, position) => {
      into.push(dataOf(payload));
      if (position !== undefined) onPosition(position);
    },
    { since },
  );
}

/** Raw HTTP against the server: the wire as a reference client sees it. */
function rawRequest(
  base: string,
  method: string,
  path: string,
  options: { body?: Buffer | string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Open the per-session SSE route and collect its raw text. */
function openRawStream(base: string, path: string, headers: Record<string, string> = {}) {
  const url = new URL(path, base);
  let text = '';
  let ended = false;
  let status = 0;
  const req = http.get(
    { host: url.hostname, port: url.port, path: url.pathname + url.search, headers, agent: false },
    (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => (ended = true));
    },
  );
  req.on('error', () => (ended = true));
  return { text: () => text, ended: () => ended, status: () => status, close: () => req.destroy() };
}

describe('the web wire', () => {
  let fixture: WorkspaceFixture;
  let running: RunningTransport;
  let base: string;
  let apis: ChamberRuntimeAPIs;

  beforeAll(async () => {
    fixture = buildWorkspaceFixture('chamber-terminal-wire-');
    running = await startWeb(openRuntimeOptions(fixture));
    base = running.baseUrl!;
    apis = createRuntimeAPIs(running.transport);
  });
  afterAll(async () => {
    await running.close();
    fixture.cleanup();
  });

  it('GET /api/terminal/:id/stream speaks the reference SSE format, with positions as event ids', async () => {
    const { sessionId } = await apis.terminal.createSession({ cwd: fixture.work });
    const stream = openRawStream(base, `/api/terminal/${sessionId}/stream`);
    await waitFor(() => stream.text().includes('# ') || stream.text().includes('$ '), 'prompt');
    expect(stream.status()).toBe(200);
    expect(stream.text().startsWith('data: {"type":"connected"}\n\n')).toBe(true);
    await rawRequest(base, 'POST', `/api/terminal/${sessionId}/input`, {
      body: 'echo sse-$((8*8)); exit 5\r',
      headers: { 'Content-Type': 'text/plain' },
    });
    await waitFor(stream.ended, 'the response ends after exit');
    const frames = stream.text().split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: {"type":"exit","exitCode":5,"signal":0}');
    const data = frames.slice(1, -1);
    for (const frame of data) expect(frame).toMatch(/^id: \d+\ndata: \{"type":"data","data":".*"\}$/s);
    const text = data
      .map((frame) => (JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { data: string }).data)
      .join('');
    expect(text).toContain('sse-64');
    // Resume with Last-Event-ID after the first data frame: the rest, then exit again (kept 5 minutes).
    const firstId = /^id: (\d+)/.exec(data[0] as string)?.[1] as string;
    const resumed = openRawStream(base, `/api/terminal/${sessionId}/stream`, { 'Last-Event-ID': firstId });
    await waitFor(resumed.ended, 'resumed stream ends');
    const rest = resumed
      .text()
      .split('\n\n')
      .filter((f) => f.includes('"type":"data"'))
      .map((f) => (JSON.parse(f.slice(f.indexOf('data: ') + 6)) as { data: string }).data)
      .join('');
    const first = (JSON.parse((data[0] as string).slice((data[0] as string).indexOf('data: ') + 6)) as { data: string })
      .data;
    expect(first + rest).toBe(text);
  });

  it('holds a flood for a per-session stream that stops reading, and continues where it stopped', async () => {
    const { sessionId } = await apis.terminal.createSession({ cwd: fixture.work });
    const session = running.runtime!.terminals.session(sessionId)!;
    const url = new URL(`/api/terminal/${sessionId}/stream`, base);
    let received = 0;
    let tail = '';
    let response: http.IncomingMessage | undefined;
    const req = http.get({ host: url.hostname, port: url.port, path: url.pathname, agent: false }, (res) => {
      response = res;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        received += chunk.length;
        tail = (tail + chunk).slice(-4096);
      });
    });
    await waitFor(() => received > 0, 'the stream');
    response!.pause(); // stop reading: the socket's buffers fill, then Node's
    await apis.terminal.sendInput(sessionId, 'yes flood-line\r');
    await waitFor(() => session.paused, 'the PTY paused by back-pressure');
    await new Promise((resolve) => setTimeout(resolve, 50)); // the batch read before the pause lands
    const held = session.output.end;
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Nothing more is read from the PTY while the client does not read.
    expect(session.output.end).toBe(held);
    response!.resume();
    await waitFor(() => session.output.end > held + 1_000_000, 'the flood continuing once the client reads again');
    await apis.terminal.sendInput(sessionId, '\x03');
    await waitFor(() => tail.includes('^C'), 'Ctrl-C reached the shell');
    req.destroy();
    await apis.terminal.close(sessionId);
  });

  it('answers 404 JSON for an unknown session and 400 for a malformed id on the stream route', async () => {
    const unknown = await rawRequest(base, 'GET', '/api/terminal/abc123/stream');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(unknown.body)).toEqual({ error: 'Terminal session not found' });
    const malformed = await rawRequest(base, 'GET', '/api/terminal/a%20b/stream');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toEqual({ error: 'Invalid terminal session id' });
  });

  it('writes input verbatim whatever its content type, refuses invalid UTF-8 and bodies over 100 kB', async () => {
    const { sessionId } = await apis.terminal.createSession({ cwd: fixture.work });
    const seen = recorder();
    const subscription = apis.terminal.connect(sessionId, seen.handlers);
    const input = (body: Buffer | string, type?: string) =>
      rawRequest(base, 'POST', `/api/terminal/${sessionId}/input`, {
        body,
        headers: type ? { 'Content-Type': type } : {},
      });
    expect((await input('echo typed-$((1+1))\r', 'application/json')).body).toBe('{"success":true}');
    await waitFor(() => seen.text().includes('typed-2'), 'JSON-typed input written');
    expect((await input('echo untyped-$((2+1))\r')).status).toBe(200);
    await waitFor(() => seen.text().includes('untyped-3'), 'untyped input written');
    const invalid = await input(Buffer.from([0x65, 0x63, 0xff, 0xfe, 0x0d]), 'text/plain');
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body)).toEqual({ error: 'Request body is not valid UTF-8' });
    const huge = await input(Buffer.alloc(10 * 1024 * 1024, 0x61), 'text/plain');
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toEqual({ error: 'Request body too large (limit 100 kB)' });
    // Still alive and answering after all of it.
    await apis.terminal.sendInput(sessionId, 'echo after-$((3+1))\r');
    await waitFor(() => seen.text().includes('after-4'), 'still working');
    subscription.close();
    await apis.terminal.close(sessionId);
  });

  it('resumes after the multiplexed stream drops mid-output: every line exactly once', async () => {
    // A fetch whose event-stream responses the test can cut, as a network drop would.
    const cuts: AbortController[] = [];
    const cuttingFetch: typeof fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (!url.endsWith(EVENT_STREAM_PATH)) return fetch(input, init);
      const cut = new AbortController();
      cuts.push(cut);
      init?.signal?.addEventListener('abort', () => cut.abort());
      return fetch(input, { ...init, signal: cut.signal });
    };
    const transport = createWebTransport({ baseUrl: base, fetch: cuttingFetch });
    const client = createRuntimeAPIs(transport);
    const { sessionId } = await client.terminal.createSession({ cwd: fixture.work });
    const seen = recorder();
    const subscription = client.terminal.connect(sessionId, seen.handlers);
    await client.terminal.sendInput(sessionId, "seq -f 'drop-%05g' 1 30000; echo drop-$((7*7))-end\r");
    await waitFor(() => numbered(seen.text(), 'drop-').length > 3000, 'output under way');
    cuts.at(-1)?.abort();
    await waitFor(() => seen.text().includes('drop-49-end'), 'the end, after reconnecting', 30_000);
    expect(cuts.length).toBeGreaterThanOrEqual(2);
    expect(numbered(seen.text(), 'drop-')).toEqual(range(30000));
    // Seamless: no second `connected`, no `reconnecting`, no error.
    expect(seen.events.filter((e) => e.type !== 'data')).toEqual([{ type: 'connected' }]);
    expect(seen.errors).toEqual([]);
    subscription.close();
    transport.close?.();
  });

  it('reports a session lost to a server restart with reconnecting (n/3), then a fatal error', async () => {
    const home = buildWorkspaceFixture('chamber-terminal-restart-');
    const options = { homeDir: home.home, dataDir: home.dataDir, cwd: home.work, env: {} };
    let runtime = createRuntime(options);
    let server = createServer({ runtime });
    const { port } = await server.listen(0, '127.0.0.1');
    const transport = createWebTransport({ baseUrl: `http://127.0.0.1:${port}` });
    const client = createRuntimeAPIs(transport);
    try {
      const { sessionId } = await client.terminal.createSession({ cwd: home.work });
      const seen = recorder();
      client.terminal.connect(sessionId, seen.handlers, {
        retry: { maxRetries: 3, initialDelayMs: 20, maxDelayMs: 50 },
      });
      await waitFor(() => seen.events.some((e) => e.type === 'connected'), 'connected');
      await server.close();
      await runtime.close();
      runtime = createRuntime(options);
      server = createServer({ runtime });
      await server.listen(port, '127.0.0.1');
      await waitFor(() => seen.errors.length > 0, 'fatal error', 30_000);
      expect(seen.events.filter((e) => e.type === 'reconnecting')).toEqual([
        { type: 'reconnecting', attempt: 1, maxAttempts: 3 },
        { type: 'reconnecting', attempt: 2, maxAttempts: 3 },
        { type: 'reconnecting', attempt: 3, maxAttempts: 3 },
      ]);
      expect(seen.errors).toEqual([{ message: 'Terminal session not found', fatal: true }]);
    } finally {
      transport.close?.();
      await server.close();
      await runtime.close();
      home.cleanup();
    }
  });
});
