export { createRuntime, resolveDataDir, type Runtime, type RuntimeOptions } from './runtime.js';
export { dispatchCommand, toRuntimeError, type CommandContext, type CommandHandlers } from './dispatch.js';
export { EventBus, type EventListener } from './events.js';
export {
  combineLoggers,
  createJsonLogger,
  createMemoryLogger,
  silentLogger,
  type LogFields,
  type LogLevel,
  type Logger,
} from './logger.js';
export { Sandbox, type SandboxPolicy } from './sandbox/sandbox.js';
export { SettingsStore } from './settings/store.js';
export { FileIndex } from './files/search/index.js';
export { GitService, type GitOptions } from './git/service.js';
export {
  createSubscribe,
  parseSince,
  type EventSink,
  type EventSubscription,
  type FamilyProvider,
  type FamilyProviders,
  type SubscribeFunction,
  type SubscribeOptions,
} from './subscriptions.js';
export * from './terminal/index.js';
export { DirectoryAccess, checkDirectory, SELECTION_CANCELLED } from './permissions/directory-access.js';
export {
  createOsFolderPicker,
  PICKER_TITLE,
  NO_PICKER_MESSAGE,
  type FolderPicker,
  type PickResult,
} from './permissions/folder-picker.js';
export { createOsNotifier, escapeBodyMarkup, type Notifier, type OsNotification } from './notifications/notifier.js';
export { LogFile, defaultDesktopLogPath, readDesktopLogs } from './diagnostics/log-file.js';
export { createOsTools, type OsTools, type ToolResult } from './util/os-tools.js';
export { writeFileAtomic, withFileLock, readJsonFileOrQuarantine } from './util/atomic-file.js';
export { contentTypeOf } from './util/content-type.js';
