import type { CommandHandlers } from '../dispatch.js';
import type { Services } from './context.js';

type SettingsCommands = Pick<CommandHandlers, 'load_settings' | 'save_settings'>;

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
  };
}
