/**
 * How a desktop window reaches its host. The host (packages/desktop) defines, before any page
 * script runs, a global channel object under `DESKTOP_CHANNEL_GLOBAL`; the UI's entry finds it and
 * speaks IPC frames (`IpcRequestFrame` out, `IpcResponseFrame` in) through it. Without the global,
 * the page is on the web and uses HTTP + SSE.
 */
import type { IpcResponseFrame } from './events.js';

/** `window[DESKTOP_CHANNEL_GLOBAL]` holds the host channel in a desktop window. */
export const DESKTOP_CHANNEL_GLOBAL = '__CHAMBER_DESKTOP__';

/** Where the UI installs its `RuntimeAPIs` object (the reference's global name). */
export const RUNTIME_APIS_GLOBAL = '__OPENCHAMBER_RUNTIME_APIS__';

export interface DesktopHostChannel {
  /** Send one request frame, as JSON text, to the host. */
  postFrame(text: string): void;
  /**
   * Set by the page: the host calls it with each response or event frame, as JSON text or as the
   * frame itself (the desktop host passes objects: its DevTools call carries them as JSON once,
   * where JSON text would be escaped a second time and parsed again in the page).
   */
  onframe: ((frame: string | IpcResponseFrame) => void) | null;
}
