/** The Chamber desktop host: a Chromium-family window over the DevTools pipe, the runtime in-process. */
export {
  launchDesktop,
  runDesktop,
  defaultUiDir,
  UI_DIR_ENV,
  type DesktopLaunch,
  type DesktopLaunchOptions,
  type RunDesktopIo,
} from './launch-desktop.js';
export {
  startDesktopHost,
  PRIVATE_ORIGIN,
  PROFILE_DIR,
  type DesktopHost,
  type DesktopHostOptions,
  type DesktopCloseReason,
} from './host.js';
export { IpcHost, type IpcHostOptions } from './ipc/host.js';
export { CdpConnection, CdpSession, CdpError, NulFrameDecoder } from './cdp/connection.js';
export { findBrowser, browserCandidates, BrowserNotFoundError, BROWSER_ENV } from './browser/find-browser.js';
export { browserArgs, launchBrowser, type WindowPlacement } from './browser/launch.js';
export { UiBundle } from './window/ui-bundle.js';
export { API_OVER_HTTP_MESSAGE, isApiPath, type PageRequestRecord } from './window/interceptor.js';
export { BINDING_NAME, DELIVER_FUNCTION, pageChannelScript } from './window/page-channel.js';
export {
  clampToScreen,
  nextWindowState,
  placementFor,
  readWindowState,
  writeWindowState,
  windowStatePath,
  WindowStateTracker,
  WINDOW_STATE_FILE,
  type WindowState,
} from './window/window-state.js';
export { claimSingleInstance, LOCK_FILE, FIFO_FILE, type InstanceClaim } from './instance/single-instance.js';
