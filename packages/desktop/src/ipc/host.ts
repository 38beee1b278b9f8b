import {
  JSON_TOO_DEEP_MESSAGE,
  RuntimeError,
  exceedsJsonDepth,
  isPlainObject,
  isSubscribable,
  type IpcResponseFrame,
} from '@chamber/contract';
import { performance } from 'node:perf_hooks';
import {
  parseSince,
  type CommandContext,
  type EventSubscription,
  type Logger,
  type SubscribeFunction,
} from '@chamber/runtime';

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
    if (typeof frame.command === 'string') return this.#command(id, frame.command, frame.args);
    try {
      if (typeof frame.subscribe === 'string') {
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
      this.#send({ id, error: errorValue(error) });
    }
  }

  /**
   * One command: the answer is sent as soon as the runtime settles, and only then is the log line
   * written (a synchronous file append the window need not wait for).
   */
  async #command(id: FrameId, command: string, args: unknown): Promise<void> {
    const logger = this.#options.logger;
    const started = logger ? performance.now() : 0;
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: await this.#options.runtime.invoke(command, args, { transport: 'ipc' }) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const durationMs = logger ? Math.round((performance.now() - started) * 10) / 10 : 0;
    if (outcome.ok) {
      try {
        this.#send({ id, result: outcome.result === undefined ? null : outcome.result });
      } catch (error) {
        // The answer could not be serialised: the caller still gets an answer.
        outcome = { ok: false, error };
      }
    }
    if (!outcome.ok) this.#send({ id, error: errorValue(outcome.error) });
    if (!logger) return;
    const name = command.slice(0, 200);
    if (outcome.ok) {
      logger.log('info', 'command', { command: name, status: 200, durationMs });
      return;
    }
    const { error } = outcome;
    const status = error instanceof RuntimeError ? error.status : 500;
    logger.log(status >= 500 ? 'error' : 'warn', 'command', {
      command: name,
      status,
      durationMs,
      error: error instanceof Error ? error.message.slice(0, 500) : String(error),
    });
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

/** The `{ status, message, detail? }` an error frame carries. */
function errorValue(error: unknown): { status: number; message: string; detail?: string } {
  const status = error instanceof RuntimeError ? error.status : 500;
  const message = error instanceof Error && error.message ? error.message : 'Internal error';
  const detail = error instanceof RuntimeError ? error.detail : undefined;
  return { status, message, ...(detail !== undefined && { detail }) };
}

/**
 * The id of a frame we refuse to parse (too large, too deep), read from its first member, so the
 * caller's pending promise is rejected instead of waiting forever.
 */
function leadingId(text: string): FrameId | null {
  const match = /^\s*\{\s*"id"\s*:\s*(\d{1,15}|"[^"\\]{0,200}")/.exec(text.slice(0, 256));
  return match?.[1] === undefined ? null : (JSON.parse(match[1]) as FrameId);
}
