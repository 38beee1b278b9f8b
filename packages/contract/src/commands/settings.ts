/** Settings commands (settings-config-prompts.md §2). */
import type { SettingsResponse } from '../types.js';
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
} as const;
