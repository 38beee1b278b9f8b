/**
 * How one command of the table is described: its argument schema (type and check in one), its
 * result type, its HTTP binding and its fallback error message. Each subsystem's commands live in
 * a file of their own beside this one; `index.ts` joins them into the table.
 */
import { string, type InferShape, type ObjectSchema, type Shape } from '../schema.js';

/** Where one argument comes from in an HTTP request. */
export type HttpArgSource =
  /**
   * A query parameter. `names` are tried in order and the first non-blank one wins (the reference
   * reads `root`, then `directory`). `parse: 'int'` applies `parseInt` and treats NaN as absent,
   * as the reference does for `limit`. `parse: 'flag'` gives `true` for exactly the text `true`
   * and `false` for any other value (the reference's rule for `staged`).
   */
  | { from: 'query'; names: readonly string[]; parse?: 'string' | 'int' | 'flag' }
  /** A member of the JSON (or form) body. */
  | { from: 'body'; name: string }
  /** The whole JSON body (e.g. the settings changes of `PUT /api/config/settings`). */
  | { from: 'body-whole' }
  /** A `:name` segment of the route path. */
  | { from: 'param'; name: string }
  /** The whole body as UTF-8 text, whatever its content type (terminal input). */
  | { from: 'body-text' };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpBinding<S extends Shape = Shape> {
  method: HttpMethod;
  /** Route path; `:name` segments bind `{ from: 'param' }` arguments. */
  path: string;
  args: { readonly [K in keyof S]: HttpArgSource };
}

export interface CommandDefinition<S extends Shape, R> {
  /** One line for generated docs. */
  description: string;
  args: ObjectSchema<S>;
  /**
   * Its HTTP binding. A command without one is desktop-only (it drives the host's OS: folder
   * picker, notifications, the log file): the server mounts no route for it, the web client
   * refuses it, and its parity cases run on the IPC transports only.
   */
  http?: HttpBinding<S>;
  /** Message when a handler fails with an error that has no message of its own. */
  fallbackError: string;
  /** Phantom member carrying the result type; never set at run time. */
  readonly __result?: R;
}

/** Curried so the result type can be given explicitly while the argument shape is inferred. */
export function defineCommand<R>() {
  return <S extends Shape>(definition: Omit<CommandDefinition<S, R>, '__result'>): CommandDefinition<S, R> =>
    definition;
}

/** Longest path accepted anywhere (Linux PATH_MAX). */
export const MAX_PATH_LENGTH = 4096;

/** A path argument: a string of at most PATH_MAX characters, never holding NUL. */
export const pathString = (requiredMessage?: string) =>
  string({ maxLength: MAX_PATH_LENGTH, ...(requiredMessage ? { requiredMessage } : {}) });

/**
 * A stream binding: an HTTP route carrying one subscription as a dedicated SSE response (see
 * streams.ts). Declared beside the commands of its subsystem.
 */
export interface StreamDefinition<S extends Shape = Shape> {
  description: string;
  args: ObjectSchema<S>;
  http: { method: 'GET'; path: string; args: { readonly [K in keyof S]: HttpArgSource } };
  /** The subscription the route opens for validated arguments. */
  subscription(args: InferShape<S>): { event: string; since?: number };
  /** Heartbeat comment period (`: heartbeat`). */
  heartbeatMs: number;
}

export function defineStream<S extends Shape>(definition: StreamDefinition<S>): StreamDefinition<S> {
  return definition;
}
