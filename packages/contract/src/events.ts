/**
 * Events pushed by the runtime. The web transport carries them over one SSE stream, the desktop
 * transport as `listen(name)` events; the payloads are identical.
 */
import type { DirectoryPermissionsState, SettingsResponse } from './types.js';

export interface EventMap {
  /** After every successful `save_settings`: the formatted settings now on disk. */
  'settings://changed': SettingsResponse;
  /** After a directory is approved or its session access starts or stops (desktop only). */
  'permissions://changed': DirectoryPermissionsState;
}

export type EventName = keyof EventMap;
export type EventPayload<N extends EventName> = EventMap[N];

export const eventNames: readonly EventName[] = ['settings://changed', 'permissions://changed'];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}

/** Web event stream (our own route, not in the reference): `GET` opens it, `POST` edits subscriptions. */
export const EVENT_STREAM_PATH = '/api/chamber/events';

/** Messages on the web event stream, one JSON object per SSE `data:` line. */
export type EventStreamMessage =
  { type: 'ready'; streamId: string } | { type: 'event'; event: string; payload: unknown };

/** Frames of the IPC transport (desktop host ↔ window; in tests, a child process's stdio). */
export type IpcRequestFrame =
  | { id: number | string; command: string; args?: unknown }
  | { id: number | string; subscribe: string }
  | { id: number | string; unsubscribe: string };

export type IpcResponseFrame =
  | { id: number | string | null; result: unknown }
  | { id: number | string | null; error: { status: number; message: string } }
  | { event: string; payload: unknown };
