import type { CommandHandlers } from '../dispatch.js';
import { readDesktopLogs } from '../diagnostics/log-file.js';
import type { Services } from './context.js';

type DiagnosticsCommands = Pick<CommandHandlers, 'fetch_desktop_logs'>;

export function diagnosticsCommands(services: Services): DiagnosticsCommands {
  return {
    fetch_desktop_logs: () => readDesktopLogs(services.desktopLogFile),
  };
}
