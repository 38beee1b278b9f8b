/**
 * Scenario 2: Host and Origin forgeries. Every route with a foreign Host (DNS rebinding); every
 * state-changing route, terminal create and input on a live session included, with another
 * port's, a foreign or a `null` Origin. All must be 403; anything else counts as an escape.
 * Then raw WebSocket upgrades (a net socket, `Upgrade: websocket`) with the same forged Host and
 * Origin values, on `/api` paths and others: every one must be refused by the check (403), never
 * 101, never left unanswered; the legitimate upgrade is sent too, as the control (with the agent
 * off it gets the agent's 503; with the agent on, 101 and an echo through the spliced sockets).
 * With the agent on (`opencode`), the pass-through's own paths are forged too, and the agent's
 * request log must show that none of them reached it.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { JSON_HEADERS, fillPath } from './attacks.js';
import { buildLayout, startConfined, newResult, pool, request, type Log, type ScenarioResult } from './harness.js';
import { isStateChanging, soakRoutes } from './routes.js';

/** What a raw upgrade request got: the status line's code (101, 403…), `closed` (no answer, socket closed) or `timeout`. */
export interface UpgradeAnswer {
  status: number | 'closed' | 'timeout';
  text: string;
  /** After a 101: whether bytes written came back (the fake OpenCode's `/ws` echoes). */
  echoed?: boolean;
}

/**
 * One WebSocket handshake on a raw socket, with `headers` exactly as given (Host and Origin
 * included), every wait bounded by `timeoutMs`. On a 101 it writes a few bytes and waits for them
 * to come back (the spliced sockets), then closes.
 */
export function rawUpgrade(
  port: number,
  target: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<UpgradeAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let status: number | undefined;
    let headEnd = -1;
    const probe = 'soak-ws-echo';
    let settled = false;
    const finish = (answer: UpgradeAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(
      () =>
        finish(
          status === 101
            ? { status, text: received.toString('latin1', 0, 200), echoed: false }
            : { status: 'timeout', text: received.toString('latin1', 0, 200) },
        ),
      timeoutMs,
    );
    socket.on('connect', () => {
      const lines = [
        `GET ${target} HTTP/1.1`,
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Sec-WebSocket-Key: c29hay13ZWJzb2NrZXQta2V5',
        'Sec-WebSocket-Version: 13',
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (status === undefined) {
        headEnd = received.indexOf('\r\n\r\n');
        if (headEnd === -1) return;
        status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(received.toString('latin1', 0, 64))?.[1] ?? 0);
        if (status === 101) socket.write(probe);
        return;
      }
      if (status === 101 && received.indexOf(probe, headEnd) !== -1)
        finish({ status, text: received.toString('latin1', 0, 200), echoed: true });
    });
    const closed = (): void => {
      const text = received.toString('latin1', 0, 300);
      finish(
        status === undefined
          ? { status: 'closed', text }
          : { status, text, echoed: status === 101 ? false : undefined },
      );
    };
    socket.on('end', closed);
    socket.on('close', closed);
    socket.on('error', closed);
  });
}

/**
 * Paths only the pass-through serves (the agent's own API under `/api`): forged, they must be
 * refused like every command route, before anything reaches OpenCode.
 */
const PASS_THROUGH: { method: string; target: string }[] = [
  { method: 'GET', target: '/api/whoami' },
  { method: 'GET', target: '/api/agent' },
  { method: 'GET', target: '/api/config' },
  { method: 'POST', target: '/api/echo' },
  { method: 'POST', target: '/api/session' },
  { method: 'DELETE', target: '/api/session/soak' },
  { method: 'PATCH', target: '/api/config' },
];

/** Marks a forged request in the agent's request log (FAKE_OPENCODE_LOG): none may appear there. */
const FORGED_MARK = 'soakforged=1';

/**
 * Scenario 2: every route with a foreign Host; every state-changing route (terminal create and
 * input included, on a live session) with a foreign, another-port or `null` Origin. All must be
 * 403; anything else is counted as an escape, and a forged terminal input that ran is one too.
 * Then the WebSocket upgrades (see the top of this file).
 */
