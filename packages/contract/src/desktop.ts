/**
 * How a desktop window reaches its host. The host (packages/desktop) defines, before any page
 * script runs, a global channel object under `DESKTOP_CHANNEL_GLOBAL`; the UI's entry finds it and
 * speaks IPC frames (`IpcRequestFrame` out, `IpcResponseFrame` in) through it. Without the global,
 * the page is on the web and uses HTTP + SSE.
 */

/** `window[DESKTOP_CHANNEL_GLOBAL]` holds the host channel in a desktop window. */
export const DESKTOP_CHANNEL_GLOBAL = '__CHAMBER_DESKTOP__';

/** Where the UI installs its `RuntimeAPIs` object (the reference's global name). */
export const RUNTIME_APIS_GLOBAL = '__OPENCHAMBER_RUNTIME_APIS__';

export interface DesktopHostChannel {
  /** Send one request frame, as JSON text, to the host. */
  postFrame(text: string): void;
  /** Set by the page: the host calls it with each response or event frame, as JSON text. */
  onframe: ((text: string) => void) | null;
}
