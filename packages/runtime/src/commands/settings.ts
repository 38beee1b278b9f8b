import path from 'node:path';
import type { CommandHandlers } from '../dispatch.js';
import type { Services } from './context.js';

type SettingsCommands = Pick<CommandHandlers, 'load_settings' | 'save_settings' | 'get_data_directory'>;

export function settingsCommands(services: Services): SettingsCommands {
  return {
    async load_settings() {
      return services.settings.load();
    },

    async save_settings({ changes }) {
      const saved = await services.settings.save(changes ?? {});
      services.events.emit('settings://changed', saved);
      return saved;
    },

    async get_data_directory() {
      const settingsFile = services.settings.filePath;
      return { dataDirectory: path.dirname(settingsFile), settingsFile };
    },
  };
}
