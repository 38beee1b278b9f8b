/**
 * A server on a fresh runtime for tests: a temp directory as HOME (and, unless `cwd` says
 * otherwise, as the working directory), its data directory inside it, port 0 on loopback. `close`
 * stops the server, then the runtime, then removes the directory; it may be called twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMemoryLogger, createRuntime, type Runtime } from '@chamber/runtime';
import { createServer, type ChamberServer, type ServerOptions } from '../src/index.js';

type ServerExtras = Omit<ServerOptions, 'runtime'>;

export interface TestServer {
  base: string;
  dataDir: string;
  runtime: Runtime;
  server: ChamberServer;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startTestServer(
  prefix: string,
  options: {
    /** Lay out files in the temp directory before the runtime starts; may return the working directory. */
    prepare?(base: string): string | void;
    /** The data directory (default `<base>/data`). */
    dataDir?: string;
    /** Server options besides the runtime (a function of the temp directory where they name files in it). */
    server?: ServerExtras | ((base: string) => ServerExtras);
  } = {},
): Promise<TestServer> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const cwd = options.prepare?.(base) ?? base;
  const dataDir = options.dataDir ?? path.join(base, 'data');
  const runtime = createRuntime({ homeDir: base, dataDir, cwd, env: {} });
  const extras = typeof options.server === 'function' ? options.server(base) : options.server;
  const server = createServer({ logger: createMemoryLogger(), ...extras, runtime });
  const { port, url } = await server.listen(0, '127.0.0.1');
  let closing: Promise<void> | undefined;
  return {
    base,
    dataDir,
    runtime,
    server,
    port,
    url,
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await runtime.close();
        fs.rmSync(base, { recursive: true, force: true });
      })()),
  };
}
