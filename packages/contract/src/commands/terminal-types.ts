/** Terminal shapes: `RuntimeAPIs.terminal`, the wire answers of the terminal commands and the `terminal://` events. */
export interface Subscription {
  close(): void;
}

export interface RetryPolicy {
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface TerminalSession {
  sessionId: string;
  cols: number;
  rows: number;
}

export interface CreateTerminalOptions {
  cwd: string;
  cols?: number;
  rows?: number;
}

export interface ResizeTerminalPayload {
  sessionId: string;
  cols: number;
  rows: number;
}

export interface TerminalStreamOptions {
  retry?: Partial<RetryPolicy>;
  connectionTimeoutMs?: number;
}

export interface TerminalStreamEvent {
  type: 'connected' | 'data' | 'exit' | 'reconnecting';
  data?: string;
  exitCode?: number;
  signal?: number | null;
  attempt?: number;
  maxAttempts?: number;
}

export interface TerminalHandlers {
  onEvent(event: TerminalStreamEvent): void;
  onError?(error: Error, fatal?: boolean): void;
}

export interface TerminalAPI {
  createSession(options: CreateTerminalOptions): Promise<TerminalSession>;
  connect(sessionId: string, handlers: TerminalHandlers, options?: TerminalStreamOptions): Subscription;
  sendInput(sessionId: string, input: string): Promise<void>;
  resize(payload: ResizeTerminalPayload): Promise<void>;
  close(sessionId: string): Promise<void>;
}

/** Wire answers of the terminal commands (files-terminal-system.md §5.2–5.6), on both transports. */
export interface TerminalCreateResponse {
  sessionId: string;
  cols: number;
  rows: number;
}

export interface TerminalSuccessResponse {
  success: true;
}

export interface TerminalResizeResponse {
  success: true;
  cols: number;
  rows: number;
}

/**
 * Payloads of the `terminal://<sessionId>` events (the SSE `data:` objects of §5.3, key order as
 * shown). `signal` is the numeric signal (0 after a normal exit), as node-pty reports it on the
 * web; the desktop reference's string signal is not reproduced.
 */
export type TerminalServerEvent =
  { type: 'connected' } | { type: 'data'; data: string } | { type: 'exit'; exitCode: number; signal?: number };
