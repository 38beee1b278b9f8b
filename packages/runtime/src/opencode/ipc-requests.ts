/**
 * OpenCode's HTTP API for a window without a port (desktop IPC): `opencode_request` sends one
 * request through the same supervisor gate and connection pool as the web pass-through; a small
 * answer comes back inside the command's result, anything else (OpenCode's SSE `/event`, large
 * files) as the `opencode://<requestId>` event family, under the same flow control as a terminal
 * (a window of unacknowledged characters, the upstream read paused beyond it).
 */
import {
  EVENT_FLOW,
  OPENCODE_INLINE_BODY_BYTES,
  OPENCODE_MAX_BODY_BYTES,
  RuntimeError,
  createUtf8StreamDecoder,
  type CommandArgs,
  type OpenCodeResponseHead,
  type OpenCodeStreamEvent,
} from '@chamber/contract';
import type { Readable } from 'node:stream';
import type { EventSink, EventSubscription, SubscribeOptions } from '../subscriptions.js';
import type { ProxyRequest, ProxyResponse } from './forward.js';

/** How long an answer waits for its subscription, and a body sent in parts for its request. */
const UNCLAIMED_MS = 30_000;
/** Largest body batch carried by one event (bytes). */
const BATCH_LIMIT = 256 * 1024;

interface Proxy {
  proxy(request: ProxyRequest): Promise<ProxyResponse>;
}

/** Text carried as text (JSON escapes it cheaply); anything else as base64, so bytes stay bytes. */
function isTextual(contentType: string | string[] | undefined): boolean {
  const value = String([contentType ?? ''].flat()[0] ?? '').toLowerCase();
  return /^text\/|[/+]json\b|javascript|[/+]xml\b|x-www-form-urlencoded/.test(value);
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBody(bytes: Buffer, textual: boolean): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  if (textual) {
    try {
      return { body: fatalUtf8.decode(bytes), bodyEncoding: 'utf8' };
    } catch {
      // not valid UTF-8 after all: keep the exact bytes
    }
  }
  return { body: bytes.toString('base64'), bodyEncoding: 'base64' };
}

function encodeBody(data: string, encoding: 'utf8' | 'base64' | undefined): Buffer {
  if (encoding !== 'base64') return Buffer.from(data, 'utf8');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || data.length % 4 !== 0)
    throw new RuntimeError(400, 'body is not valid base64');
  return Buffer.from(data, 'base64');
}

interface Upload {
  parts: Buffer[];
  bytes: number;
  timer: NodeJS.Timeout;
}

export class OpenCodeRequests {
  readonly #opencode: Proxy;
  readonly #uploads = new Map<string, Upload>();
  /** Requests sent and not answered yet, by id: `opencode_request_cancel` aborts them. */
  readonly #pending = new Map<string, AbortController>();
  readonly #answers = new Map<string, AnswerStream>();

  constructor(options: { opencode: Proxy }) {
    this.#opencode = options.opencode;
  }

