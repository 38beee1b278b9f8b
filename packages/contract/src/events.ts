/**
 * Events pushed by the runtime. The web transport carries them over one SSE stream, the desktop
 * transport as `listen(name)` events; the payloads are identical.
 */
import type { FsChangeEvent } from './commands/files-types.js';
import type { GitProgressEvent, GitWorktreesEvent } from './commands/git-types.js';
import type { OpenCodeStreamEvent } from './commands/opencode-types.js';
import type { DirectoryPermissionsState } from './commands/permissions-types.js';
import type { SettingsResponse } from './commands/settings-types.js';
import type { TerminalServerEvent } from './commands/terminal-types.js';
import { TERMINAL_SESSION_ID_PATTERN } from './commands/terminal.js';
import { OPENCODE_REQUEST_ID_PATTERN } from './commands/opencode.js';

/** An absolute directory (POSIX `/…` or Windows `C:/…`), at most PATH_MAX, without NUL. */
export const FS_WATCH_PARAM_PATTERN = /^(\/|[A-Za-z]:[\\/])[^\0]{0,4094}$/;

/** Most paths one `fs://` `changed` event lists; beyond, `overflow` says "more, refresh everything". */
export const FS_WATCH_MAX_PATHS = 200;

/** The `fs://` event name of a directory. */
export function fsWatchEvent(directory: string): string {
  return `fs://${directory}`;
}

export interface EventMap {
  /** After every successful `save_settings`: the formatted settings now on disk. */
  'settings://changed': SettingsResponse;
  /** While git_pull, git_push or git_fetch runs: each progress line git prints (throttled). */
  'git://progress': GitProgressEvent;
  /** After the runtime listed, added or removed worktrees of a project: its linked worktrees. */
  'git://worktrees': GitWorktreesEvent;
  /** After a directory is approved or its session access starts or stops (desktop only). */
  'permissions://changed': DirectoryPermissionsState;
}

export type EventName = keyof EventMap;
export type EventPayload<N extends EventName> = EventMap[N];

export const eventNames: readonly EventName[] = [
  'settings://changed',
  'git://progress',
  'git://worktrees',
  'permissions://changed',
];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}

/**
 * Event families: names made of a prefix and a parameter, e.g. `terminal://<sessionId>`. A
 * subscription to a family member is opened by the runtime's provider for that family, which may
 * refuse it (404 for an unknown session) and, for a *resumable* family, replays what the client
 * missed: each event then carries a `position`, the client resumes with `since: <last position>`
 * and acknowledges positions it has processed (flow control).
 */
export interface EventFamilyMap {
  /** One terminal session's output: `connected` first, then `data`, then `exit`. */
  'terminal://': TerminalServerEvent;
  /** The body of one answer of OpenCode to `opencode_request` (desktop): `data`… then `end` or `error`. */
  'opencode://': OpenCodeStreamEvent;
  /** Changes under one directory (`fs:///home/me/work`): `ready`, then `changed`…; `error` ends it. */
  'fs://': FsChangeEvent;
}

export type EventFamily = keyof EventFamilyMap;

export interface EventFamilyRule {
  /** What the parameter after the prefix must look like. */
  param: RegExp;
  /** Events carry positions; subscriptions take `since` and acknowledgements. */
  resumable: boolean;
}

export const eventFamilies: { readonly [F in EventFamily]: EventFamilyRule } = {
  'terminal://': { param: TERMINAL_SESSION_ID_PATTERN, resumable: true },
  'opencode://': { param: OPENCODE_REQUEST_ID_PATTERN, resumable: true },
  'fs://': { param: FS_WATCH_PARAM_PATTERN, resumable: false },
};

/** The family and parameter of `name`, or undefined when it names no family member. */
export function parseFamilyEvent(name: unknown): { family: EventFamily; param: string } | undefined {
  if (typeof name !== 'string') return undefined;
  for (const family of Object.keys(eventFamilies) as EventFamily[]) {
    if (!name.startsWith(family)) continue;
    const param = name.slice(family.length);
    return eventFamilies[family].param.test(param) ? { family, param } : undefined;
  }
  return undefined;
}

/**
 * The one rule every transport applies before opening a subscription: a plain event of the map,
 * or a well-formed member of a family. Whether that member exists is the runtime's answer.
 */
export function isSubscribable(name: unknown): name is string {
  return isEventName(name) || parseFamilyEvent(name) !== undefined;
}

/** Largest position accepted in `since` and acknowledgements (positions are character counts). */
export const MAX_EVENT_POSITION = Number.MAX_SAFE_INTEGER;

/**
 * Flow control of resumable subscriptions, in position units (characters for a terminal). The
 * runtime stops sending to an acknowledging client `window` units past its last acknowledgement
 * (and pauses the source, a PTY) and resumes once the client has acknowledged down to `resumeAt`;
 * clients acknowledge once `ackEvery` units have been processed since their last acknowledgement,
 * and otherwise `ackDelayMs` after the last event, so an acknowledgement costs one message per
 * `ackEvery` units of a flood, not one per event.
 *
 * Sized by the bandwidth-delay product: a PTY flood arrives at 40-60 MiB/s here and an
 * acknowledgement takes 1-10 ms to come back (an HTTP POST; a DevTools round trip in the desktop
 * window), so VS Code's 100 000 / 5 000 characters stall the stream once per window. Half a
 * window stays in flight while the other half is processed; the client holds at most `window`
 * characters it has not handled yet (about 1 MiB of strings).
 */
export const EVENT_FLOW = {
  window: 1024 * 1024,
  resumeAt: 512 * 1024,
  ackEvery: 256 * 1024,
  ackDelayMs: 20,
} as const;

/** Answer of the web stream's edit route when the stream itself is gone (the client reconnects). */
export const UNKNOWN_EVENT_STREAM = 'Unknown event stream';

/** Web event stream (our own route, not in the reference): `GET` opens it, `POST` edits subscriptions. */
export const EVENT_STREAM_PATH = '/api/chamber/events';

/** Messages on the web event stream, one JSON object per SSE `data:` line. */
export type EventStreamMessage =
  | { type: 'ready'; streamId: string }
  /**
   * Sent before the first event of each new subscription. Events of an earlier subscription to
   * the same name may still be in flight; the client drops events of a name until this arrives.
   */
  | { type: 'subscribed'; event: string }
  | { type: 'event'; event: string; payload: unknown; position?: number };

/**
 * Body of `POST <EVENT_STREAM_PATH>/:streamId`. A subscription is an event name, or
 * `{ event, since }` to resume a resumable family after `since`; `ack` maps event names to the
 * last position the client has processed.
 */
export interface EventStreamEdit {
  subscribe?: (string | { event: string; since?: number })[];
  unsubscribe?: string[];
  ack?: Record<string, number>;
}

/** Frames of the IPC transport (desktop host ↔ window; in tests, a child process's stdio). */
export type IpcRequestFrame =
  | { id: number | string; command: string; args?: unknown }
  | { id: number | string; subscribe: string; since?: number }
  | { id: number | string; unsubscribe: string }
  | { id: number | string; ack: string; position: number };

export type IpcResponseFrame =
  | { id: number | string | null; result: unknown }
  | { id: number | string | null; error: { status: number; message: string; detail?: string } }
  | { event: string; payload: unknown; position?: number }
  /** Before the first event of a new subscription (see `EventStreamMessage`'s `subscribed`). */
  | { subscribed: string };
