import type { CommandHandlers } from '../dispatch.js';
import type { Services } from './context.js';
import { fileCommands, fileEventFamilies } from './files.js';
import { gitCommands } from './git.js';
import { settingsCommands } from './settings.js';
import { terminalCommands, terminalEventFamilies } from './terminal.js';
import type { FamilyProviders } from '../subscriptions.js';
import { permissionCommands } from './permissions.js';
import { notificationCommands } from './notifications.js';
import { diagnosticsCommands } from './diagnostics.js';
import { opencodeCommands, opencodeEventFamilies } from './opencode.js';
import { opencodeConfigCommands } from './opencode-config.js';
import { promptCommands } from './prompts.js';
import { aiCommands } from './ai.js';

export type { Services } from './context.js';

/** Every command of the table, one subsystem per file. */
export function createCommandHandlers(services: Services): CommandHandlers {
  return {
    ...fileCommands(services),
    ...settingsCommands(services),
    ...gitCommands(services),
    ...terminalCommands(services),
    ...permissionCommands(services),
    ...notificationCommands(services),
    ...diagnosticsCommands(services),
    ...opencodeCommands(services),
    ...opencodeConfigCommands(services),
    ...promptCommands(services),
    ...aiCommands(services),
  };
}

/** A provider for every event family of the contract, one subsystem per file. */
export function createEventFamilyProviders(services: Services): FamilyProviders {
  return {
    ...terminalEventFamilies(services),
    ...opencodeEventFamilies(services),
    ...fileEventFamilies(services),
  };
}
