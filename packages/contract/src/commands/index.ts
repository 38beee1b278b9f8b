/**
 * The command table: every capability of the runtime, named once. The server mounts routes from
 * it, the web client builds requests from it, and the IPC host dispatches `invoke(name, args)` by
 * its keys. Names are the desktop reference's snake_case command names wherever it has one.
 *
 * Each subsystem declares its commands in a file of its own; add a subsystem by spreading its
 * table here.
 */
import type { Infer, Shape } from '../schema.js';
import type { CommandDefinition, HttpBinding } from './define.js';
import { fileCommands } from './files.js';
import { gitCommands } from './git.js';
import { settingsCommands } from './settings.js';
import { terminalCommands } from './terminal.js';
import { permissionCommands } from './permissions.js';
import { notificationCommands } from './notifications.js';
import { diagnosticsCommands } from './diagnostics.js';
import { opencodeCommands } from './opencode.js';
import { opencodeConfigCommands } from './opencode-config.js';
import { promptCommands } from './prompts.js';
import { aiCommands } from './ai.js';

export * from './define.js';
export { FS_READ_MAX_BYTES, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from './files.js';
export {
  COMMIT_FILES_REQUIRED,
  GIT_MAX_MESSAGE_LENGTH,
  GIT_MAX_REF_LENGTH,
  gitRef,
  type GitCommandName,
} from './git.js';
export * from './terminal.js';
export { PICKER_BUSY, SELECTION_CANCELLED } from './permissions.js';
export { NOTIFICATION_DEFAULT_BODY, NOTIFICATION_DEFAULT_TITLE } from './notifications.js';
export { DESKTOP_LOG_FILE_NAME } from './diagnostics.js';
export * from './opencode.js';
export * from './opencode-config.js';
export * from './prompts.js';
export * from './ai.js';

export const commands = {
  ...fileCommands,
  ...settingsCommands,
  ...gitCommands,
  ...terminalCommands,
  ...permissionCommands,
  ...notificationCommands,
  ...diagnosticsCommands,
  ...opencodeCommands,
  ...opencodeConfigCommands,
  ...promptCommands,
  ...aiCommands,
} as const;

export type CommandTable = typeof commands;
export type CommandName = keyof CommandTable;
export type CommandArgs<N extends CommandName> = Infer<CommandTable[N]['args']>;
export type CommandResult<N extends CommandName> =
  CommandTable[N] extends CommandDefinition<Shape, infer R> ? R : never;

export const commandNames = Object.keys(commands) as CommandName[];

/** The command's HTTP binding; undefined for a desktop-only command. */
export function httpBindingOf(name: CommandName): HttpBinding | undefined {
  return (commands[name] as { http?: HttpBinding }).http;
}

/** Commands with no HTTP binding: served by the desktop host's IPC only. */
export const desktopOnlyCommandNames = commandNames.filter((name) => httpBindingOf(name) === undefined);

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}
