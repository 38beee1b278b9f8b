/** Browser client of the Chamber runtime: `createRuntimeAPIs` over a web or desktop transport. */
export type { DesktopBridge, Transport } from './transport.js';
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
