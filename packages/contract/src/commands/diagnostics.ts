/**
 * Diagnostics (desktop-ipc.md §4.9, §8.2). Desktop only: the log file is the desktop host's; the
 * web server logs to its own stderr.
 */
import type { DesktopLogsResponse } from './diagnostics-types.js';
import { object } from '../schema.js';
import { defineCommand } from './define.js';

/** File name of the desktop log, as the reference named it (and as the download is called). */
export const DESKTOP_LOG_FILE_NAME = 'desktop.log';

export const diagnosticsCommands = {
  fetch_desktop_logs: defineCommand<DesktopLogsResponse>()({
    description: "The desktop host's structured log (one JSON object per line), for the logs download.",
    args: object({}),
    fallbackError: 'Failed to read log file',
  }),
} as const;
