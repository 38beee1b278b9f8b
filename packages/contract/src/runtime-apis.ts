/**
 * The shared `RuntimeAPIs` surface: what the UI sees, identical on web and desktop. Each member's
 * interface is its subsystem's (`commands/<subsystem>-types.ts`, beside the commands that serve it).
 */
import type { DiagnosticsAPI } from './commands/diagnostics-types.js';
import type { FilesAPI } from './commands/files-types.js';
import type { GitAPI, WorktreeMetadata } from './commands/git-types.js';
import type { NotificationsAPI } from './commands/notifications-types.js';
import type { PermissionsAPI } from './commands/permissions-types.js';
import type { PromptEnhancerAPI } from './commands/prompts-types.js';
import type { SettingsAPI } from './commands/settings-types.js';
import type { TerminalAPI } from './commands/terminal-types.js';

export type RuntimePlatform = 'web' | 'desktop';

export interface RuntimeDescriptor {
  platform: RuntimePlatform;
  /** Mirror of `platform === 'desktop'`. */
  isDesktop: boolean;
  label?: string;
}

export interface ApiError {
  message: string;
  code?: string;
  cause?: unknown;
}

export interface ToolsAPI {
  getAvailableTools(): Promise<string[]>;
}

export interface RuntimeAPIs {
  runtime: RuntimeDescriptor;
  terminal: TerminalAPI;
  git: GitAPI;
  files: FilesAPI;
  settings: SettingsAPI;
  permissions: PermissionsAPI;
  notifications: NotificationsAPI;
  diagnostics?: DiagnosticsAPI;
  promptEnhancer?: PromptEnhancerAPI;
  tools: ToolsAPI;
  worktrees?: WorktreeMetadata[];
}
