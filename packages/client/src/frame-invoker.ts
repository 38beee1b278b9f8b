/**
 * Turns a bidirectional pipe of JSON frames (the desktop host's page binding; a child process's
 * stdio in tests) into the Tauri-shaped `DesktopBridge` that `createDesktopTransport` consumes.
 *
 * Requests carry an id; answers `{ id, result }` / `{ id, error }` may arrive in any order.
 * Failures reject with the frame's plain `{ status, message }`, exactly as a native bridge would,
 * so the desktop transport stays the single place where rejections become `RuntimeCallError`.
 */
import { isRuntimeErrorShape, type IpcRequestFrame, type IpcResponseFrame } from '@chamber/contract';
import { createAcknowledger } from './acks.js';
import { RuntimeCallError, messageOf } from './errors.js';
import { deliverAll, type DesktopBridge, type EventHandler, type ListenOptions } from './transport.js';

export interface FrameBridge extends DesktopBridge {
  listen(event: string, handler: EventHandler, options?: ListenOptions): Promise<() => void>;
  /** Feed one frame received from the host. Frames with unknown ids are ignored. */
  receive(frame: IpcResponseFrame): void;
  /** Reject every pending call and refuse new ones (the channel is gone). */
  close(reason?: string): void;
}

interface Pending {
  resolve(result: unknown): void;
  reject(reason: unknown): void;
}

interface Topic {
  handlers: Set<EventHandler>;
  lost: Map<EventHandler, (error: RuntimeCallError) => void>;
  /**
   * False while events of an earlier subscription to the same name may still be in the pipe; the
   * host's `subscribed` frame, sent before the new subscription's first event, makes it true.
   */
  live: boolean;
  /** The host-side subscription, shared by every handler of the event (one subscribe frame per event). */
  active: Promise<void>;
}

export function createFrameBridge(send: (frame: IpcRequestFrame) => void): FrameBridge {
  let nextId = 1;
  let closedWith: RuntimeCallError | undefined;
  const pending = new Map<number | string, Pending>();
  const topics = new Map<string, Topic>();
  /** Names unsubscribed whose events may still be in the pipe. */
  const retired = new Set<string>();

  function request(frame: IpcRequestFrame): Promise<unknown> {
    if (closedWith) return Promise.reject(closedWith);
    return new Promise((resolve, reject) => {
      pending.set(frame.id, { resolve, reject });
      try {
        send(frame);
      } catch (error) {
        pending.delete(frame.id);
        reject(new RuntimeCallError(0, `IPC send failed: ${messageOf(error)}`));
      }
    });
  }

  /** Fire and forget (unsubscribe, ack): the answer has no pending entry and is ignored. */
  function post(frame: IpcRequestFrame): void {
    if (closedWith) return;
    try {
      send(frame);
    } catch {}
  }

  function unsubscribe(event: string, topic: Topic, handler: EventHandler): void {
    topic.lost.delete(handler);
    if (!topic.handlers.delete(handler) || topic.handlers.size > 0 || topics.get(event) !== topic) return;
    topics.delete(event);
    acks.forget(event);
    // The unlisten function is synchronous, and once the handler is gone any late event is
    // dropped locally anyway.
    retired.add(event);
    post({ id: nextId++, unsubscribe: event });
  }

  // One `ack` frame per event (see acks.ts for when).
  const acks = createAcknowledger((batch) => {
    for (const [name, position] of batch) if (topics.has(name)) post({ id: nextId++, ack: name, position });
  });

  return {
    invoke(command, args) {
      return request({ id: nextId++, command, args });
    },

    async listen(event, handler, options = {}) {
      let topic = topics.get(event);
      if (!topic) {
        const created: Topic = {
          handlers: new Set(),
          lost: new Map(),
          live: !retired.has(event),
          active: Promise.resolve(),
        };
        const frame: IpcRequestFrame =
          options.since === undefined
            ? { id: nextId++, subscribe: event }
            : { id: nextId++, subscribe: event, since: options.since };
        created.active = request(frame).then(
          () => undefined,
          (error: unknown) => {
            // A refused subscription must not linger: the next listen() asks the host again.
            if (topics.get(event) === created) topics.delete(event);
            throw error;
          },
        );
        topics.set(event, created);
        topic = created;
      }
      const joined = topic;
      joined.handlers.add(handler);
      if (options.onLost) joined.lost.set(handler, options.onLost);
      try {
        await joined.active;
      } catch (error) {
        joined.handlers.delete(handler);
        joined.lost.delete(handler);
        throw error;
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        unsubscribe(event, joined, handler);
      };
    },

    receive(frame) {
      if ('subscribed' in frame) {
        retired.delete(frame.subscribed);
        const topic = topics.get(frame.subscribed);
        if (topic) topic.live = true;
        return;
      }
      if ('event' in frame) {
        const event = frame.event;
        const topic = topics.get(event);
        if (!topic?.live) return;
        const position = typeof frame.position === 'number' ? frame.position : undefined;
        deliverAll(topic.handlers, frame.payload, position, (done) => {
          if (topics.get(event) === topic) acks.acknowledge(event, done);
        });
        return;
      }
      if (frame.id === null) return;
      const entry = pending.get(frame.id);
      if (!entry) return;
      pending.delete(frame.id);
      if ('error' in frame) {
        const error: unknown = frame.error;
        // Copy the documented fields; anything else malformed is left for toRuntimeCallError.
        entry.reject(
          isRuntimeErrorShape(error)
            ? {
                status: error.status,
                message: error.message,
                ...(typeof error.detail === 'string' && { detail: error.detail }),
              }
            : error,
        );
      } else entry.resolve(frame.result);
    },

    close(reason = 'IPC channel closed') {
      closedWith ??= new RuntimeCallError(0, reason);
      const waiting = [...pending.values()];
      const active = [...topics.values()];
      pending.clear();
      topics.clear();
      acks.reset();
      for (const entry of waiting) entry.reject(closedWith);
      for (const topic of active) for (const onLost of topic.lost.values()) onLost(closedWith);
    },
  };
}
