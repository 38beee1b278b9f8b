/**
 * Directory permission commands (desktop-ipc.md §4.4, settings-config-prompts.md §7.2). Desktop
 * only: they open the host's folder picker and widen the desktop sandbox, so they have no HTTP
 * binding (the web `RuntimeAPIs.permissions` answers success locally, as the reference did).
 */
import type { AccessingDirectoryResponse, DirectoryAccessResponse } from './permissions-types.js';
import { object, optional } from '../schema.js';
import { defineCommand, pathString } from './define.js';

/** `request_directory_access`'s `error` when the person closes the folder picker without choosing. */
export const SELECTION_CANCELLED = 'Directory selection cancelled';
/** `request_directory_access`'s `error` while another folder picker is open. */
export const PICKER_BUSY = 'A folder picker is already open';

export const permissionCommands = {
  request_directory_access: defineCommand<DirectoryAccessResponse>()({
    description:
      'Approve a directory for the sandbox: the given path once validated, or (no path) the one chosen in the OS folder picker.',
    args: object({ request: optional(object({ path: optional(pathString()) })) }),
    fallbackError: 'Failed to request directory access',
  }),
  start_accessing_directory: defineCommand<AccessingDirectoryResponse>()({
    description: 'Validate a directory and admit it to the sandbox for the rest of this session.',
    args: object({ path: pathString() }),
    fallbackError: 'Failed to access directory',
  }),
  stop_accessing_directory: defineCommand<AccessingDirectoryResponse>()({
    description: 'End the session access opened by start_accessing_directory (persisted approvals stay).',
    args: object({ path: pathString() }),
    fallbackError: 'Failed to stop accessing directory',
  }),
} as const;
