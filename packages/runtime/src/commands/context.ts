import type { EventBus } from '../events.js';
import type { FileIndex } from '../files/search/index.js';
import type { DirectoryWatchers } from '../files/watch.js';
import type { GitService } from '../git/service.js';
import type { Logger } from '../logger.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { SettingsStore } from '../settings/store.js';
import type { TerminalManager } from '../terminal/manager.js';
import type { DirectoryAccess } from '../permissions/directory-access.js';
import type { Notifier } from '../notifications/notifier.js';
import type { OpenCodeService } from '../opencode/service.js';
import type { OpenCodeRequests } from '../opencode/ipc-requests.js';
import type { AiEndpointService } from '../ai/endpoint.js';
import type { PromptEnhancerStore } from '../prompts/store.js';

/** The services command handlers are built from; each is a plain object with explicit dependencies. */
export interface Services {
  homeDir: string;
  settings: SettingsStore;
  sandbox: Sandbox;
  fileIndex: FileIndex;
  /** `fs://<directory>` change events: one watcher per directory, shared. */
  watchers: DirectoryWatchers;
  events: EventBus;
  logger: Logger;
  git: GitService;
  terminals: TerminalManager;
  directoryAccess: DirectoryAccess;
  notifier: Notifier;
  /** The desktop host's log file, answered by fetch_desktop_logs. */
  desktopLogFile: string;
  /** Where settings.json and its siblings live (models-metadata.json among them). */
  dataDir: string;
  /** The environment the runtime was created with (overrides such as CHAMBER_MODELS_METADATA_URL). */
  env: NodeJS.ProcessEnv;
  /** OpenCode's global config directory: `$XDG_CONFIG_HOME/opencode`, else `~/.config/opencode`. */
  opencodeConfigDir: string;
  /** The OpenCode supervisor (config commands need only its `OpenCodeController` side). */
  opencode: OpenCodeService;
  /** OpenCode's API carried over IPC (desktop): requests, answers streamed as events. */
  opencodeRequests: OpenCodeRequests;
  /** The AI endpoint setting refine and the commit message use (`ai-endpoint.json`, env). */
  ai: AiEndpointService;
  /** `prompt-enhancer-config.json`. */
  promptEnhancer: PromptEnhancerStore;
}
