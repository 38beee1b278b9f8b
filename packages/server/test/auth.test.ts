/**
 * UI password authentication (files-terminal-system.md §7): `/auth/session` with the reference's
 * shapes, the cookie, the gate on every `/api` request (commands, both SSE streams, OpenCode's
 * pass-through) and on WebSocket upgrades; and what the reference lacked: throttled logins,
 * sessions that survive a restart (hashed on disk) and expire after 12 idle hours, a sliding
 * cookie, cookies with a malformed escape that do not break anything.
 */
import fs from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, createRuntime, type Runtime } from '@chamber/runtime';
import { createServer, type ChamberServer, type UiAuthOptions } from '../src/index.js';
import { isSecureRequest, sessionTokens } from '../src/auth/cookies.js';
import { LoginThrottle, clientKey } from '../src/auth/throttle.js';
import { rawRequest, type RawResponse } from './raw-request.js';

const request = rawRequest;

const PASSWORD = 'sécret'; // NFC
const PASSWORD_NFD_PADDED = '  se\u0301cret \n'; // the same after NFC and trim
const CLEARING = 'oc_ui_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT';
const COOKIE_SHAPE =
  /^oc_ui_session=([A-Za-z0-9_-]{43}); Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200; Expires=([^;]+)$/;
const HOUR = 60 * 60_000;

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-auth-'));
  temps.push(dir);
  return dir;
}

interface Rig {
  port: number;
  runtime: Runtime;
  server: ChamberServer;
  dataDir: string;
  clock: { now: number };
  close(): Promise<void>;
}

const rigs: Rig[] = [];

async function startRig(
  options: { dataDir?: string; auth?: UiAuthOptions; clock?: { now: number }; staticDir?: string } = {},
): Promise<Rig> {
  const base = tempDir();
  const dataDir = options.dataDir ?? path.join(base, 'data');
  const clock = options.clock ?? { now: Date.UTC(2026, 0, 1) };
  const runtime = createRuntime({ homeDir: base, dataDir, cwd: base, env: {} });
  const server = createServer({
    runtime,
    logger: createMemoryLogger(),
    staticDir: options.staticDir,
    auth: { password: PASSWORD_NFD_PADDED, now: () => clock.now, ...options.auth },
  });
  const { port } = await server.listen(0, '127.0.0.1');
  let closed = false;
  const rig: Rig = {
    port,
    runtime,
    server,
    dataDir,
    clock,
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      await runtime.close();
    },
  };
  rigs.push(rig);
  return rig;
}

afterAll(async () => {
  for (const rig of rigs.splice(0)) await rig.close();
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function login(port: number, password: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return request(
    port,
    'POST',
    '/auth/session',
    { 'Content-Type': 'application/json', ...headers },
    JSON.stringify({ password }),
  );
}

/** Log in and answer the `Cookie` header value to send (`oc_ui_session=<token>`). */
async function loginCookie(port: number): Promise<string> {
  const response = await login(port, PASSWORD);
  expect(response.status).toBe(200);
  const token = COOKIE_SHAPE.exec(String(response.headers['set-cookie']))?.[1];
  expect(token).toBeDefined();
  return `oc_ui_session=${token}`;
}

function expectLocked(response: RawResponse): void {
  expect(response.status).toBe(401);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.json()).toEqual({ error: 'UI authentication required', locked: true });
  expect(response.headers['set-cookie']).toEqual([CLEARING]);
}

/** A raw WebSocket handshake; answers the status line and headers the server sent. */
async function upgrade(port: number, target: string, headers: Record<string, string> = {}): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      '\r\n',
  );
  let text = '';
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 5_000);
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  socket.destroy();
  return text;
}

describe('without a password', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ auth: { password: '  \u00a0 ' } }); // only spaces: disabled, as the reference
  });

  it('GET says disabled, POST says not configured, /api and upgrades pass, no sessions file', async () => {
    const status = await request(rig.port, 'GET', '/auth/session');
    expect(status.status).toBe(200);
    expect(status.json()).toEqual({ authenticated: true, disabled: true });
    expect(status.headers['set-cookie']).toBeUndefined();
    const post = await login(rig.port, 'anything');
    expect(post.status).toBe(400);
    expect(post.json()).toEqual({ error: 'UI password not configured' });
    expect((await request(rig.port, 'GET', '/api/fs/home')).status).toBe(200);
    expect(await upgrade(rig.port, '/api/ws')).toMatch(/^HTTP\/1\.1 503 /);
    expect(fs.existsSync(path.join(rig.dataDir, 'ui-sessions.json'))).toBe(false);
  });
});

