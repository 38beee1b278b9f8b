/**
 * The command table: every capability of the runtime, named once. Each entry carries its argument
 * schema (type and check in one), its result type, its HTTP binding (method, path and where each
 * argument comes from) and the fallback message used when a handler fails without one.
 *
 * The server mounts routes from this table, the web client builds requests from it, and the IPC
 * host dispatches `invoke(name, args)` by its keys. Names are the desktop reference's snake_case
 * command names wherever it has one.
 */
import type {
  FsHomeResponse,
  FsListResponse,
  FsMkdirResponse,
  FsSearchResponse,
  SettingsResponse,
} from './types.js';
import { jsonObject, number, object, optional, string, type Infer, type ObjectSchema, type Shape } from './schema.js';

/** Where one argument comes from in an HTTP request. */
export type HttpArgSource =
  /**
   * A query parameter. `names` are tried in order and the first non-blank one wins (the reference
   * reads `root`, then `directory`). `parse: 'int'` applies `parseInt` and treats NaN as absent,
   * as the reference does for `limit`.
   */
  | { from: 'query'; names: readonly string[]; parse?: 'string' | 'int' }
  /** A member of the JSON (or form) body. */
  | { from: 'body'; name: string }
  /** The whole JSON body (e.g. the settings changes of `PUT /api/config/settings`). */
  | { from: 'body-whole' }
  /** A `:name` segment of the route path. */
  | { from: 'param'; name: string };

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
  http: HttpBinding<S>;
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

const pathString = (requiredMessage?: string) =>
  string({ maxLength: MAX_PATH_LENGTH, ...(requiredMessage ? { requiredMessage } : {}) });

/** Search limits of the reference (files-terminal-system.md §3.4). */
export const SEARCH_DEFAULT_LIMIT = 60;
export const SEARCH_MAX_LIMIT = 400;

export const commands = {
  // -- files ------------------------------------------------------------------------------------
  get_home_directory: defineCommand<FsHomeResponse>()({
    description: "The home directory of the runtime's user.",
    args: object({}),
    http: { method: 'GET', path: '/api/fs/home', args: {} },
    fallbackError: 'Failed to resolve home directory',
  }),
  list_directory: defineCommand<FsListResponse>()({
    description: 'Every entry of a directory (blank path: the workspace root or home).',
    args: object({ path: optional(pathString()) }),
    http: { method: 'GET', path: '/api/fs/list', args: { path: { from: 'query', names: ['path'] } } },
    fallbackError: 'Failed to list directory',
  }),
  search_files: defineCommand<FsSearchResponse>()({
    description: 'Fuzzy, gitignore-aware search for files at any depth under a root.',
    args: object({
      directory: optional(pathString()),
      query: optional(string({ maxLength: 1024 })),
      maxResults: optional(number()),
    }),
    http: {
      method: 'GET',
      path: '/api/fs/search',
      args: {
        directory: { from: 'query', names: ['root', 'directory'] },
        query: { from: 'query', names: ['q'] },
        maxResults: { from: 'query', names: ['limit'], parse: 'int' },
      },
    },
    fallbackError: 'Failed to search files',
  }),
  create_directory: defineCommand<FsMkdirResponse>()({
    description: 'Create a directory and its missing parents (mkdir -p).',
    args: object({ path: pathString('Path is required') }),
    http: { method: 'POST', path: '/api/fs/mkdir', args: { path: { from: 'body', name: 'path' } } },
    fallbackError: 'Failed to create directory',
  }),

  // -- settings ---------------------------------------------------------------------------------
  load_settings: defineCommand<SettingsResponse>()({
    description: 'The formatted settings from settings.json.',
    args: object({}),
    http: { method: 'GET', path: '/api/config/settings', args: {} },
    fallbackError: 'Failed to load settings',
  }),
  save_settings: defineCommand<SettingsResponse>()({
    description: 'Sanitise, merge and atomically write a partial settings object.',
    args: object({ changes: optional(jsonObject()) }),
    http: { method: 'PUT', path: '/api/config/settings', args: { changes: { from: 'body-whole' } } },
    fallbackError: 'Failed to save settings',
  }),
} as const;

export type CommandTable = typeof commands;
export type CommandName = keyof CommandTable;
export type CommandArgs<N extends CommandName> = Infer<CommandTable[N]['args']>;
export type CommandResult<N extends CommandName> =
  CommandTable[N] extends CommandDefinition<Shape, infer R> ? R : never;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}