export async function soakForgery(
  options: { source?: boolean; timeoutMs: number; opencode?: string },
  log: Log,
): Promise<ScenarioResult> {
  const agentOn = options.opencode !== undefined;
  const result = newResult(agentOn ? 'Host and Origin forgeries, agent on' : 'Host and Origin forgeries');
  const layout = buildLayout('chamber-soak-forgery-');
  const agentLog = path.join(layout.base, 'agent-requests.jsonl');
  const server = await startConfined(
    layout,
    options.source,
    agentOn ? { opencode: options.opencode, env: { FAKE_OPENCODE_LOG: agentLog } } : undefined,
  );
  try {
    if (agentOn && !(await server.waitForAgent())) {
      result.violations.push(`the agent never became ready:\n${server.tail.slice(-10).join('\n')}`);
      return result;
    }
    const created = await request(server.port, 'POST', '/api/terminal/create', {
      headers: JSON_HEADERS,
      body: JSON.stringify({ cwd: layout.root }),
    });
    const sessionId = (JSON.parse(created.text) as { sessionId: string }).sessionId;
    const proof = path.join(layout.root, 'forged-input-ran');
    const other = server.port === 65535 ? 65534 : server.port + 1;
    const origins = [
      `http://localhost:${other}`,
      `http://127.0.0.1:${other}`,
      `http://[::1]:${other}`,
      'null',
      'http://evil.example',
    ];
    const hosts = ['evil.example', `evil.example:${server.port}`, 'localhost.evil.example', '127.0.0.1.nip.io'];
    let sent = 0;
    const accepted: string[] = [];
    const hangs: string[] = [];
    const attempts: { method: string; target: string; headers: Record<string, string>; body?: string; what: string }[] =
      [];
    for (const route of soakRoutes()) {
      const { binding } = route;
      const params: Record<string, string> = { sessionId, id: 'soak', name: 'soak' };
      const target =
        fillPath(binding, params) + (route.name === 'list_directory' ? `?path=${encodeURIComponent(layout.root)}` : '');
      const body =
        route.name === 'send_terminal_input'
          ? `touch ${proof}\r`
          : route.name === 'create_terminal_session'
            ? JSON.stringify({ cwd: layout.root })
            : binding.method === 'GET'
              ? undefined
              : '{}';
      const type = route.name === 'send_terminal_input' ? 'text/plain' : 'application/json';
      for (const host of hosts) {
        attempts.push({
          method: binding.method,
          target,
          headers: { Host: host, ...(body ? { 'Content-Type': type } : {}) },
          body,
          what: `${route.name} Host: ${host}`,
        });
      }
      if (!isStateChanging(binding)) continue;
      for (const origin of origins) {
        attempts.push({
          method: binding.method,
          target,
          headers: { Origin: origin, 'Content-Type': type },
          body,
          what: `${route.name} Origin: ${origin}`,
        });
      }
    }
    if (agentOn) {
      for (const { method, target } of PASS_THROUGH) {
        const marked = `${target}?${FORGED_MARK}`;
        const body = method === 'GET' ? undefined : '{}';
        const type: Record<string, string> = body ? { 'Content-Type': 'application/json' } : {};
        for (const host of hosts)
          attempts.push({
            method,
            target: marked,
            headers: { Host: host, ...type },
            body,
            what: `${method} ${target} Host: ${host}`,
          });
        if (method === 'GET') continue;
        for (const origin of origins)
          attempts.push({
            method,
            target: marked,
            headers: { Origin: origin, ...type },
            body,
            what: `${method} ${target} Origin: ${origin}`,
          });
      }
    }
    await pool(attempts, 4, async (attempt) => {
      sent++;
      try {
        const response = await request(server.port, attempt.method, attempt.target, {
          headers: attempt.headers,
          body: attempt.body,
          timeoutMs: options.timeoutMs,
        });
        if (response.status !== 403)
          accepted.push(`${attempt.what} → ${response.status} ${response.text.slice(0, 120)}`);
      } catch (error) {
        hangs.push(`${attempt.what}: ${(error as Error).message}`);
      }
    });
    // Give a forged keystroke that got through the time to run.
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (fs.existsSync(proof)) accepted.push(`forged terminal input ran (${proof} exists)`);
    await request(server.port, 'DELETE', `/api/terminal/${sessionId}`);
    log(`  ${sent} forged requests`);

    // WebSocket upgrades: forged Host (own Origin or none) and forged Origin (own Host), on /api
    // paths and on others; the same with our own Host and Origin is the control.
    const ownHost = `127.0.0.1:${server.port}`;
    const ownOrigin = `http://${ownHost}`;
    const wsPaths = [
      '/api/ws',
      '/api/event',
      `/api/terminal/${sessionId}/stream`,
      '/ws',
      '/',
      '/socket.io/?EIO=4&transport=websocket',
    ];
    const upgrades: { target: string; headers: Record<string, string>; what: string }[] = [];
    for (const target of wsPaths) {
      for (const host of hosts) {
        upgrades.push({ target, headers: { Host: host }, what: `${target} Host: ${host}` });
        upgrades.push({
          target,
          headers: { Host: host, Origin: ownOrigin },
          what: `${target} Host: ${host}, own Origin`,
        });
      }
      for (const origin of origins)
        upgrades.push({ target, headers: { Host: ownHost, Origin: origin }, what: `${target} Origin: ${origin}` });
    }
    const upgradeStatuses = new Map<string, number>();
    const notByCheck: string[] = [];
    await pool(upgrades, 4, async (upgrade) => {
      const answer = await rawUpgrade(server.port, upgrade.target, upgrade.headers, options.timeoutMs);
      const key = String(answer.status);
      upgradeStatuses.set(key, (upgradeStatuses.get(key) ?? 0) + 1);
      if (answer.status === 101)
        accepted.push(`upgrade ${upgrade.what} → 101${answer.echoed ? ' (spliced: echo came back)' : ''}`);
      else if (answer.status === 'timeout') hangs.push(`upgrade ${upgrade.what}: no answer in ${options.timeoutMs} ms`);
      else if (answer.status !== 403)
        notByCheck.push(
          `upgrade ${upgrade.what} → ${answer.status} ${answer.text.replace(/\r\n/g, ' ').slice(0, 160)}`,
        );
    });
    const legit = await rawUpgrade(server.port, '/api/ws', { Host: ownHost, Origin: ownOrigin }, options.timeoutMs);
    const legitOther = await rawUpgrade(server.port, '/ws', { Host: ownHost, Origin: ownOrigin }, options.timeoutMs);
    const describe = (answer: UpgradeAnswer): string =>
      answer.status === 101
        ? `101${answer.echoed ? ', echo through the spliced sockets' : ', NO echo'}`
        : `${answer.status} ${answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4).slice(0, 100)}`;
    log(`  ${upgrades.length} forged upgrades`);

    // With the agent on: did any forged request reach it? (its log names every request it saw,
    // the legitimate control below included: proof that the log is read)
    let reachedAgent: string[] = [];
    let agentSaw = 0;
    if (agentOn) {
      const control = await request(server.port, 'GET', '/api/whoami', { timeoutMs: options.timeoutMs });
      result.figures['pass-through control (own Host) GET /api/whoami'] = control.status;
      if (control.status !== 200)
        result.violations.push(
          `the legitimate pass-through request failed: ${control.status} ${control.text.slice(0, 160)}`,
        );
      // The agent logs a request once its answer is closed: give the control's line a moment.
      const readLog = () =>
        fs.existsSync(agentLog) ? fs.readFileSync(agentLog, 'utf8').split('\n').filter(Boolean) : [];
      let lines = readLog();
      for (let waited = 0; waited < 2_000 && !lines.some((line) => line.includes('/whoami')); waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        lines = readLog();
      }
      agentSaw = lines.length;
      reachedAgent = lines.filter((line) => line.includes(FORGED_MARK));
      if (!lines.some((line) => line.includes('/whoami')))
        result.violations.push("blind check: the agent's request log does not show the legitimate request");
    }
    result.figures = {
      ...result.figures,
      'forged requests': sent,
      'forged upgrades': upgrades.length,
      'forged upgrade answers': [...upgradeStatuses].map(([status, n]) => `${status}×${n}`).join(' '),
      'legitimate upgrade /api/ws': describe(legit),
      'legitimate upgrade /ws (not /api)': describe(legitOther),
      ...(agentOn
        ? { 'requests the agent saw': agentSaw, 'forged requests that reached the agent': reachedAgent.length }
        : {}),
      accepted: accepted.length + reachedAgent.length,
      'upgrades refused other than by the check': notByCheck.length,
      'no answer': hangs.length,
      crashes: server.crashed ? 1 : 0,
    };
    for (const item of notByCheck.slice(0, 10))
      result.violations.push(`forged upgrade not refused by the Host/Origin check (403): ${item}`);
    for (const line of reachedAgent.slice(0, 10)) result.violations.push(`escape (forgery reached the agent): ${line}`);
    // The control: the check must not refuse everything. Agent off, the legitimate upgrade passes
    // the check and gets the agent's refusal (503); agent on, it is switched and spliced.
    if (agentOn ? legit.status !== 101 || !legit.echoed : legit.status === 101 || legit.status === 403)
      result.violations.push(
        `legitimate upgrade /api/ws: ${describe(legit)} (expected ${agentOn ? '101 and an echo' : 'the agent-off refusal, not 403'})`,
      );
    if (legitOther.status !== 404)
      result.violations.push(`legitimate upgrade on /ws (not /api): ${describe(legitOther)} (expected 404)`);
    for (const item of accepted.slice(0, 20)) result.violations.push(`escape (forgery accepted): ${item}`);
    for (const item of hangs.slice(0, 10)) result.violations.push(`hang: ${item}`);
    if (server.crashed) result.violations.push('crash: the server died');
  } finally {
    await server.stop();
    layout.cleanup();
  }
  return result;
}