describe('with a password', () => {
  let rig: Rig;
  let staticDir: string;
  beforeAll(async () => {
    staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>');
    fs.writeFileSync(path.join(staticDir, 'app.js'), 'console.log(1)');
    rig = await startRig({ staticDir });
  });

  it('GET /auth/session without a cookie: 401 locked, clearing cookie', async () => {
    const response = await request(rig.port, 'GET', '/auth/session', { Accept: 'application/json' });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ authenticated: false, locked: true });
    expect(response.headers['set-cookie']).toEqual([CLEARING]);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('every /api request without a session gets the JSON 401, whatever Accept says', async () => {
    expectLocked(await request(rig.port, 'GET', '/api/fs/home'));
    expectLocked(await request(rig.port, 'GET', '/api/fs/home', { Accept: '*/*' }));
    expectLocked(await request(rig.port, 'GET', '/API/fs/home', { Accept: 'text/html' }));
    expectLocked(
      await request(rig.port, 'PUT', '/api/config/settings', { 'Content-Type': 'application/json' }, '{"themeId":"x"}'),
    );
    expectLocked(await request(rig.port, 'OPTIONS', '/api/fs/home'));
    expectLocked(await request(rig.port, 'GET', '/api'));
    // A malformed path escape is refused as unauthenticated first: nothing is parsed before the gate.
    expectLocked(await request(rig.port, 'GET', '/api/fs/%E0%A4%A'));
    expect(fs.existsSync(path.join(rig.runtime.dataDir, 'settings.json'))).toBe(false);
  });

  it('/health, static files and the SPA fallback are not gated', async () => {
    expect((await request(rig.port, 'GET', '/health')).status).toBe(200);
    expect((await request(rig.port, 'GET', '/')).text).toContain('id="root"');
    expect((await request(rig.port, 'GET', '/app.js')).status).toBe(200);
    expect((await request(rig.port, 'GET', '/some/app/route')).text).toContain('id="root"');
  });

  it('the event stream and the terminal stream are refused without a session', async () => {
    expectLocked(await request(rig.port, 'GET', '/api/chamber/events', { Accept: 'text/event-stream' }));
    expectLocked(
      await request(rig.port, 'POST', '/api/chamber/events/abc', { 'Content-Type': 'application/json' }, '{}'),
    );
    expectLocked(await request(rig.port, 'GET', '/api/terminal/some-session/stream'));
    const cookie = await loginCookie(rig.port);
    const events = await request(rig.port, 'GET', '/api/chamber/events', { Cookie: cookie });
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toContain('text/event-stream');
    // Past the gate: the runtime's own answer for an unknown session.
    expect((await request(rig.port, 'GET', '/api/terminal/some-session/stream', { Cookie: cookie })).status).toBe(404);
  });

  it("the OpenCode pass-through: 401 without a session, the runtime's 503 with one", async () => {
    expectLocked(await request(rig.port, 'GET', '/api/session'));
    expectLocked(await request(rig.port, 'GET', '/api/event', { Accept: 'text/event-stream' }));
    expectLocked(await request(rig.port, 'OPTIONS', '/api/session'));
    const cookie = await loginCookie(rig.port);
    const through = await request(rig.port, 'GET', '/api/session', { Cookie: cookie });
    expect(through.status).toBe(503);
    expect(through.json()).toMatchObject({ error: 'OpenCode service unavailable' });
  });

  it('WebSocket upgrades under /api: 401 before forwarding without a session, forwarded with one', async () => {
    const refused = await upgrade(rig.port, '/api/ws', { Origin: `http://127.0.0.1:${rig.port}` });
    expect(refused).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(refused).toContain(`Set-Cookie: ${CLEARING}\r\n`);
    expect(refused.endsWith('{"error":"UI authentication required","locked":true}')).toBe(true);
    const cookie = await loginCookie(rig.port);
    const garbled = await upgrade(rig.port, '/api/ws', { Cookie: 'oc_ui_session=%E0%A4%A' });
    expect(garbled).toMatch(/^HTTP\/1\.1 401 /);
    // Forwarded: a runtime without OpenCode answers the upgrade itself with 503.
    expect(await upgrade(rig.port, '/api/ws', { Cookie: cookie })).toMatch(/^HTTP\/1\.1 503 /);
    // The other checks still come first.
    expect(await upgrade(rig.port, '/api/ws', { Cookie: cookie, Origin: 'http://evil.example' })).toMatch(
      /^HTTP\/1\.1 403 /,
    );
    expect(await upgrade(rig.port, '/ws', { Cookie: cookie })).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('wrong, missing and non-string passwords: 401 Invalid password with a clearing cookie', async () => {
    for (const body of [
      JSON.stringify({ password: 'nope' }),
      JSON.stringify({}),
      JSON.stringify({ password: 42 }),
      JSON.stringify({ password: '' }),
    ]) {
      const response = await request(rig.port, 'POST', '/auth/session', { 'Content-Type': 'application/json' }, body);
      expect(response.status, body).toBe(401);
      expect(response.json()).toEqual({ error: 'Invalid password', locked: true });
      expect(response.headers['set-cookie']).toEqual([CLEARING]);
    }
    const malformed = await request(rig.port, 'POST', '/auth/session', { 'Content-Type': 'application/json' }, '{');
    expect(malformed.status).toBe(400);
    expect((malformed.json() as { error: string }).error).toMatch(/^Malformed JSON body/);
  });

  it("the right password (JSON or form, NFC and trimmed) opens a session; the cookie is the reference's", async () => {
    const response = await login(rig.port, '  se\u0301cret  ');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ authenticated: true });
    const setCookie = String(response.headers['set-cookie']);
    const match = COOKIE_SHAPE.exec(setCookie);
    expect(match, setCookie).not.toBeNull();
    expect(Date.parse(match?.[2] ?? '')).toBe(rig.clock.now + 12 * HOUR);
    const cookie = `oc_ui_session=${match?.[1]}`;
    expect((await request(rig.port, 'GET', '/api/fs/home', { Cookie: cookie })).status).toBe(200);
    const status = await request(rig.port, 'GET', '/auth/session', { Cookie: cookie });
    expect(status.status).toBe(200);
    expect(status.json()).toEqual({ authenticated: true });
    expect(String(status.headers['set-cookie'])).toMatch(COOKIE_SHAPE);

    const form = await request(
      rig.port,
      'POST',
      '/auth/session',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      `password=${encodeURIComponent(PASSWORD)}`,
    );
    expect(form.status).toBe(200);
  });

  it('logging in again replaces the session the browser held', async () => {
    const first = await loginCookie(rig.port);
    const second = await login(rig.port, PASSWORD, { Cookie: first });
    expect(second.status).toBe(200);
    expectLocked(await request(rig.port, 'GET', '/api/fs/home', { Cookie: first }));
  });

  it('garbled cookies are refused; a malformed % escape in any cookie never gives a 500', async () => {
    const cookie = await loginCookie(rig.port);
    expectLocked(await request(rig.port, 'GET', '/api/fs/home', { Cookie: 'oc_ui_session=garbage' }));
    expectLocked(
      await request(rig.port, 'GET', '/api/fs/home', { Cookie: `oc_ui_session=${'A'.repeat(43)}` }), // right shape, unknown
    );
    expectLocked(await request(rig.port, 'GET', '/api/fs/home', { Cookie: 'oc_ui_session=%E0%A4%A' }));
    const garbledStatus = await request(rig.port, 'GET', '/auth/session', { Cookie: 'x=%E0%A4%A; oc_ui_session=%' });
    expect(garbledStatus.status).toBe(401);
    // Another app's broken cookie beside ours: ours still works.
    const mixed = { Cookie: `other=%E0%A4%A; ${cookie}; =; broken` };
    expect((await request(rig.port, 'GET', '/api/fs/home', mixed)).status).toBe(200);
    expect((await request(rig.port, 'GET', '/auth/session', mixed)).status).toBe(200);
    // A stale duplicate before the live one (cookies of two paths) does not hide it.
    const duplicate = { Cookie: `oc_ui_session=${'B'.repeat(43)}; ${cookie}` };
    expect((await request(rig.port, 'GET', '/api/fs/home', duplicate)).status).toBe(200);
  });

  it('a foreign Host or Origin is refused even with a session', async () => {
    const cookie = await loginCookie(rig.port);
    const host = await request(rig.port, 'GET', '/api/fs/home', { Cookie: cookie, Host: 'evil.example' });
    expect(host.status).toBe(403);
    expect(host.json()).toEqual({ error: 'Host not allowed' });
    const origin = await request(
      rig.port,
      'PUT',
      '/api/config/settings',
      { Cookie: cookie, Origin: 'http://evil.example', 'Content-Type': 'application/json' },
      '{"themeId":"x"}',
    );
    expect(origin.status).toBe(403);
    expect(origin.json()).toEqual({ error: 'Origin not allowed' });
    // Logging in from another site is refused too (no login CSRF).
    const foreignLogin = await login(rig.port, PASSWORD, { Origin: 'http://evil.example' });
    expect(foreignLogin.status).toBe(403);
    expect(foreignLogin.headers['set-cookie']).toBeUndefined();
  });

  it('other methods on /auth/session are a JSON 404, as unknown non-API paths', async () => {
    const put = await request(rig.port, 'PUT', '/auth/session');
    expect(put.status).toBe(404);
    expect(put.json()).toEqual({ error: 'Not found: PUT /auth/session' });
  });
});

