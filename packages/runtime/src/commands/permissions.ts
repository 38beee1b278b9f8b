import type { CommandHandlers } from '../dispatch.js';
import type { Services } from './context.js';

type PermissionCommands = Pick<
  CommandHandlers,
  'request_directory_access' | 'start_accessing_directory' | 'stop_accessing_directory'
>;

export function permissionCommands(services: Services): PermissionCommands {
  const { directoryAccess } = services;
  return {
    request_directory_access: ({ request }) => directoryAccess.request(request?.path),
    start_accessing_directory: ({ path }) => directoryAccess.start(path),
    stop_accessing_directory: ({ path }) => directoryAccess.stop(path),
  };
}
