import type { EventName, EventPayload } from '@chamber/contract';

export type EventListener = (event: string, payload: unknown) => void;

/**
 * The runtime's event bus. Transports subscribe to everything and filter by what their client
 * asked for; services emit typed events.
 */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  emit<N extends EventName>(event: N, payload: EventPayload<N>): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event, payload);
      } catch {
        // A failing transport must not break the service that emitted the event.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