describe('sessions over time and across restarts', () => {
  it('expire after 12 idle hours (sliding), and the cookie is sent again while in use', async () => {
    const rig = await startRig();
    const cookie = await loginCookie(rig.port);
    // Within the hour after the cookie was sent: no new cookie.
    rig.clock.now += 30 * 60_000;
    const early = await request(rig.port, 'GET', '/api/fs/home', { Cookie: cookie });
    expect(early.status).toBe(200);
    expect(early.headers['set-cookie']).toBeUndefined();
    // Used again 11 h later (11.5 h after login): alive, and the same token comes with a fresh expiry.
    rig.clock.now += 11 * HOUR;
    const later = await request(rig.port, 'GET', '/api/fs/home', { Cookie: cookie });
    expect(later.status).toBe(200);
    const refreshed = COOKIE_SHAPE.exec(String(later.headers['set-cookie']));
    expect(`oc_ui_session=${refreshed?.[1]}`).toBe(cookie);
    expect(Date.parse(refreshed?.[2] ?? '')).toBe(rig.clock.now + 12 * HOUR);
    rig.clock.now += 12 * HOUR - 1_000;
    expect((await request(rig.port, 'GET', '/auth/session', { Cookie: cookie })).status).toBe(200);
    rig.clock.now += 12 * HOUR;
    expectLocked(await request(rig.port, 'GET', '/api/fs/home', { Cookie: cookie }));
    await rig.close();
  });

  it('survive a restart with the same data dir, stored hashed; a new password or 12 h offline ends them', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const clock = { now: Date.UTC(2026, 1, 1) };
    const first = await startRig({ dataDir, clock });
    const cookie = await loginCookie(first.port);
    const other = await loginCookie(first.port);
    await first.close();

    const file = path.join(dataDir, 'ui-sessions.json');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(cookie.split('=')[1]);
    expect(text).not.toContain(other.split('=')[1]);
    expect(text).not.toContain(PASSWORD);
    const stored = JSON.parse(text) as { version: number; salt: string; sessions: { id: string }[] };
    expect(stored.version).toBe(1);
    expect(stored.sessions).toHaveLength(2);
    for (const session of stored.sessions) expect(session.id).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    clock.now += 2 * HOUR;
    const second = await startRig({ dataDir, clock });
    expect((await request(second.port, 'GET', '/api/fs/home', { Cookie: cookie })).status).toBe(200);
    await second.close();

    const changed = await startRig({ dataDir, clock, auth: { password: 'another password' } });
    expectLocked(await request(changed.port, 'GET', '/api/fs/home', { Cookie: cookie }));
    await changed.close();

    // `cookie` was used at +2 h (written on close), `other` last at login: 12 h later only `cookie` is alive.
    clock.now += 10 * HOUR + 60_000;
    const third = await startRig({ dataDir, clock });
    expect((await request(third.port, 'GET', '/api/fs/home', { Cookie: cookie })).status).toBe(200);
    expectLocked(await request(third.port, 'GET', '/api/fs/home', { Cookie: other }));
    await third.close();
  });

  it('a corrupt sessions file is moved aside and not trusted', async () => {
    const dataDir = path.join(tempDir(), 'data');
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, 'ui-sessions.json');
    for (const content of [
      '{ not json',
      JSON.stringify({
        version: 1,
        salt: 'AAAAAAAAAAAAAAAAAAAAAA',
        sessions: [{ id: 'x', createdAt: 1, lastSeen: 1 }],
      }),
    ]) {
      fs.writeFileSync(file, content);
      const rig = await startRig({ dataDir });
      const aside = fs.readdirSync(dataDir).filter((name) => name.startsWith('ui-sessions.json.corrupt-'));
      expect(aside.length).toBeGreaterThan(0);
      expect(fs.existsSync(file)).toBe(false);
      await loginCookie(rig.port);
      expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { sessions: unknown[] }).sessions).toHaveLength(1);
      await rig.close();
      for (const name of aside) fs.rmSync(path.join(dataDir, name));
    }
  });

  it('sessionsFile: null keeps sessions in memory only', async () => {
    const rig = await startRig({ auth: { sessionsFile: null } });
    await loginCookie(rig.port);
    await rig.close();
    expect(fs.existsSync(path.join(rig.dataDir, 'ui-sessions.json'))).toBe(false);
  });
});

