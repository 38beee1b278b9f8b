/**
 * WebSocket upgrades: only under `/api` (OpenCode's), only after the Host and Origin checks every
 * request passes. The reference hooked upgrades for every path and checked nothing (§8.6).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Runtime } from '@chamber/runtime';
import { isApiPath } from './routes.js';
import { proxyUpgrade, refuseUpgrade } from './proxy.js';
import type { HostGuard } from './security.js';

export function createUpgradeHandler(options: {
  runtime: Runtime;
  guard: HostGuard;
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
    proxyUpgrade(options.runtime.opencode, req, socket, head, rawPath, search).catch(() => socket.destroy());
  };
}
