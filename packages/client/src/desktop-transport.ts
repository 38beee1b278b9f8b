/**
 * Desktop transport: every command is `bridge.invoke(name, args)`, every event `bridge.listen`.
 * The bridge rejects with IPC error values, bare strings or Errors depending on who produced the
 * failure; they are turned into `RuntimeCallError` here and nowhere else (the reference converted
 * them in five different ways per API family, desktop-ipc.md §2.3).
 */
import type { CommandArgs, CommandName, CommandResult } from '@chamber/contract';
import { toRuntimeCallError } from './errors.js';
import type { DesktopBridge, Transport } from './transport.js';

export function createDesktopTransport(bridge: DesktopBridge): Transport {
  return {
    kind: 'desktop',
    async invoke<N extends CommandName>(name: N, args: CommandArgs<N>): Promise<CommandResult<N>> {
      try {
        return (await bridge.invoke(name, args as Record<string, unknown>)) as CommandResult<N>;
      } catch (error) {
        throw toRuntimeCallError(error);
      }
    },
    async listen(event, handler, options) {
      try {
        return await bridge.listen(event, handler, options);
      } catch (error) {
        throw toRuntimeCallError(error);
      }
    },
    close() {
      (bridge as { close?: () => void }).close?.();
    },
  };
}