  appendBody({ requestId, data, bodyEncoding }: CommandArgs<'opencode_request_body'>): void {
    if (this.#pending.has(requestId) || this.#answers.has(requestId)) throw new RuntimeError(409, 'Request id in use');
    const bytes = encodeBody(data, bodyEncoding);
    let upload = this.#uploads.get(requestId);
    if (!upload) {
      const timer = setTimeout(() => this.#uploads.delete(requestId), UNCLAIMED_MS);
      timer.unref();
      upload = { parts: [], bytes: 0, timer };
      this.#uploads.set(requestId, upload);
    }
    if (upload.bytes + bytes.length > OPENCODE_MAX_BODY_BYTES) {
      this.#dropUpload(requestId);
      throw new RuntimeError(413, `Request body too large (limit ${OPENCODE_MAX_BODY_BYTES} bytes)`);
    }
    upload.parts.push(bytes);
    upload.bytes += bytes.length;
  }

  async request(args: CommandArgs<'opencode_request'>): Promise<OpenCodeResponseHead> {
    const { requestId } = args;
    if (this.#pending.has(requestId) || this.#answers.has(requestId)) throw new RuntimeError(409, 'Request id in use');
    const body = this.#takeBody(args);
    const aborter = new AbortController();
    this.#pending.set(requestId, aborter);
    let answer: ProxyResponse;
    try {
      answer = await this.#opencode.proxy({
        method: args.method,
        target: args.path,
        headers: args.headers ?? {},
        body,
        signal: aborter.signal,
      });
    } catch (error) {
      if (aborter.signal.aborted) throw new RuntimeError(499, 'Request cancelled');
      throw error;
    } finally {
      this.#pending.delete(requestId);
    }
    const head = { status: answer.status, headers: answer.headers };
    if (!answer.body) return head;
    const textual = isTextual(answer.headers['content-type']);
    const eventStream = /^text\/event-stream/i.test(String([answer.headers['content-type'] ?? ''].flat()[0]));
    const prefix: Prefix = eventStream
      ? { chunks: [], ended: false }
      : await readUpTo(answer.body, OPENCODE_INLINE_BODY_BYTES);
    if (prefix.ended) return { ...head, ...decodeBody(Buffer.concat(prefix.chunks), textual) };
    const stream = new AnswerStream(answer.body, textual, prefix, () => {
      if (this.#answers.get(requestId) === stream) this.#answers.delete(requestId);
    });
    this.#answers.set(requestId, stream);
    return { ...head, stream: true };
  }

  cancel(requestId: string): void {
    this.#dropUpload(requestId);
    this.#pending.get(requestId)?.abort();
    this.#answers.get(requestId)?.close();
  }

  /** The `opencode://<requestId>` provider. */
  subscribe(requestId: string, options: SubscribeOptions, sink: EventSink): EventSubscription {
    const stream = this.#answers.get(requestId);
    if (!stream) throw new RuntimeError(404, 'OpenCode answer not found');
    return stream.subscribe(options, sink);
  }

  close(): void {
    for (const id of [...this.#uploads.keys()]) this.#dropUpload(id);
    for (const aborter of this.#pending.values()) aborter.abort();
    for (const stream of [...this.#answers.values()]) stream.close();
  }

  #takeBody(args: CommandArgs<'opencode_request'>): Buffer | null {
    const parts: Buffer[] = [];
    if (args.bodyInParts) {
      const upload = this.#uploads.get(args.requestId);
      if (!upload) throw new RuntimeError(400, 'No body parts were sent for this request');
      this.#dropUpload(args.requestId);
      parts.push(...upload.parts);
    }
    if (args.body !== undefined) parts.push(encodeBody(args.body, args.bodyEncoding));
    if (parts.length === 0) return null;
    const body = Buffer.concat(parts);
    if (body.length > OPENCODE_MAX_BODY_BYTES) {
      throw new RuntimeError(413, `Request body too large (limit ${OPENCODE_MAX_BODY_BYTES} bytes)`);
    }
    return body;
  }

  #dropUpload(requestId: string): void {
    const upload = this.#uploads.get(requestId);
    if (!upload) return;
    clearTimeout(upload.timer);
    this.#uploads.delete(requestId);
  }
}

/** The start of an answer's body: its chunks, whether that was all, and how it broke if it did. */
interface Prefix {
  chunks: Buffer[];
  ended: boolean;
  error?: Error;
}

/** Read until the end or past `limit` bytes; what was read is returned either way. */
async function readUpTo(body: Readable, limit: number): Promise<Prefix> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  return new Promise((resolve) => {
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes > limit) finish(false);
    };
    const finish = (ended: boolean, error?: Error): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      if (!ended) body.pause();
      resolve(error ? { chunks, ended, error } : { chunks, ended });
    };
    const onEnd = (): void => finish(true);
    // A body that breaks before its end: stream what came, then the error event (it has fired
    // already, so the stream is told, not left waiting for it).
    const onError = (error: Error): void => finish(false, error);
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  });
}

interface Positioned {
  payload: OpenCodeStreamEvent;
  position: number;
}

/**
 * One answer's body for one subscriber: events are kept until acknowledged (so a subscription may
 * resume with `since`), and the upstream read pauses while the subscriber is a window behind.
 */
class AnswerStream {
  readonly #body: Readable;
  readonly #onDone: () => void;
  readonly #decoder = createUtf8StreamDecoder((bytes) => new TextDecoder().decode(bytes));
  readonly #textual: boolean;
  #kept: Positioned[] = [];
  #position = 0;
  #acknowledged = 0;
  #sink: EventSink | undefined;
  #acknowledges = false;
  #congested = false;
  #finished = false;
  #closed = false;
  #unclaimed: NodeJS.Timeout | undefined;
  #batch: Buffer[] = [];
  #batchBytes = 0;
  #flushScheduled: NodeJS.Immediate | undefined;

