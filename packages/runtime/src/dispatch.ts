import {
  RuntimeError,
  commands,
  isCommandName,
  type CommandArgs,
  type CommandName,
  type CommandResult,
} from '@chamber/contract';
import { systemError } from './util/system-errors.js';

/** What every handler receives besides its arguments. */
export interface CommandContext {
  /** The transport the call came in on, for logs only: handlers behave identically on both. */
  transport: 'http' | 'ipc' | 'internal';
}

export type CommandHandler<N extends CommandName> = (
  args: CommandArgs<N>,
  context: CommandContext,
) => Promise<CommandResult<N>>;

/** A handler for every command of the table: a missing one fails the type check. */
export type CommandHandlers = { [N in CommandName]: CommandHandler<N> };

/**
 * Validate the raw arguments against the command's schema, run its handler, and turn anything
 * that is not a `RuntimeError` into one (a name too long 400, a full disk 507, anything else 500
 * with the error's message or the command's fallback), so both transports see the same status
 * and text.
 */
export async function dispatchCommand(
  handlers: CommandHandlers,
  name: string,
  rawArgs: unknown,
  context: CommandContext,
): Promise<unknown> {
  if (!isCommandName(name)) throw new RuntimeError(404, `Unknown command: ${String(name).slice(0, 200)}`);
  const definition = commands[name];
  const args = definition.args.parse(rawArgs, '');
  const handler = handlers[name] as (args: unknown, context: CommandContext) => Promise<unknown>;
  try {
    return await handler(args, context);
  } catch (error) {
    throw toRuntimeError(error, definition.fallbackError);
  }
}

export function toRuntimeError(error: unknown, fallbackMessage: string): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const system = systemError(error);
  if (system) return system;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return new RuntimeError(500, message || fallbackMessage);
}
