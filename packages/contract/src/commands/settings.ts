/** Settings commands (settings-config-prompts.md §2). */
import type { DataDirectoryResponse, SettingsResponse } from './settings-types.js';
import { jsonObject, object, optional } from '../schema.js';
import { defineCommand } from './define.js';

export const settingsCommands = {
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
  // Chamber's own (no reference counterpart): lets the settings view show where files live.
  get_data_directory: defineCommand<DataDirectoryResponse>()({
    description: 'Where settings.json and its siblings live.',
    args: object({}),
    http: { method: 'GET', path: '/api/chamber/data-directory', args: {} },
    fallbackError: 'Failed to resolve data directory',
  }),
} as const;
