/**
 * `createServer({ runtime })`: a `node:http` server answering the OpenChamber wire contract, with
 * routes generated from the command table.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthResponse } from '@chamber/contract';
import type { Logger, Runtime } from '@chamber/runtime';
import { createRequestHandler } from './app.js';
import { MAX_HEADER_BYTES, answerClientError } from './client-errors.js';
import { UiAuth, type UiAuthOptions } from './auth/ui-auth.js';
import { EventStreamHub } from './event-stream.js';
import { DEFAULT_HOST, HostGuard, formatHostForUrl } from './security.js';
import { StaticFiles } from './static.js';
import { StreamRoutes } from './stream-routes.js';
import { createUpgradeHandler } from './upgrade.js';

export interface ServerOptions {
  runtime: Runtime;
  /** Where request lines go (default: the runtime's logger). */
  logger?: Logger;
  /** The built UI; absent or missing → pages answer "Static files not found …". */
  staticDir?: string;
  /** Host names accepted in `Host`/`Origin` besides loopback names and the bound address. */
  allowedHosts?: string[];
  /** Event-stream heartbeat period (default 15 s). */
  heartbeatMs?: number;
  /** OpenCode fields of `/health` (default: the runtime's OpenCode supervisor). */
  health?: () => Partial<HealthResponse>;
  /** How long `close()` waits for in-flight requests before cutting them (default 2 s). */
  shutdownGraceMs?: number;
  /** UI password authentication (`auth.password`); without a password every request passes. */
  auth?: UiAuthOptions;
}

export interface ListeningAddress {
  port: number;
  host: string;
  /** `http://host:port`, IPv6 hosts in brackets. */
  url: string;
}

export interface ChamberServer {
  server: http.Server;
  listen(port: number, host?: string): Promise<ListeningAddress>;
  /** Ends every event stream, stops accepting connections, resolves when the server is closed. */
  close(): Promise<void>;
}

export function createServer(options: ServerOptions): ChamberServer {
  const logger = options.logger ?? options.runtime.logger;
  const hub = new EventStreamHub({ subscribe: options.runtime.subscribe, heartbeatMs: options.heartbeatMs });
  const streams = new StreamRoutes(options.runtime.subscribe);
  const guard = new HostGuard({ allowedHosts: options.allowedHosts });
  const staticFiles = new StaticFiles(options.staticDir);
  const auth = new UiAuth({ ...options.auth, dataDir: options.runtime.dataDir, logger });
  if (options.staticDir !== undefined && !staticFiles.available) {
    logger.log('warn', 'Static files not found', { staticDir: options.staticDir });
  }
  const server = http.createServer(
    { maxHeaderSize: MAX_HEADER_BYTES },
    createRequestHandler({
      runtime: options.runtime,
      logger,
      hub,
      streams,
      guard,
      staticFiles,
      auth,
      health: options.health ?? (() => options.runtime.opencode.health()),
    }),
  );
  server.on('clientError', answerClientError);
  server.on('upgrade', createUpgradeHandler({ runtime: options.runtime, guard, auth }));
  let closing: Promise<void> | null = null;

  return {
    server,
    async listen(port, host = DEFAULT_HOST) {
      // The sessions file is read and the key derived before the first request can arrive.
      await auth.ready();
      return new Promise((resolve, reject) => {
        const onError = (error: Error): void => reject(error);
        server.once('error', onError);
        server.listen(port, host, () => {
          server.off('error', onError);
          const address = server.address() as AddressInfo;
          guard.bound(address.address, address.port);
          resolve({
            port: address.port,
            host: address.address,
            url: `http://${formatHostForUrl(address.address)}:${address.port}`,
          });
        });
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        // SSE responses never finish on their own; the reference's shutdown hung on them.
        hub.closeAll();
        streams.closeAll();
        if (!server.listening) return void auth.close().then(resolve);
        const cutoff = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 2_000);
        cutoff.unref();
        server.close(() => {
          clearTimeout(cutoff);
          // Pending session refreshes are written once no request can touch them any more.
          void auth.close().then(resolve);
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** `createServer` + `listen` in one step. */
export async function startServer(
  options: ServerOptions & { port: number; host?: string },
): Promise<ChamberServer & { address: ListeningAddress }> {
  const chamber = createServer(options);
  const address = await chamber.listen(options.port, options.host ?? DEFAULT_HOST);
  return { ...chamber, address };
}
