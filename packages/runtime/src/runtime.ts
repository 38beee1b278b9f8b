import os from 'node:os';
import path from 'node:path';
import type { CommandArgs, CommandName, CommandResult } from '@chamber/contract';
import { dispatchCommand, type CommandContext } from './dispatch.js';
import { EventBus } from './events.js';
import { silentLogger, type Logger } from './logger.js';
import { createCommandHandlers, createEventFamilyProviders } from './commands/index.js';
import { Sandbox, type SandboxPolicy } from './sandbox/sandbox.js';
import { SettingsStore } from './settings/store.js';
import { FileIndex, type FileIndexOptions } from './files/search/index.js';
import { DirectoryWatchers } from './files/watch.js';
import { GitService, type GitOptions } from './git/service.js';
import type { WorktreeCache } from './git/worktrees.js';
import { createSubscribe, type SubscribeFunction } from './subscriptions.js';
import { TerminalManager, type TerminalManagerOptions } from './terminal/manager.js';
import { DirectoryAccess } from './permissions/directory-access.js';
import { createOsFolderPicker, type FolderPicker } from './permissions/folder-picker.js';
import { createOsNotifier, type Notifier } from './notifications/notifier.js';
import { defaultDesktopLogPath } from './diagnostics/log-file.js';
import { createOsTools } from './util/os-tools.js';
import { OpenCodeService, type OpenCodeServiceOptions } from './opencode/service.js';
import { OpenCodeRequests } from './opencode/ipc-requests.js';
import { createOpenCodeChatFetch } from './opencode/chat-adapter.js';
import { AiEndpointService } from './ai/endpoint.js';
import { PromptEnhancerStore } from './prompts/store.js';

export interface RuntimeOptions {
  /** The user's home directory (default `os.homedir()`, i.e. `$HOME`). */
  homeDir?: string;
  /**
   * Where settings.json and its siblings live. Default: `$OPENCHAMBER_DATA_DIR` (resolved against
   * `cwd`) when set and non-blank, else `<homeDir>/.config/openchamber`.
   */
  dataDir?: string;
  /** Base for relative paths in the open sandbox (default `process.cwd()`). */
  cwd?: string;
  /** Which paths commands may touch; see `Sandbox`. Default `{ mode: 'open' }` (the web reference). */
  sandbox?: SandboxPolicy;
  logger?: Logger;
  /** Environment consulted for defaults (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Git runner environment, timeouts and an override of the AI commit-message endpoint. */
  git?: GitOptions;
  /** File search: the listing tools (default `git` and `rg` from PATH; tests pass fakes) and their bound. */
  search?: Pick<FileIndexOptions, 'tools' | 'listTimeoutMs'>;
  /** Terminal shell, environment (default `process.env`), limits and clock. */
  terminal?: Pick<TerminalManagerOptions, 'shell' | 'env' | 'limits' | 'now'>;
  /**
   * OS integration of the desktop-only commands. Default: the platform's own programs found on
   * `env.PATH` (zenity/kdialog and notify-send on Linux, osascript on macOS), so tests can put
   * fakes first on PATH or pass their own objects here.
   */
  os?: { platform?: NodeJS.Platform; folderPicker?: FolderPicker; notifier?: Notifier };
  /** The log file `fetch_desktop_logs` reads (default `<dataDir>/logs/desktop.log`). */
  logFile?: string;
  /**
   * The OpenCode agent process. Off unless `enabled` (the CLI and the desktop host turn it on):
   * then it starts at once, in `lastDirectory` when that exists, else in `cwd`.
   */
  opencode?: Partial<Omit<OpenCodeServiceOptions, 'logger' | 'cwd' | 'initialDirectory'>>;
}

export interface Runtime {
  readonly homeDir: string;
  readonly dataDir: string;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly settings: SettingsStore;
  readonly sandbox: Sandbox;
  readonly fileIndex: FileIndex;
  /** The OS watches behind `fs://<directory>` subscriptions. */
  readonly watchers: DirectoryWatchers;
  readonly git: GitService;
  /** Linked worktrees of every project the runtime has listed (kept fresh by the git commands). */
  readonly worktrees: WorktreeCache;
  readonly terminals: TerminalManager;
  /**
   * Open a subscription to a plain event or an event-family member (`terminal://<id>`). Throws a
   * `RuntimeError` when refused; transports call this and only move what the sink receives.
   */
  subscribe: SubscribeFunction;
  readonly directoryAccess: DirectoryAccess;
  /** The OpenCode supervisor: health, the pass-through to its API, restarts. */
  readonly opencode: OpenCodeService;
  /** Validate and run one command of the table. Rejects with a `RuntimeError` only. */
  invoke(name: string, args: unknown, context?: CommandContext): Promise<unknown>;
  /** Typed form of `invoke` for in-process callers. */
  call<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>>;
  /**
   * Run `hook` when the runtime closes (after the built-in services), e.g. to end processes a
   * subsystem started. Hooks run in reverse order of registration; a failing hook is logged and
   * does not stop the others.
   */
  onClose(hook: () => void | Promise<void>): void;
  /** Release everything the runtime holds (open pickers, caches, close hooks). Idempotent. */
  close(): Promise<void>;
}

