/**
 * One way for every transport to open a subscription: `subscribe(name, options, sink)`. Plain
 * events come from the event bus; members of an event family (`terminal://<sessionId>`) come
 * from that family's provider, which may refuse (a `RuntimeError`), replay what the client
 * missed and apply flow control. Transports only move what the sink receives.
 */
import { MAX_EVENT_POSITION, RuntimeError, isEventName, parseFamilyEvent, type EventFamily } from '@chamber/contract';
import type { EventBus } from './events.js';

/** Where a subscription's events go: one SSE response, one subscription of the multiplexed stream, one IPC window. */
export interface EventSink {
  /** Deliver one event; `position` is set for resumable families (resume with `since`, acknowledge it). */
  send(payload: unknown, position?: number): void;
  /** The runtime ended the subscription after its last event (a terminal's `exit`). */
  end(): void;
}

export interface SubscribeOptions {
  /** Resume after this position (resumable families); absent: the provider's default. */
  since?: number;
  /** The client acknowledges positions it has processed; without, only `setCongested` applies back-pressure. */
  acknowledges?: boolean;
}

export interface EventSubscription {
  /** The client has processed every event up to `position`. */
  ack(position: number): void;
  /** The transport cannot take more right now (a socket that is not draining), or can again. */
  setCongested(congested: boolean): void;
  /** Stop delivering (client gone or unsubscribed). Idempotent. */
  close(): void;
}

export type SubscribeFunction = (name: string, options: SubscribeOptions, sink: EventSink) => EventSubscription;

/** Opens subscriptions to one family's members; `param` is already checked against the family's rule. */
export type FamilyProvider = (param: string, options: SubscribeOptions, sink: EventSink) => EventSubscription;

/** A provider for every family of the contract: a missing one fails the type check. */
export type FamilyProviders = { [F in EventFamily]: FamilyProvider };

export function createSubscribe(events: EventBus, providers: FamilyProviders): SubscribeFunction {
  return (name, options, sink) => {
    if (isEventName(name)) {
      const off = events.subscribe((event, payload) => {
        if (event === name) sink.send(payload);
      });
      return { ack() {}, setCongested() {}, close: () => void off() };
    }
    const member = parseFamilyEvent(name);
    if (!member) throw new RuntimeError(400, `Unknown event: ${String(name).slice(0, 200)}`);
    return providers[member.family](member.param, options, sink);
  };
}

/** A `since`/`position` value from a client: absent, or a non-negative safe integer. */
export function parseSince(value: unknown, label = 'since'): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_EVENT_POSITION) {
    throw new RuntimeError(400, `${label} must be a non-negative integer`);
  }
  return value;
}