describe('brute force', () => {
  afterEach(async () => {
    for (const rig of rigs.splice(0)) await rig.close();
  });

  it('after 5 failures an address waits 1 s, then 2 s, …; refused attempts are not even checked', async () => {
    const rig = await startRig();
    for (let i = 0; i < 5; i++) expect((await login(rig.port, `guess-${i}`)).status).toBe(401);
    // Locked: even the right password is refused unchecked.
    const locked = await login(rig.port, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.json()).toEqual({ error: 'Too many attempts, try again in 1 s' });
    expect(locked.headers['retry-after']).toBe('1');
    rig.clock.now += 1_000;
    expect((await login(rig.port, 'guess-6')).status).toBe(401);
    expect((await login(rig.port, PASSWORD)).json()).toEqual({ error: 'Too many attempts, try again in 2 s' });
    rig.clock.now += 2_000;
    expect((await login(rig.port, 'guess-7')).status).toBe(401);
    rig.clock.now += 4_000;
    // A success clears the record: five free failures again.
    expect((await login(rig.port, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await login(rig.port, `again-${i}`)).status).toBe(401);
    expect((await login(rig.port, 'again-6')).status).toBe(429);
    // The rest of the API is not throttled, and a session keeps working.
    rig.clock.now += 60 * 60_000;
    expect((await login(rig.port, PASSWORD)).status).toBe(200);
  });

  it('a burst of concurrent guesses gets at most a handful checked', async () => {
    const rig = await startRig();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(rig.port, `burst-${i}`)));
    const statuses = answers.map((answer) => answer.status);
    const checked = statuses.filter((status) => status === 401).length;
    expect(checked).toBeGreaterThanOrEqual(5);
    expect(checked).toBeLessThanOrEqual(6);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - checked);
  });
});

