import type { CommandHandlers } from '../dispatch.js';
import type { Services } from './context.js';
import { fileCommands } from './files.js';
import { settingsCommands } from './settings.js';
import { permissionCommands } from './permissions.js';
import { notificationCommands } from './notifications.js';
import { diagnosticsCommands } from './diagnostics.js';

export type { Services } from './context.js';

/** Every command of the table, one subsystem per file. */
export function createCommandHandlers(services: Services): CommandHandlers {
  return {
    ...fileCommands(services),
    ...settingsCommands(services),
    ...permissionCommands(services),
    ...notificationCommands(services),
    ...diagnosticsCommands(services),
  };
}
