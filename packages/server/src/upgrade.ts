/**
 * WebSocket upgrades: only under `/api` (OpenCode's), only after the Host and Origin checks every
 * request passes and, with a UI password, only with a valid session cookie. The reference hooked
 * upgrades for every path and checked nothing, the password included (§8.6).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Runtime } from '@chamber/runtime';
import type { UiAuth } from './auth/ui-auth.js';
import { isApiPath } from './routes.js';
import { proxyUpgrade, refuseUpgrade } from './proxy.js';
import type { HostGuard } from './security.js';

export function createUpgradeHandler(options: {
  runtime: Runtime;
  guard: HostGuard;
  auth: UiAuth;
}): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q === -1 ? target : target.slice(0, q);
    const search = q === -1 ? '' : target.slice(q + 1);
    if (!options.guard.allowsHost(req.headers.host)) {
      return refuseUpgrade(socket, 403, JSON.stringify({ error: 'Host not allowed' }));
    }
    // Browsers always send Origin with a WebSocket handshake; a page of another site must not get one.
    const origin = req.headers.origin;
    if (origin !== undefined && !options.guard.allowsOrigin(origin, req.headers.host)) {
      return refuseUpgrade(socket, 403, JSON.stringify({ error: 'Origin not allowed' }));
    }
    if (!rawPath.startsWith('/') || !isApiPath(rawPath)) {
      return refuseUpgrade(socket, 404, JSON.stringify({ error: `Not found: ${rawPath.slice(0, 256)}` }));
    }
    void (async () => {
      const admission = await options.auth.admit(req);
      // Refused before anything reaches OpenCode; a 101 carries no cookie refresh (OpenCode writes its headers).
      if (!admission.ok) {
        const { answer } = admission;
        return refuseUpgrade(socket, answer.status, JSON.stringify(answer.body), answer.headers);
      }
      await proxyUpgrade(options.runtime.opencode, req, socket, head, rawPath, search);
    })().catch(() => socket.destroy());
  };
}