describe('pieces', () => {
  it('sessionTokens reads only well-formed oc_ui_session values and never throws', () => {
    const token = 'a'.repeat(43);
    expect(sessionTokens(`x=%E0%A4%A; oc_ui_session=${token}`)).toEqual([token]);
    expect(sessionTokens(`oc_ui_session="${token}"`)).toEqual([token]);
    expect(sessionTokens('oc_ui_session=%E0%A4%A')).toEqual([]);
    expect(sessionTokens('oc_ui_session=short')).toEqual([]);
    expect(sessionTokens(undefined)).toEqual([]);
    expect(sessionTokens(Array.from({ length: 50 }, () => `oc_ui_session=${token}`).join('; '))).toHaveLength(8);
  });

  it('Secure only for TLS, or X-Forwarded-Proto when trusted', () => {
    const req = (encrypted: boolean, proto?: string) =>
      ({
        socket: { encrypted },
        headers: proto === undefined ? {} : { 'x-forwarded-proto': proto },
      }) as unknown as http.IncomingMessage;
    expect(isSecureRequest(req(true), false)).toBe(true);
    expect(isSecureRequest(req(false, 'https'), false)).toBe(false);
    expect(isSecureRequest(req(false, 'https, http'), true)).toBe(true);
    expect(isSecureRequest(req(false, 'http, https'), true)).toBe(false);
  });

  it('clientKey groups IPv6 by /64 and unmaps IPv4', () => {
    expect(clientKey('::ffff:10.0.0.7')).toBe('10.0.0.7');
    expect(clientKey('10.0.0.7')).toBe('10.0.0.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey(undefined)).toBe('unknown');
  });

  it('LoginThrottle forgets old records and keeps at most maxEntries', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now, maxEntries: 3, maxDelayMs: 10_000, forgetAfterMs: 20_000 });
    for (const address of ['a', 'b', 'c', 'd']) throttle.fail(address);
    expect(throttle.size).toBe(3);
    for (let i = 0; i < 40; i++) throttle.fail('e');
    expect(throttle.retryAfterMs('e')).toBe(10_000); // capped
    now += 20_001;
    throttle.sweep();
    expect(throttle.size).toBe(0);
  });
});
