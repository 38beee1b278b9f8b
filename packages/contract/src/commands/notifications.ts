/**
 * OS notifications (desktop-ipc.md §4.7, settings-config-prompts.md §7.3). Desktop only: the web
 * `RuntimeAPIs.notifications` uses the browser's Notification API instead, as the reference did.
 */
import { object, optional, string } from '../schema.js';
import { defineCommand } from './define.js';

/** Defaults when the payload leaves a field out (an empty string is shown as is). */
export const NOTIFICATION_DEFAULT_TITLE = 'OpenChamber';
export const NOTIFICATION_DEFAULT_BODY = 'Task completed';

export const notificationCommands = {
  notify_agent_completion: defineCommand<boolean>()({
    description: 'Show an OS notification (the agent finished a turn); a repeated tag replaces the previous one.',
    args: object({
      payload: optional(
        object({
          title: optional(string({ maxLength: 1024 })),
          body: optional(string({ maxLength: 16 * 1024 })),
          tag: optional(string({ maxLength: 256 })),
        }),
      ),
    }),
    fallbackError: 'Failed to show notification',
  }),
} as const;
