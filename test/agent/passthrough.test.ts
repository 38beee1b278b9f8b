/**
 * The pass-through to OpenCode on both transports, on the edge cases: 20 MB bodies both ways, SSE
 * delivered unbuffered, a client that leaves mid-stream, an upstream that dies mid-stream, a crash
 * and the truth at /health meanwhile, WebSocket upgrades and who may make them, a missing binary,
 * and no process left behind. The upstream is `fake-opencode.mjs`, which speaks OpenCode's start-up
 * protocol and Basic auth; the real binary's flows are in opencode.test.ts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENCODE_PROXY_ERRORS } from '@chamber/contract';
import { FAKE_OPENCODE, isAlive, startAgentRig, tempHome, waitFor, type AgentRig } from '../support/agent.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function home(): { home: string; work: string; log: string } {
  const dir = tempHome();
  temps.push(dir);
  const work = path.join(dir, 'work');
  fs.mkdirSync(work);
  return { home: dir, work, log: path.join(dir, 'fake.log') };
}

function fakeLog(file: string): { url: string; received?: number; aborted?: boolean; written?: number }[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { url: string });
}

async function readSse(body: ReadableStream<Uint8Array>, onEvent: (data: string) => boolean | void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (data && onEvent(data) === true) return void (await reader.cancel());
        end = buffer.indexOf('\n\n');
      }
    }
  } finally {
    reader.releaseLock();
  }
}

function sha256(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

describe('the pass-through to OpenCode (fake upstream)', () => {
  let rig: AgentRig;
  let dirs: ReturnType<typeof home>;

  beforeAll(async () => {
    dirs = home();
    rig = await startAgentRig({
      home: dirs.home,
      cwd: dirs.work,
      env: { FAKE_OPENCODE_LOG: dirs.log },
      opencode: { binary: FAKE_OPENCODE, timeouts: { restartBackoff: [100, 200] } },
    });
    expect(await rig.runtime.opencode.waitUntilReady(15_000)).toBe(true);
  });

  afterAll(async () => {
    const pid = rig.pid();
    await rig.close();
    // Closing the runtime ends the process it supervises.
    expect(isAlive(pid)).toBe(false);
  });

  it('reports OpenCode ready at /health with its port', async () => {
    const health = (await (await fetch(`${rig.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: 'ok',
      openCodeRunning: true,
      isOpenCodeReady: true,
      openCodeApiPrefix: '',
      openCodeApiPrefixDetected: true,
      lastOpenCodeError: null,
    });
    expect(typeof health.openCodePort).toBe('number');
  });

  it('forwards /api/* with /api removed, the query kept, its own credentials and none of the browser’s', async () => {
    const response = await fetch(`${rig.url}/api/whoami?directory=%2Ftmp%2Fx&a=1`, {
      method: 'PATCH',
      headers: { Cookie: 'oc_ui_session=secret', Authorization: 'Bearer nope', 'X-Custom': 'kept' },
    });
    expect(response.status).toBe(200);
    const seen = (await response.json()) as { method: string; url: string; headers: Record<string, string> };
    expect(seen.method).toBe('PATCH');
    expect(seen.url).toBe('/whoami?directory=%2Ftmp%2Fx&a=1');
    expect(seen.headers['x-custom']).toBe('kept');
    expect(seen.headers.cookie).toBeUndefined();
    expect(seen.headers.authorization).toMatch(/^Basic /);
    expect(seen.headers.authorization).not.toBe('Bearer nope');
  });

  it('streams a 20 MB request body through (web) and a form body does not hang as in the reference', async () => {
    const body = crypto.randomBytes(20 * 1024 * 1024);
    const response = await fetch(`${rig.url}/api/echo`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/octet-stream' },
    });
    expect(await response.json()).toEqual({
      received: body.length,
      sha256: sha256(body),
      contentType: 'application/octet-stream',
    });
    const form = await fetch(`${rig.url}/api/echo`, {
      method: 'POST',
      body: 'a=1&b=2',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      signal: AbortSignal.timeout(5_000),
    });
    expect(((await form.json()) as { received: number }).received).toBe(7);
  });

  it('streams a 20 MB request body over IPC (in parts) and answers it', async () => {
    const body = crypto.randomBytes(20 * 1024 * 1024);
    const response = await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/echo`, { method: 'POST', body });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ received: body.length, sha256: sha256(body) });
  });

  it('streams a 12 MB binary answer on both transports, byte for byte', async () => {
    const n = 12 * 1024 * 1024;
    const expected = Buffer.alloc(n);
    for (let i = 0; i < n; i++) expected[i] = i % 256;
    const web = Buffer.from(await (await fetch(`${rig.url}/api/bytes?n=${n}`)).arrayBuffer());
    expect(sha256(web)).toBe(sha256(expected));
    const ipcResponse = await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/bytes?n=${n}`);
    expect(ipcResponse.headers.get('content-type')).toBe('application/octet-stream');
    const ipc = Buffer.from(await ipcResponse.arrayBuffer());
    expect(ipc.length).toBe(n);
    expect(sha256(ipc)).toBe(sha256(expected));
  });

  it('holds OpenCode’s answer while an IPC reader does not read (flow control), then delivers all of it', async () => {
    const n = 64 * 1024 * 1024;
    const target = `/bytes?n=${n}&progress=1`;
    const response = await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}${target}`);
    const written = () =>
      Math.max(
        0,
        ...fakeLog(dirs.log).flatMap((entry) => (entry.url === target && entry.written ? [entry.written] : [])),
      );
    // Nobody reads: once the flow window (1 Mi characters of base64 ≈ 0.75 MiB) and the socket and
    // stream buffers below it are full, OpenCode's writes stop, far short of the 64 MiB to send.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const held = written();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(held).toBeLessThan(n);
    expect(written()).toBe(held);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBe(n);
    expect(body[n - 1]).toBe((n - 1) % 256);
    expect(written()).toBe(n);
  });

  for (const transport of ['web', 'ipc'] as const) {
    it(`delivers SSE events as they come, not when the stream ends (${transport})`, async () => {
      const target = '/event?count=4&every=150';
      const response =
        transport === 'web'
          ? await fetch(`${rig.url}/api${target}`)
          : await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}${target}`);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const received: { n: number; at: number; receivedAt: number }[] = [];
      await readSse(response.body!, (data) => {
        received.push({ ...(JSON.parse(data) as { n: number; at: number }), receivedAt: Date.now() });
      });
      expect(received.map((event) => event.n)).toEqual([0, 1, 2, 3]);
      // The first event was in our hands before the upstream had even written the last one.
      expect(received[0]!.receivedAt).toBeLessThan(received[3]!.at);
    });
  }

  for (const transport of ['web', 'ipc'] as const) {
    it(`aborts the upstream request when the client leaves mid-stream (${transport})`, async () => {
      const marker = `count=1000&every=20&leave=${transport}`;
      const response =
        transport === 'web'
          ? await fetch(`${rig.url}/api/event?${marker}`)
          : await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/event?${marker}`);
      let seen = 0;
      await readSse(response.body!, () => ++seen >= 3);
      const line = await waitFor(
        () => fakeLog(dirs.log).find((entry) => entry.url.includes(marker)),
        5_000,
        'the upstream to see the client leave',
      );
      expect(line.aborted).toBe(true);
    });
  }

  it('a JSON answer that breaks off fails the read on both transports instead of hanging', async () => {
    const web = await fetch(`${rig.url}/api/partial`);
    expect(web.status).toBe(200);
    await expect(web.text()).rejects.toThrow();
    const ipc = await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/partial`);
    expect(ipc.status).toBe(200);
    await expect(ipc.text()).rejects.toThrow(/network error/);
  });

  it('answers JSON errors from the gate, and JSON 404s from OpenCode pass through', async () => {
    const response = await fetch(`${rig.url}/api/no/such/route`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'no route /no/such/route' });
  });

  it('refuses WebSocket upgrades outside /api and from foreign origins; splices those under /api', async () => {
    const port = Number(new URL(rig.url).port);
    const handshake = async (target: string, origin?: string): Promise<string> => {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
          (origin ? `Origin: ${origin}\r\n` : '') +
          '\r\n',
      );
      let text = '';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2_000);
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1');
          if (text.includes('\r\n\r\n')) {
            if (text.startsWith('HTTP/1.1 101')) {
              socket.write('ping-through');
              if (text.includes('ping-through')) {
                clearTimeout(timer);
                resolve();
              }
            } else {
              clearTimeout(timer);
              resolve();
            }
          }
        });
        socket.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      socket.destroy();
      return text;
    };
    const spliced = await handshake('/api/ws', rig.url);
    expect(spliced).toMatch(/^HTTP\/1\.1 101 /);
    expect(spliced).toContain('ping-through');
    expect(await handshake('/ws', rig.url)).toMatch(/^HTTP\/1\.1 404 /);
    expect(await handshake('/api/ws', 'http://evil.example')).toMatch(/^HTTP\/1\.1 403 /);
    expect(await handshake('/api/ws', 'http://localhost:1')).toMatch(/^HTTP\/1\.1 403 /);
  });

  it('tells the truth at /health through a kill -9 and is back by itself; proxied calls get 503 meanwhile', async () => {
    const before = rig.pid();
    process.kill(before, 'SIGKILL');
    const down = await waitFor(
      async () => {
        const health = (await (await fetch(`${rig.url}/health`)).json()) as {
          isOpenCodeReady: boolean;
          openCodeRunning: boolean;
          lastOpenCodeError: string | null;
        };
        return health.isOpenCodeReady ? undefined : health;
      },
      2_000,
      '/health to report the crash',
    );
    expect(down.lastOpenCodeError).toMatch(/OpenCode exited with code null, signal SIGKILL/);
    const during = await fetch(`${rig.url}/api/whoami`);
    if (during.status !== 200) {
      expect(during.status).toBe(503);
      expect(await during.json()).toEqual({ error: OPENCODE_PROXY_ERRORS.restarting, restarting: true });
    }
    await waitFor(() => rig.runtime.opencode.health().isOpenCodeReady, 10_000, 'OpenCode back');
    expect(rig.pid()).not.toBe(before);
    expect((await fetch(`${rig.url}/api/whoami`)).status).toBe(200);
  });

  it('ends the client response as broken when OpenCode dies mid-stream (web and IPC)', async () => {
    // The stream breaks when the socket closes, a moment before the child's exit is seen: wait
    // for the new process, not for `ready` (still the dead one's until its exit event runs).
    const restarted = (before: number) => () => rig.pid() !== before && rig.runtime.opencode.health().isOpenCodeReady;
    const first = rig.pid();
    const web = await fetch(`${rig.url}/api/event?count=3&every=30&cut=1`);
    expect(web.status).toBe(200);
    let webEvents = 0;
    await expect(readSse(web.body!, () => void webEvents++)).rejects.toThrow();
    expect(webEvents).toBe(3);
    await waitFor(restarted(first), 10_000, 'OpenCode back');
    const second = rig.pid();
    const ipc = await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/event?count=3&every=30&cut=1`);
    expect(ipc.status).toBe(200);
    let ipcEvents = 0;
    await expect(readSse(ipc.body!, () => void ipcEvents++)).rejects.toThrow(/network error/);
    expect(ipcEvents).toBe(3);
    await waitFor(restarted(second), 10_000, 'OpenCode back');
  });
});

describe('OpenCode that cannot run', () => {
  it('a missing binary: /health says why, proxied calls get JSON 503 at once, nothing retries in a loop', async () => {
    const dirs = home();
    const rig = await startAgentRig({
      home: dirs.home,
      cwd: dirs.work,
      opencode: { binary: path.join(dirs.home, 'no-such-opencode') },
    });
    try {
      const health = await waitFor(
        async () => {
          const value = (await (await fetch(`${rig.url}/health`)).json()) as { lastOpenCodeError: string | null };
          return value.lastOpenCodeError ? value : undefined;
        },
        5_000,
        'the start failure',
      );
      expect(health).toMatchObject({ openCodeRunning: false, isOpenCodeReady: false, openCodePort: null });
      expect(health.lastOpenCodeError).toBe(
        `Failed to start OpenCode – executable "${path.join(dirs.home, 'no-such-opencode')}" not found. Set OPENCODE_BINARY to the full path of the opencode CLI or ensure it is on PATH.`,
      );
      const response = await fetch(`${rig.url}/api/session`, { signal: AbortSignal.timeout(2_000) });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({
        error: OPENCODE_PROXY_ERRORS.unavailable,
        reason: health.lastOpenCodeError,
      });
      const ipc = await rig.ipc.opencode.fetch(`${rig.ipc.opencode.baseUrl}/session`);
      expect(ipc.status).toBe(503);
      expect(await ipc.json()).toEqual({ error: OPENCODE_PROXY_ERRORS.unavailable, reason: health.lastOpenCodeError });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(rig.log.filter((line) => line.message === 'Starting OpenCode')).toHaveLength(1);
    } finally {
      await rig.close();
    }
  });

  it('a binary that never prints its port times out with the reference’s message and is not left running', async () => {
    const dirs = home();
    const rig = await startAgentRig({
      home: dirs.home,
      cwd: dirs.work,
      env: { FAKE_OPENCODE_MODE: 'silent' },
      opencode: { binary: FAKE_OPENCODE, timeouts: { port: 800, restartBackoff: [60_000] } },
    });
    try {
      const pid = await waitFor(
        () => rig.log.some((line) => line.message === 'Starting OpenCode') && rig.pid(),
        5_000,
        'the start',
      );
      await waitFor(() => rig.runtime.opencode.health().lastOpenCodeError, 5_000, 'the port timeout');
      expect(rig.runtime.opencode.health().lastOpenCodeError).toBe('Timed out waiting for OpenCode port');
      await waitFor(() => !isAlive(pid), 5_000, 'the silent process to be stopped');
    } finally {
      await rig.close();
    }
  });
});
