/**
 * What `createRuntimeAPIs` needs from a transport: call a command by name, subscribe to an event.
 * The web transport maps this onto HTTP + SSE, the desktop transport onto IPC `invoke`/`listen`;
 * neither knows anything about individual commands beyond the shared command table.
 */
import type { CommandArgs, CommandName, CommandResult } from '@chamber/contract';

export interface Transport {
  readonly kind: 'web' | 'desktop';
  /** Run a command; rejects with `RuntimeCallError` carrying the runtime's status and exact message. */
  invoke<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>>;
  /** Subscribe to a runtime event; resolves once the subscription is active on the runtime side. */
  listen(event: string, handler: (payload: unknown) => void): Promise<() => void>;
  /** Release the connection (event stream, IPC channel); pending subscriptions are rejected. */
  close?(): void;
}

/** The Tauri-shaped bridge a desktop window gets from its host (or from `createFrameBridge`). */
export interface DesktopBridge {
  invoke(command: string, args: Record<string, unknown>): Promise<unknown>;
  listen(event: string, handler: (payload: unknown) => void): Promise<() => void> | (() => void);
}

/** Hand an event payload to a listener without letting a throwing listener break delivery to the others. */
export function deliver(handler: (payload: unknown) => void, payload: unknown): void {
  try {
    handler(payload);
  } catch (error) {
    // Surface the bug the way an uncaught listener error would, but asynchronously, so the
    // transport's read loop (SSE) or frame dispatch (IPC) keeps going.
    const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
    if (typeof report === 'function') report(error);
    else
      setTimeout(() => {
        throw error;
      }, 0);
  }
}
