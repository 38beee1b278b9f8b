/**
 * What the rest of the runtime sees of the OpenCode supervisor (`service.ts`): its health, the
 * restart the config commands ask for, and the working directory.
 */

/** The OpenCode fields of `GET /health` (files-terminal-system.md §6), with their meaning fixed. */
export interface OpenCodeHealth {
  /** The port of the process we target, while it is alive. */
  openCodePort: number | null;
  /** A child process exists and has not exited (a signal death counts as exited). */
  openCodeRunning: boolean;
  /** Always '' (OpenCode serves its API at the root). */
  openCodeApiPrefix: string;
  openCodeApiPrefixDetected: boolean;
  /** The current process answered the readiness checks and has not exited since. */
  isOpenCodeReady: boolean;
  /** Why OpenCode is not ready (start failure, exit, missing binary); null when ready. */
  lastOpenCodeError: string | null;
}

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
