/**
 * The HTTP + SSE adapter over a runtime: `createServer({ runtime })` gives a `node:http` server
 * answering the OpenChamber wire contract, with routes generated from the command table.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HealthResponse } from '@chamber/contract';
import type { Logger, Runtime } from '@chamber/runtime';
import { createRequestHandler } from './app.js';
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
  if (options.staticDir !== undefined && !staticFiles.available) {
    logger.log('warn', 'Static files not found', { staticDir: options.staticDir });
  }
  const server = http.createServer(
    createRequestHandler({
      runtime: options.runtime,
      logger,
      hub,
      streams,
      guard,
      staticFiles,
      health: options.health ?? (() => options.runtime.opencode.health()),
    }),
  );
  server.on('upgrade', createUpgradeHandler({ runtime: options.runtime, guard }));
  let closing: Promise<void> | null = null;

  return {
    server,
    listen(port, host = DEFAULT_HOST) {
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
        if (!server.listening) return resolve();
        const cutoff = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 2_000);
        cutoff.unref();
        server.close(() => {
          clearTimeout(cutoff);
          resolve();
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

export {
  parseCliArgs,
  main,
  USAGE,
  DEFAULT_PORT,
  CliUsageError,
  type CliOptions,
  type CliIo,
  type CliResult,
  type ParsedCli,
} from './cli.js';
export { isSubscribable, EventStreamHub, DEFAULT_HEARTBEAT_MS } from './event-stream.js';
export { StreamRoutes } from './stream-routes.js';
export { DEFAULT_HOST, HostGuard, isLoopbackHost } from './security.js';
export { BODY_LIMIT_BYTES, BODY_TOO_LARGE_MESSAGE, MALFORMED_URL_MESSAGE } from './body.js';
export { STATIC_MISSING_MESSAGE } from './static.js';
export { buildHealthResponse, OPENCODE_NOT_RUNNING, type HealthProvider } from './health.js';
