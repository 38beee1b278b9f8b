import {
  JSON_TOO_DEEP_MESSAGE,
  RuntimeError,
  exceedsJsonDepth,
  isPlainObject,
  isSubscribable,
  type IpcResponseFrame,
} from '@chamber/contract';
import { performance } from 'node:perf_hooks';
import type { CommandContext } from '../dispatch.js';
import { parseSince, type EventSubscription, type SubscribeFunction } from '../subscriptions.js';
import type { Logger } from '../logger.js';

export interface IpcHostOptions {
  /** The runtime (or anything with the same `invoke` and `subscribe`). */
  runtime: {
    invoke(name: string, args: unknown, context?: CommandContext): Promise<unknown>;
    subscribe: SubscribeFunction;
  };
  /** Delivers one frame to the window; must serialise it (JSON), never share objects. */
  send(frame: IpcResponseFrame): void;
  /** Event names a window may subscribe to (default: the contract's rule, `isSubscribable`). */
  isSubscribable?(name: string): boolean;
  /** Largest accepted frame text, in characters (default 1 MiB). */
  maxFrameLength?: number;
  /**
   * Gets one structured line per command (name, status, duration; never the arguments, which
   * can hold file contents), the IPC counterpart of the HTTP server's request log.
   */
  logger?: Logger;
}

type FrameId = number | string;

interface HostSubscription {
  /** subscribe frames minus unsubscribe frames for this name. */
  count: number;
  subscription: EventSubscription | null;
}

/**
 * The transport-neutral half of the desktop IPC: it takes request frames
 * (`{ id, command, args }`, `{ id, subscribe }`, `{ id, unsubscribe }`) and answers
 * `{ id, result }` or `{ id, error: { status, message } }`, and pushes `{ event, payload }`
 * frames for subscribed events. The desktop host carries these frames over the browser pipe;
 * tests carry them over a child process's stdio.
 */
export class IpcHost {
  readonly #options: IpcHostOptions;
  readonly #subscriptions = new Map<string, HostSubscription>();
  #closed = false;

  constructor(options: IpcHostOptions) {
    this.#options = options;
  }

  /** Handle one frame as received text. Never throws: a bad frame is answered with a 400 frame. */
  receiveText(text: string): void {
    const limit = this.#options.maxFrameLength ?? 1024 * 1024;
    if (text.length > limit) {
      this.#send({
        id: leadingId(text),
        error: { status: 413, message: `Frame too large (limit ${limit} characters)` },
      });
      return;
    }
    if (exceedsJsonDepth(text)) {
      this.#send({ id: leadingId(text), error: { status: 400, message: JSON_TOO_DEEP_MESSAGE } });
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch (error) {
      this.#send({ id: null, error: { status: 400, message: `Malformed frame: ${(error as Error).message}` } });
      return;
    }
    this.receive(frame);
  }

  /** Handle one already-parsed frame. Returns when the answer has been sent. */
  async receive(frame: unknown): Promise<void> {
    if (!isPlainObject(frame) || (typeof frame.id !== 'number' && typeof frame.id !== 'string')) {
      this.#send({ id: null, error: { status: 400, message: 'Frame must be an object with a numeric or string id' } });
      return;
    }
    const id: FrameId = frame.id;
    try {
      if (typeof frame.command === 'string') {
        const result = await this.#invoke(frame.command, frame.args);
        this.#send({ id, result: result === undefined ? null : result });
      } else if (typeof frame.subscribe === 'string') {
        this.#subscribe(frame.subscribe, parseSince(frame.since));
        this.#send({ id, result: null });
      } else if (typeof frame.unsubscribe === 'string') {
        const entry = this.#subscriptions.get(frame.unsubscribe);
        if (entry && --entry.count <= 0) {
          this.#subscriptions.delete(frame.unsubscribe);
          entry.subscription?.close();
        }
        this.#send({ id, result: null });
      } else if (typeof frame.ack === 'string') {
        const position = parseSince(frame.position, 'position');
        if (position === undefined) throw new RuntimeError(400, 'position is required');
        this.#subscriptions.get(frame.ack)?.subscription?.ack(position);
        this.#send({ id, result: null });
      } else {
        throw new RuntimeError(400, 'Frame must name a command, subscribe, unsubscribe or ack');
      }
    } catch (error) {
      const status = error instanceof RuntimeError ? error.status : 500;
      const message = error instanceof Error && error.message ? error.message : 'Internal error';
      const detail = error instanceof RuntimeError ? error.detail : undefined;
      this.#send({ id, error: { status, message, ...(detail !== undefined && { detail }) } });
    }
  }

  async #invoke(command: string, args: unknown): Promise<unknown> {
    const logger = this.#options.logger;
    if (!logger) return this.#options.runtime.invoke(command, args, { transport: 'ipc' });
    const started = performance.now();
    const name = command.slice(0, 200);
    const durationMs = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const result = await this.#options.runtime.invoke(command, args, { transport: 'ipc' });
      logger.log('info', 'command', { command: name, status: 200, durationMs: durationMs() });
      return result;
    } catch (error) {
      const status = error instanceof RuntimeError ? error.status : 500;
      logger.log(status >= 500 ? 'error' : 'warn', 'command', {
        command: name,
        status,
        durationMs: durationMs(),
        error: error instanceof Error ? error.message.slice(0, 500) : String(error),
      });
      throw error;
    }
  }

  close(): void {
    this.#closed = true;
    const entries = [...this.#subscriptions.values()];
    this.#subscriptions.clear();
    for (const entry of entries) entry.subscription?.close();
  }

  #subscribe(name: string, since: number | undefined): void {
    const allowed = this.#options.isSubscribable ?? isSubscribable;
    if (!allowed(name)) throw new RuntimeError(400, `Unknown event: ${name.slice(0, 200)}`);
    const existing = this.#subscriptions.get(name);
    if (existing) {
      existing.count++;
      return;
    }
    this.#send({ subscribed: name });
    const entry: HostSubscription = { count: 1, subscription: null };
    // Registered before subscribing: a provider may send its first events (or end) synchronously.
    this.#subscriptions.set(name, entry);
    const current = () => this.#subscriptions.get(name) === entry;
    try {
      entry.subscription = this.#options.runtime.subscribe(
        name,
        { since, acknowledges: true },
        {
          send: (payload, position) => {
            if (current())
              this.#send(position === undefined ? { event: name, payload } : { event: name, payload, position });
          },
          end: () => {
            if (current()) this.#subscriptions.delete(name);
          },
        },
      );
    } catch (error) {
      if (current()) this.#subscriptions.delete(name);
      throw error;
    }
    if (!current()) entry.subscription.close();
  }

  #send(frame: IpcResponseFrame): void {
    if (this.#closed) return;
    this.#options.send(frame);
  }
}

/**
 * The id of a frame we refuse to parse (too large, too deep), read from its first member, so the
 * caller's pending promise is rejected instead of waiting forever.
 */
function leadingId(text: string): FrameId | null {
  const match = /^\s*\{\s*"id"\s*:\s*(\d{1,15}|"[^"\\]{0,200}")/.exec(text.slice(0, 256));
  return match?.[1] === undefined ? null : (JSON.parse(match[1]) as FrameId);
}
