/** OpenCode shapes: the `/health` document, the directory change, and the pass-through's answers and events. */
/** Health document of `GET /health` (keys in the reference's order). */
export interface HealthResponse {
  status: 'ok';
  timestamp: string;
  openCodePort: number | null;
  openCodeRunning: boolean;
  openCodeApiPrefix: string;
  openCodeApiPrefixDetected: boolean;
  isOpenCodeReady: boolean;
  lastOpenCodeError: string | null;
}

/** `POST /api/opencode/directory` (files-terminal-system.md §4). */
export interface OpenCodeDirectoryResponse {
  success: true;
  restarted: boolean;
  path: string;
}

/**
 * The answer to `opencode_request`: status and headers, and either the whole body (`body`, text or
 * base64 as `bodyEncoding` says) or `stream: true`, the body then following as `opencode://<requestId>`
 * events.
 */
export interface OpenCodeResponseHead {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string;
  bodyEncoding?: 'utf8' | 'base64';
  stream?: true;
}

/** Events of `opencode://<requestId>`: the body in order, then `end`, or `error` when it broke off. */
export type OpenCodeStreamEvent =
  { type: 'data'; data: string; encoding?: 'base64' } | { type: 'end' } | { type: 'error'; message: string };
