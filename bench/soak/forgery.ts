/**
 * Scenario 2: Host and Origin forgeries. Every route with a foreign Host (DNS rebinding); every
 * state-changing route, terminal create and input on a live session included, with another
 * port's, a foreign or a `null` Origin. All must be 403; anything else counts as an escape.
 */
import fs from 'node:fs';
import path from 'node:path';
import { JSON_HEADERS, fillPath } from './attacks.js';
import { buildLayout, startConfined, newResult, pool, request, type Log, type ScenarioResult } from './harness.js';
import { isStateChanging, soakRoutes } from './routes.js';

/**
 * Scenario 2: every route with a foreign Host; every state-changing route (terminal create and
 * input included, on a live session) with a foreign, another-port or `null` Origin. All must be
 * 403; anything else is counted as an escape, and a forged terminal input that ran is one too.
 */
export async function soakForgery(options: { source?: boolean; timeoutMs: number }, log: Log): Promise<ScenarioResult> {
  const result = newResult('Host and Origin forgeries');
  const layout = buildLayout('chamber-soak-forgery-');
  const server = await startConfined(layout, options.source);
  try {
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
    result.figures = {
      'forged requests': sent,
      accepted: accepted.length,
      'no answer': hangs.length,
      crashes: server.crashed ? 1 : 0,
    };
    for (const item of accepted.slice(0, 20)) result.violations.push(`escape (forgery accepted): ${item}`);
    for (const item of hangs.slice(0, 10)) result.violations.push(`hang: ${item}`);
    if (server.crashed) result.violations.push('crash: the server died');
  } finally {
    await server.stop();
    layout.cleanup();
  }
  return result;
}