  constructor(body: Readable, textual: boolean, prefix: Prefix, onDone: () => void) {
    this.#body = body;
    this.#textual = textual;
    this.#onDone = onDone;
    for (const chunk of prefix.chunks) this.#data(chunk);
    if (prefix.error) {
      this.#flushBatch();
      this.#push({ type: 'error', message: prefix.error.message || 'OpenCode answer cut' });
    }
    body.on('data', (chunk: Buffer) => this.#data(chunk));
    body.once('end', () => {
      this.#flushBatch();
      const rest = this.#textual ? this.#decoder.end() : '';
      if (rest) this.#push({ type: 'data', data: rest });
      this.#push({ type: 'end' });
    });
    body.once('error', (error: Error) =>
      this.#push({ type: 'error', message: error.message || 'OpenCode answer cut' }),
    );
    // Nobody claimed it (the window went away between the answer's head and its subscription).
    this.#unclaimed = setTimeout(() => this.close(), UNCLAIMED_MS);
    this.#unclaimed.unref();
    this.#flow();
  }

  subscribe(options: SubscribeOptions, sink: EventSink): EventSubscription {
    if (this.#closed) throw new RuntimeError(404, 'OpenCode answer not found');
    clearTimeout(this.#unclaimed);
    this.#sink?.end();
    this.#sink = sink;
    this.#acknowledges = options.acknowledges === true;
    const since = Math.max(options.since ?? 0, this.#acknowledged);
    this.#acknowledge(since);
    for (const event of this.#kept) if (event.position > since) sink.send(event.payload, event.position);
    if (this.#finished) this.#end();
    const current = () => this.#sink === sink;
    return {
      ack: (position) => {
        if (current()) this.#acknowledge(position);
      },
      setCongested: (congested) => {
        if (!current()) return;
        this.#congested = congested;
        this.#flow();
      },
      close: () => {
        if (current()) this.close();
      },
    };
  }

  /** Stop: the upstream request is aborted unless it already ended. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#unclaimed);
    if (this.#flushScheduled) clearImmediate(this.#flushScheduled);
    this.#kept = [];
    this.#sink = undefined;
    if (!this.#body.destroyed) this.#body.destroy();
    this.#onDone();
  }

  /**
   * Chunks read in one turn of the event loop leave as one event: a flood arrives a few hundred
   * bytes per socket read, and an event (a frame, its JSON, its delivery) per read would cost
   * several times the bytes. Nothing waits longer than that turn.
   */
  #data(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#batch.push(chunk);
    this.#batchBytes += chunk.length;
    if (this.#batchBytes >= BATCH_LIMIT) return this.#flushBatch();
    this.#flushScheduled ??= setImmediate(() => this.#flushBatch());
  }

  #flushBatch(): void {
    if (this.#flushScheduled) clearImmediate(this.#flushScheduled);
    this.#flushScheduled = undefined;
    if (this.#batch.length === 0) return;
    const bytes = this.#batch.length === 1 ? (this.#batch[0] as Buffer) : Buffer.concat(this.#batch);
    this.#batch = [];
    this.#batchBytes = 0;
    if (this.#textual) {
      const text = this.#decoder.write(bytes);
      if (text) this.#push({ type: 'data', data: text });
    } else {
      this.#push({ type: 'data', data: bytes.toString('base64'), encoding: 'base64' });
    }
  }

  #push(payload: OpenCodeStreamEvent): void {
    if (this.#closed || this.#finished) return;
    this.#position += payload.type === 'data' ? payload.data.length : 1;
    const event = { payload, position: this.#position };
    this.#kept.push(event);
    this.#sink?.send(payload, event.position);
    if (payload.type !== 'data') {
      this.#finished = true;
      if (this.#sink) this.#end();
      return;
    }
    if (!this.#acknowledges) this.#acknowledge(this.#sink ? this.#position : this.#acknowledged);
    this.#flow();
  }

  #acknowledge(position: number): void {
    if (position <= this.#acknowledged) return;
    this.#acknowledged = Math.min(position, this.#position);
    let drop = 0;
    while (drop < this.#kept.length && (this.#kept[drop] as Positioned).position <= this.#acknowledged) drop++;
    if (drop > 0) this.#kept.splice(0, drop);
    this.#flow();
  }

  /** Pause reading OpenCode's answer while the subscriber (or nobody yet) is a window behind. */
  #flow(): void {
    if (this.#closed || this.#finished) return;
    const behind = this.#position - this.#acknowledged;
    if (this.#congested || behind >= EVENT_FLOW.window) this.#body.pause();
    else if (behind <= EVENT_FLOW.resumeAt && this.#body.isPaused()) this.#body.resume();
  }

  #end(): void {
    const sink = this.#sink;
    this.#sink = undefined;
    sink?.end();
    this.#closed = true;
    this.#kept = [];
    clearTimeout(this.#unclaimed);
    this.#onDone();
  }
}
