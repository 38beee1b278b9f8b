import type { CommandHandlers } from '../dispatch.js';
import type { Services } from './context.js';
import { fileCommands } from './files.js';
import { gitCommands } from './git.js';
import { settingsCommands } from './settings.js';

export type { Services } from './context.js';

/** Every command of the table, one subsystem per file. */
export function createCommandHandlers(services: Services): CommandHandlers {
  return {
    ...fileCommands(services),
    ...settingsCommands(services),
    ...gitCommands(services),
  };
}
