/** Browser client of the Chamber runtime: `createRuntimeAPIs` over a web or desktop transport. */
export type { DesktopBridge, EventHandler, ListenOptions, Transport } from './transport.js';
export {
  INPUT_PIECE_LENGTH,
  connectTerminal,
  createTerminalAPI,
  splitInput,
  terminalEventName,
} from './terminal-api.js';
export { RuntimeCallError, toRuntimeCallError } from './errors.js';
export { createWebTransport, type WebTransportOptions } from './web-transport.js';
export { createDesktopTransport } from './desktop-transport.js';
export { createFrameBridge, type FrameBridge } from './frame-invoker.js';
export { createSseParser, readSseStream, type SseMessage, type SseParser } from './sse.js';
export {
  createFilesAPI,
  createRuntimeAPIs,
  createRuntimeDescriptor,
  createSettingsAPI,
  type ChamberFilesAPI,
  type ChamberRuntimeAPIs,
  type ChamberSettingsAPI,
} from './runtime-apis.js';
export * from './normalize.js';
export * from './git-normalize.js';
export { createGitAPI, type ChamberGitAPI } from './git-api.js';
export {
  connectDesktopChannel,
  createBrowserRuntimeAPIs,
  findDesktopChannel,
  installRuntimeAPIs,
} from './bootstrap.js';
export {
  createDiagnosticsAPI,
  createNotificationsAPI,
  createPermissionsAPI,
  type ChamberPermissionsAPI,
} from './host-apis.js';
export {
  createAiAPI,
  createPromptEnhancerAPI,
  type ChamberAiAPI,
  type ChamberPromptEnhancerAPI,
} from './prompt-api.js';
export {
  createIpcOpenCodeFetch,
  createOpenCodeAPI,
  type ChamberOpenCodeAPI,
  type FetchFunction,
} from './opencode-fetch.js';
export { createUiAuthAPI, UI_SESSION_PATH, type ChamberUiAuthAPI, type UiSessionState } from './ui-auth.js';
