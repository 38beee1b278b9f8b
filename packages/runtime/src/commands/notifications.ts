import { NOTIFICATION_DEFAULT_BODY, NOTIFICATION_DEFAULT_TITLE } from '@chamber/contract';
import type { CommandHandlers } from '../dispatch.js';
import type { Services } from './context.js';

type NotificationCommands = Pick<CommandHandlers, 'notify_agent_completion'>;

export function notificationCommands(services: Services): NotificationCommands {
  return {
    async notify_agent_completion({ payload }) {
      // Defaults only for missing/null fields: an empty string is shown as is (as the reference did).
      await services.notifier.notify({
        title: payload?.title ?? NOTIFICATION_DEFAULT_TITLE,
        body: payload?.body ?? NOTIFICATION_DEFAULT_BODY,
        ...(payload?.tag !== undefined && { tag: payload.tag }),
      });
      return true;
    },
  };
}
