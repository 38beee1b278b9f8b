/**
 * What the rest of the runtime sees of the OpenCode supervisor (`service.ts`): its health, the
 * restart the config commands ask for, and the working directory.
 */
import type { HealthResponse } from '@chamber/contract';

/**
 * The OpenCode fields of `GET /health` (files-terminal-system.md §6), with their meaning fixed:
 * `openCodePort` is the live process's port; `openCodeRunning` is true while a child exists and has
 * not exited (a signal death counts); `isOpenCodeReady` while the current process has answered the
 * readiness checks and not exited since; `lastOpenCodeError` says why not ready (null when ready).
 */
export type OpenCodeHealth = Omit<HealthResponse, 'status' | 'timestamp'>;

export interface OpenCodeRefreshOptions {
  /** After the restart, also wait until OpenCode's `/agent` lists an agent of this name. */
  agent?: string;
}

export interface OpenCodeController {
  /** False when the runtime does not supervise OpenCode (tests, `--no-opencode`). */
  readonly enabled: boolean;
  /** The directory OpenCode runs in. */
  readonly directory: string;
  health(): OpenCodeHealth;
  /**
   * Restart OpenCode after its configuration changed and wait until it is ready (§5.2 of
   * settings-config-prompts.md). Rejects with an `Error` whose message is the reference's text.
   * Resolves at once when OpenCode is not supervised (`enabled` false): there is nothing to restart.
   */
  refreshAfterConfigChange(options?: OpenCodeRefreshOptions): Promise<void>;
}
