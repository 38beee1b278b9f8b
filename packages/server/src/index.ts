/** The HTTP + SSE adapter over a runtime (re-exports only; the server is `server.ts`, the CLI `cli.ts`). */
export { createServer, startServer, type ServerOptions, type ListeningAddress, type ChamberServer } from './server.js';
export {
  parseCliArgs,
  resolveUiPassword,
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
export {
  UiAuth,
  normalizePassword,
  SESSION_TTL_MS,
  AUTH_REQUIRED,
  INVALID_PASSWORD,
  NOT_CONFIGURED,
  type UiAuthOptions,
} from './auth/ui-auth.js';
export { SESSION_COOKIE } from './auth/cookies.js';
export { SESSIONS_FILE } from './auth/session-store.js';
