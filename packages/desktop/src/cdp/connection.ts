/**
 * A small Chrome DevTools Protocol client over `--remote-debugging-pipe`: the browser reads
 * commands on its fd 3 and writes answers and events on its fd 4, each message one JSON text
 * terminated by a NUL byte. No port, no WebSocket. Flattened sessions (`sessionId` on each
 * message) address a page through the one pipe.
 */
import type { Readable, Writable } from 'node:stream';

export class CdpError extends Error {
  readonly method: string;
  readonly code: number | undefined;

  constructor(method: string, message: string, code?: number) {
    super(`${method}: ${message}`);
    this.name = 'CdpError';
    this.method = method;
    this.code = code;
  }
}

/** Splits a byte stream into NUL-terminated messages; bytes are decoded only once a message is whole. */
export class NulFrameDecoder {
  #chunks: Buffer[] = [];

  push(chunk: Buffer): string[] {
    const messages: string[] = [];
    let start = 0;
    for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
      // Joined only here, so a 10 MB message arriving in 64 kB chunks is copied once, not 160 times.
      this.#chunks.push(chunk.subarray(start, end));
      messages.push(Buffer.concat(this.#chunks).toString('utf8'));
      this.#chunks = [];
      start = end + 1;
    }
    if (start < chunk.length) this.#chunks.push(chunk.subarray(start));
    return messages;
  }
}

type Listener = (params: unknown, sessionId: string | undefined) => void;

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

interface IncomingMessage {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code?: number; message?: string };
  sessionId?: string;
}

export interface CdpConnectionOptions {
  /** How long a command may go unanswered (default 30 s; 0 = forever). */
  timeoutMs?: number;
  /** Called when a listener throws or the browser sends something unreadable. */
  onError?(error: Error): void;
}

export class CdpConnection {
  readonly #output: Writable;
  readonly #timeoutMs: number;
  readonly #onError: (error: Error) => void;
  readonly #pending = new Map<number, Pending>();
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #decoder = new NulFrameDecoder();
  readonly closed: Promise<void>;
  #nextId = 1;
  #isClosed = false;

  constructor(output: Writable, input: Readable, options: CdpConnectionOptions = {}) {
    this.#output = output;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#onError = options.onError ?? (() => {});
    let markClosed!: () => void;
    this.closed = new Promise((resolve) => (markClosed = resolve));
    const finish = () => {
      if (this.#isClosed) return;
      this.#isClosed = true;
      for (const pending of this.#pending.values()) {
        if (pending.timer) clearTimeout(pending.timer);
        pending.reject(new CdpError(pending.method, 'the browser connection closed'));
      }
      this.#pending.clear();
      markClosed();
    };
    input.on('data', (chunk: Buffer) => {
      for (const text of this.#decoder.push(chunk)) this.#receive(text);
    });
    input.once('end', finish);
    input.once('close', finish);
    input.once('error', finish);
    output.once('error', finish);
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  send<T = unknown>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    if (this.#isClosed) return Promise.reject(new CdpError(method, 'the browser connection is closed'));
    const id = this.#nextId++;
    const message = JSON.stringify(sessionId ? { id, method, params, sessionId } : { id, method, params });
    return new Promise<T>((resolve, reject) => {
      const timer =
        this.#timeoutMs > 0
          ? setTimeout(() => {
              this.#pending.delete(id);
              reject(new CdpError(method, `no answer within ${this.#timeoutMs} ms`));
            }, this.#timeoutMs)
          : undefined;
      timer?.unref();
      this.#pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject, timer });
      this.#output.write(`${message}\0`);
    });
  }

  /** Listen to an event (`Target.attachedToTarget`, ...) of any session; returns the unsubscribe. */
  on(method: string, listener: Listener): () => void {
    let set = this.#listeners.get(method);
    if (!set) this.#listeners.set(method, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Stop writing; the browser exits when its end of the pipe closes. */
  close(): void {
    this.#output.end();
  }

  #receive(text: string): void {
    let message: IncomingMessage;
    try {
      message = JSON.parse(text) as IncomingMessage;
    } catch (error) {
      this.#onError(new Error(`Unreadable DevTools message: ${(error as Error).message}`));
      return;
    }
    if (typeof message.id === 'number') {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (pending.timer) clearTimeout(pending.timer);
      if (message.error)
        pending.reject(new CdpError(pending.method, message.error.message ?? 'failed', message.error.code));
      else pending.resolve(message.result ?? {});
      return;
    }
    if (typeof message.method !== 'string') return;
    for (const listener of [...(this.#listeners.get(message.method) ?? [])]) {
      try {
        listener(message.params ?? {}, message.sessionId);
      } catch (error) {
        this.#onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

/** One attached target (a page) on a connection: commands and events carry its session id. */
export class CdpSession {
  readonly connection: CdpConnection;
  readonly sessionId: string;

  constructor(connection: CdpConnection, sessionId: string) {
    this.connection = connection;
    this.sessionId = sessionId;
  }

  send<T = unknown>(method: string, params: object = {}): Promise<T> {
    return this.connection.send<T>(method, params, this.sessionId);
  }

  on<P = unknown>(method: string, listener: (params: P) => void): () => void {
    return this.connection.on(method, (params, sessionId) => {
      if (sessionId === this.sessionId) listener(params as P);
    });
  }
}
