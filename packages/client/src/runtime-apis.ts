/**
 * `createRuntimeAPIs(transport)`: the UI-facing API, identical on web and desktop because it only
 * uses `transport.invoke`/`listen` plus the shared normalisers. Each sub-API is a small factory so
 * later capabilities (git, terminal, ...) slot in beside these without touching them.
 *
 * Errors are the transport's `RuntimeCallError`, untouched: no prefixes, no fallback messages.
 */
import type {
  DataDirectoryResponse,
  DiagnosticsAPI,
  NotificationsAPI,
  FilesAPI,
  FsListResponse,
  FsChangeEvent,
  FsReadResponse,
  FsSearchResponse,
  RuntimeAPIs,
  RuntimeDescriptor,
  SettingsAPI,
  SettingsPayload,
  TerminalAPI,
  WorktreeMetadata,
} from '@chamber/contract';
import { fsWatchEvent } from '@chamber/contract';
import { createGitAPI, type ChamberGitAPI } from './git-api.js';
import {
  normalizeFsList,
  normalizeFsSearch,
  toCreateDirectoryResult,
  toDataDirectory,
  toDirectoryListResult,
  toFileSearchResults,
  toHomeDirectory,
  toSettingsPayload,
} from './normalize.js';
import { createTerminalAPI } from './terminal-api.js';
import type { Transport } from './transport.js';
import { createOpenCodeAPI, type ChamberOpenCodeAPI } from './opencode-fetch.js';
import {
  createAiAPI,
  createPromptEnhancerAPI,
  type ChamberAiAPI,
  type ChamberPromptEnhancerAPI,
} from './prompt-api.js';
import { createUiAuthAPI, type ChamberUiAuthAPI } from './ui-auth.js';
import {
  createDiagnosticsAPI,
  createNotificationsAPI,
  createPermissionsAPI,
  type ChamberPermissionsAPI,
} from './host-apis.js';

/** The event pushed after every successful settings save (see the contract's `EventMap`). */
const SETTINGS_CHANGED = 'settings://changed';

export interface ChamberFilesAPI extends FilesAPI {
  /** The runtime user's home directory. */
  home(): Promise<string>;
  /** Full wire listing (`isFile`, `isSymbolicLink`, nullable `size`...); blank path: workspace root or home. */
  list(path?: string): Promise<FsListResponse>;
  /** Full wire search answer (`relativePath`, `extension`, `root`, `count`). */
  searchFiles(query: { directory?: string; query?: string; limit?: number }): Promise<FsSearchResponse>;
  /** A file's text for the viewer: the first 2 MiB (`truncated`), `binary` files without content. */
  read(path: string): Promise<FsReadResponse>;
  /**
   * Changes under `directory` (`fs://<directory>`): `ready`, then debounced `changed` events; an
   * `error` (refused, or the OS watch failed) ends them. Resolves once subscribed.
   */
  watch(directory: string, handler: (event: FsChangeEvent) => void): Promise<() => void>;
}

export interface ChamberSettingsAPI extends SettingsAPI {
  /** Called with the formatted settings after every save, from any window; resolves once active. */
  subscribe(handler: (settings: SettingsPayload) => void): Promise<() => void>;
  /** Where settings.json and its siblings live (Chamber's `get_data_directory`). */
  dataDirectory(): Promise<DataDirectoryResponse>;
}

export type ChamberRuntimeAPIs = Pick<RuntimeAPIs, 'runtime'> & {
  files: ChamberFilesAPI;
  settings: ChamberSettingsAPI;
  git: ChamberGitAPI;
  /** Linked worktrees the git API has seen (listings, `git.watchWorktrees` events). */
  readonly worktrees: WorktreeMetadata[];
  terminal: TerminalAPI;
  permissions: ChamberPermissionsAPI;
  notifications: NotificationsAPI;
  /** Desktop only: the host's log download. */
  diagnostics?: DiagnosticsAPI;
  /** OpenCode's own API (hand `fetch` and `baseUrl` to `@opencode-ai/sdk`), on either transport. */
  opencode: ChamberOpenCodeAPI;
  /** The prompt enhancer's stored config, refine and preview (both transports). */
  promptEnhancer: ChamberPromptEnhancerAPI;
  /** The AI endpoint refine and the commit message use (Chamber's own setting). */
  ai: ChamberAiAPI;
  /** Web only: the server's UI password (session check and login); the desktop has none. */
  auth?: ChamberUiAuthAPI;
  /** The transport itself, for commands not wrapped yet. */
  raw: Transport;
};

export function createRuntimeDescriptor(transport: Transport): RuntimeDescriptor {
  return { platform: transport.kind, isDesktop: transport.kind === 'desktop', label: transport.kind };
}

export function createFilesAPI(transport: Transport): ChamberFilesAPI {
  return {
    async listDirectory(path) {
      return toDirectoryListResult(await transport.invoke('list_directory', { path }));
    },
    async search({ directory, query, maxResults }) {
      return toFileSearchResults(await transport.invoke('search_files', { directory, query, maxResults }));
    },
    async createDirectory(path) {
      return toCreateDirectoryResult(await transport.invoke('create_directory', { path }), path);
    },
    async home() {
      return toHomeDirectory(await transport.invoke('get_home_directory', {}));
    },
    async list(path) {
      return normalizeFsList(await transport.invoke('list_directory', { path }));
    },
    async searchFiles({ directory, query, limit }) {
      return normalizeFsSearch(await transport.invoke('search_files', { directory, query, maxResults: limit }));
    },
    async read(path) {
      return transport.invoke('read_file', { path });
    },
    watch(directory, handler) {
      return transport.listen(fsWatchEvent(directory), (payload) => handler(payload as FsChangeEvent));
    },
  };
}

export function createSettingsAPI(transport: Transport): ChamberSettingsAPI {
  return {
    async load() {
      return { settings: toSettingsPayload(await transport.invoke('load_settings', {})), source: transport.kind };
    },
    async save(changes) {
      return toSettingsPayload(await transport.invoke('save_settings', { changes }));
    },
    subscribe(handler) {
      return transport.listen(SETTINGS_CHANGED, (payload) => handler(toSettingsPayload(payload)));
    },
    async dataDirectory() {
      return toDataDirectory(await transport.invoke('get_data_directory', {}));
    },
  };
}

export function createRuntimeAPIs(transport: Transport): ChamberRuntimeAPIs {
  const git = createGitAPI(transport);
  return {
    runtime: createRuntimeDescriptor(transport),
    files: createFilesAPI(transport),
    settings: createSettingsAPI(transport),
    git,
    get worktrees() {
      return git.worktrees();
    },
    terminal: createTerminalAPI(transport),
    permissions: createPermissionsAPI(transport),
    notifications: createNotificationsAPI(transport),
    ...(transport.kind === 'desktop' && { diagnostics: createDiagnosticsAPI(transport) }),
    opencode: createOpenCodeAPI(transport),
    promptEnhancer: createPromptEnhancerAPI(transport),
    ai: createAiAPI(transport),
    ...(transport.http && { auth: createUiAuthAPI(transport.http) }),
    raw: transport,
  };
}
