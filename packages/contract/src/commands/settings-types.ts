/** Settings shapes: `RuntimeAPIs.settings` and the wire shapes of the settings commands. */
import type { RuntimePlatform } from '../runtime-apis.js';

export interface TypographySizes {
  markdown?: string;
  code?: string;
  uiHeader?: string;
  uiLabel?: string;
  meta?: string;
  micro?: string;
}

export interface SettingsPayload {
  themeId?: string;
  useSystemTheme?: boolean;
  themeVariant?: 'light' | 'dark';
  lightThemeId?: string;
  darkThemeId?: string;
  lastDirectory?: string;
  homeDirectory?: string;
  approvedDirectories?: string[];
  securityScopedBookmarks?: string[];
  markdownDisplayMode?: string;
  pinnedDirectories?: string[];
  showReasoningTraces?: boolean;
  uiFont?: string;
  monoFont?: string;
  typographySizes?: TypographySizes;
  [key: string]: unknown;
}

/** The formatted settings object answered by load and save (settings-config-prompts.md §2.4). */
export interface SettingsResponse extends SettingsPayload {
  approvedDirectories: string[];
  securityScopedBookmarks: string[];
  pinnedDirectories: string[];
  showReasoningTraces: boolean;
}

/** `get_data_directory` (Chamber's own command: the reference exposes no data directory). */
export interface DataDirectoryResponse {
  /** Absolute directory holding settings.json and its siblings. */
  dataDirectory: string;
  /** Absolute path of settings.json inside it. */
  settingsFile: string;
}

export interface SettingsLoadResult {
  settings: SettingsPayload;
  source: RuntimePlatform;
}

export interface SettingsAPI {
  load(): Promise<SettingsLoadResult>;
  save(changes: Partial<SettingsPayload>): Promise<SettingsPayload>;
  restartOpenCode?(): Promise<{ restarted: boolean }>;
}
