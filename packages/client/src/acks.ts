/**
 * When a transport tells the runtime how far it has processed a resumable subscription.
 *
 * Acknowledgements are cumulative (the highest position per event) and sparse: one goes out as
 * soon as an event has advanced `ackEvery` units past its last acknowledgement (a microtask
 * later, so a burst of events handled together costs one message), otherwise `ackDelayMs` after
 * the last event. The runtime's window is several `ackEvery` wide, so it never waits on the
 * delay; the delay only keeps its view fresh once output stops. A `send` that returns a promise
 * (an HTTP POST) has at most one acknowledgement in flight; what arrives meanwhile rides the next.
 */
import { EVENT_FLOW } from '@chamber/contract';

export interface Acknowledger {
  /** `event` has been processed up to `position`. */
  acknowledge(event: string, position: number): void;
  /** Drop what is queued for `event` and start its count afresh (unsubscribed, or subscribed again). */
  forget(event: string): void;
  /** Drop everything queued (the connection is gone: nobody is left to tell). */
  reset(): void;
}

export interface AcknowledgerOptions {
  ackEvery?: number;
  ackDelayMs?: number;
}

export function createAcknowledger(
  send: (acks: ReadonlyMap<string, number>) => PromiseLike<unknown> | void,
  options: AcknowledgerOptions = {},
): Acknowledger {
  const ackEvery = options.ackEvery ?? EVENT_FLOW.ackEvery;
  const ackDelayMs = options.ackDelayMs ?? EVENT_FLOW.ackDelayMs;
  const queued = new Map<string, number>();
  /** The last position sent per event. */
  const sent = new Map<string, number>();
  let due = false;
  let microtask = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight = false;

  function clearTimer(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  function armTimer(): void {
    if (timer !== null || queued.size === 0) return;
    timer = setTimeout(() => {
      timer = null;
      flush();
    }, ackDelayMs);
    (timer as { unref?: () => void }).unref?.();
  }

  function flush(): void {
    if (inFlight || queued.size === 0) return;
    clearTimer();
    due = false;
    const batch = new Map(queued);
    queued.clear();
    for (const [event, position] of batch) sent.set(event, position);
    let result: PromiseLike<unknown> | void;
    try {
      result = send(batch);
    } catch {
      return;
    }
    if (!result || typeof result.then !== 'function') return;
    inFlight = true;
    const settled = (): void => {
      inFlight = false;
      if (due) flush();
      else armTimer();
    };
    result.then(settled, settled);
  }

  return {
    acknowledge(event, position) {
      const previous = queued.get(event);
      if (previous !== undefined && previous >= position) return;
      queued.set(event, position);
      if (position - (sent.get(event) ?? 0) >= ackEvery) {
        due = true;
        if (microtask) return;
        microtask = true;
        queueMicrotask(() => {
          microtask = false;
          if (due) flush();
        });
      } else armTimer();
    },
    forget(event) {
      queued.delete(event);
      sent.delete(event);
      if (queued.size === 0) clearTimer();
    },
    reset() {
      queued.clear();
      sent.clear();
      due = false;
      clearTimer();
    },
  };
}
