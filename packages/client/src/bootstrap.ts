/**
 * The browser entry's one decision: a desktop window (its host defined the channel global) talks
 * IPC frames through the host; any other page talks HTTP + SSE to the server it was loaded from.
 * Both end as the same `ChamberRuntimeAPIs`, installed where the UI reads it.
 */
import {
  DESKTOP_CHANNEL_GLOBAL,
  RUNTIME_APIS_GLOBAL,
  type DesktopHostChannel,
  type IpcResponseFrame,
} from '@chamber/contract';
import { createDesktopTransport } from './desktop-transport.js';
import { createFrameBridge } from './frame-invoker.js';
import { createRuntimeAPIs, type ChamberRuntimeAPIs } from './runtime-apis.js';
import type { Transport } from './transport.js';
import { createWebTransport, type WebTransportOptions } from './web-transport.js';

type Globals = Record<string, unknown>;

/** The host channel of a desktop window, or undefined on the web. */
export function findDesktopChannel(scope: Globals = globalThis as unknown as Globals): DesktopHostChannel | undefined {
  const channel = scope[DESKTOP_CHANNEL_GLOBAL] as Partial<DesktopHostChannel> | undefined;
  return channel && typeof channel.postFrame === 'function' ? (channel as DesktopHostChannel) : undefined;
}

/** A desktop transport over the host channel: frames go out as JSON text and come back as text or objects. */
export function connectDesktopChannel(channel: DesktopHostChannel): Transport {
  const bridge = createFrameBridge((frame) => channel.postFrame(JSON.stringify(frame)));
  channel.onframe = (input) => {
    let frame: unknown = input;
    if (typeof input === 'string') {
      try {
        frame = JSON.parse(input);
      } catch {
        return; // the host only sends JSON; anything else is not ours to answer
      }
    }
    if (frame !== null && typeof frame === 'object' && !Array.isArray(frame)) bridge.receive(frame as IpcResponseFrame);
  };
  return createDesktopTransport(bridge);
}

/** Desktop when the host channel exists, else web (same origin unless `web.baseUrl` says otherwise). */
export function createBrowserRuntimeAPIs(
  options: { scope?: Globals; web?: WebTransportOptions } = {},
): ChamberRuntimeAPIs {
  const channel = findDesktopChannel(options.scope);
  return createRuntimeAPIs(channel ? connectDesktopChannel(channel) : createWebTransport(options.web ?? {}));
}

/** `createBrowserRuntimeAPIs` and install the result as `window.__OPENCHAMBER_RUNTIME_APIS__`. */
export function installRuntimeAPIs(options: { scope?: Globals; web?: WebTransportOptions } = {}): ChamberRuntimeAPIs {
  const scope = options.scope ?? (globalThis as unknown as Globals);
  const apis = createBrowserRuntimeAPIs({ ...options, scope });
  scope[RUNTIME_APIS_GLOBAL] = apis;
  return apis;
}