export function resolveDataDir(options: {
  dataDir?: string;
  homeDir: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}): string {
  if (options.dataDir && options.dataDir.trim()) return path.resolve(options.cwd, options.dataDir);
  const fromEnv = options.env.OPENCHAMBER_DATA_DIR;
  if (fromEnv && fromEnv.trim()) return path.resolve(options.cwd, fromEnv);
  return path.join(options.homeDir, '.config', 'openchamber');
}

export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const env = options.env ?? process.env;
  const homeDir = options.homeDir ?? os.homedir();
  const cwd = options.cwd ?? process.cwd();
  const dataDir = resolveDataDir({ dataDir: options.dataDir, homeDir, cwd, env });
  const logger = options.logger ?? silentLogger;
  const events = new EventBus();
  const settings = new SettingsStore({ dataDir, logger });
  const sandbox = new Sandbox({
    policy: options.sandbox ?? { mode: 'open' },
    homeDir,
    cwd,
    settingsRoots: async () => {
      const current = await settings.load();
      // lastDirectory first: it is the base for blank and relative paths, as on the reference desktop.
      return [
        ...(current.lastDirectory ? [current.lastDirectory] : []),
        ...current.approvedDirectories,
        // Session access (start_accessing_directory); a getter, since the service is created below.
        ...directoryAccess.accessingDirectories(),
      ];
    },
  });
  const fileIndex = new FileIndex({ logger, ...options.search });
  const git = new GitService({ homeDir, dataDir, sandbox, events, logger, options: options.git });
  const promptEnhancer = new PromptEnhancerStore({ dataDir, logger });
  const terminals = new TerminalManager({ sandbox, homeDir, logger, ...options.terminal });
  const tools = createOsTools({ env, platform: options.os?.platform });
  const directoryAccess = new DirectoryAccess({
    settings,
    events,
    picker: options.os?.folderPicker ?? createOsFolderPicker(tools),
    cwd,
    homeDir,
    logger,
  });
  const notifier = options.os?.notifier ?? createOsNotifier(tools);
  const desktopLogFile = options.logFile ?? defaultDesktopLogPath(dataDir);
  const opencode = new OpenCodeService({
    enabled: false,
    env,
    ...options.opencode,
    logger,
    cwd,
    initialDirectory: async () => (await settings.load()).lastDirectory,
  });
  const opencodeRequests = new OpenCodeRequests({ opencode });
  const ai = new AiEndpointService({
    dataDir,
    env,
    logger,
    commitMessage: options.git?.commitMessage,
    opencodeFetch: createOpenCodeChatFetch(opencode),
  });
  const opencodeConfigDir = env.XDG_CONFIG_HOME?.trim()
    ? path.join(path.resolve(cwd, env.XDG_CONFIG_HOME), 'opencode')
    : path.join(homeDir, '.config', 'opencode');
  const watchers = new DirectoryWatchers({ logger });
  const services = {
    homeDir,
    settings,
    sandbox,
    fileIndex,
    watchers,
    events,
    logger,
    git,
    terminals,
    directoryAccess,
    notifier,
    desktopLogFile,
    dataDir,
    env,
    opencodeConfigDir,
    opencode,
    opencodeRequests,
    ai,
    promptEnhancer,
  };
  const handlers = createCommandHandlers(services);
  const subscribe = createSubscribe(events, createEventFamilyProviders(services));
  const closeHooks: (() => void | Promise<void>)[] = [];
  let closing: Promise<void> | undefined;

  const runtime: Runtime = {
    homeDir,
    dataDir,
    events,
    logger,
    settings,
    sandbox,
    fileIndex,
    watchers,
    git,
    worktrees: git.worktrees,
    terminals,
    subscribe,
    directoryAccess,
    opencode,
    invoke: (name, args, context = { transport: 'internal' }) => dispatchCommand(handlers, name, args, context),
    call: (name, args) =>
      dispatchCommand(handlers, name, args, { transport: 'internal' }) as Promise<CommandResult<typeof name>>,
    onClose(hook) {
      closeHooks.push(hook);
    },
    close() {
      closing ??= (async () => {
        directoryAccess.close();
        git.close();
        opencodeRequests.close();
        await Promise.all([fileIndex.close(), terminals.closeAll(), opencode.close(), watchers.close()]);
        for (const hook of closeHooks.reverse()) {
          try {
            await hook();
          } catch (error) {
            logger.log('error', 'A close hook failed', {
              error: error instanceof Error ? error.message : String(error),
            });
          }
        }
      })();
      return closing;
    },
  };
  void opencode.start();
  return runtime;
}
