/**
 * Directory permissions of the desktop (desktop-ipc.md §4.4): which directories the sandbox
 * admits, and how one gets added.
 *
 * - `request` approves a directory for good: validated (the reference's checks and messages),
 *   then appended to `approvedDirectories` in settings.json, which the `settings` sandbox policy
 *   reads on every check; so the next command can use it at once.
 * - `start`/`stop` open and close session access (the stage-2 plan's "in-memory allowlist",
 *   standing in for macOS security-scoped bookmarks): admitted until `stop` or the end of the
 *   process, never written to disk.
 *
 * Every change is pushed as `permissions://changed` (and an approval also as `settings://changed`,
 * since settings.json changed), so open windows refresh their directory lists without polling.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  PICKER_BUSY,
  SELECTION_CANCELLED,
  type AccessingDirectoryResponse,
  type DirectoryAccessResponse,
  type DirectoryPermissionsState,
} from '@chamber/contract';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { SettingsStore } from '../settings/store.js';
import { errnoCode } from '../sandbox/paths.js';
import { PICKER_TITLE, type FolderPicker } from './folder-picker.js';

/** Re-exported for `@chamber/runtime`'s index, which has always offered it. */
export { SELECTION_CANCELLED };

/**
 * The reference's checks, in its order: exists, is a directory, can be listed. Returns the
 * failure message, or null when the directory is usable. `accessPrefix` differs per command
 * (`Cannot access directory` for a request, `Failed to access directory` for start).
 */
export async function checkDirectory(directory: string, accessPrefix: string): Promise<string | null> {
  let stat;
  try {
    stat = await fs.stat(directory);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return 'Directory does not exist';
    return `${accessPrefix}: ${(error as Error).message}`;
  }
  if (!stat.isDirectory()) return 'Path is not a directory';
  try {
    const handle = await fs.opendir(directory);
    await handle.close();
  } catch (error) {
    return `${accessPrefix}: ${(error as Error).message}`;
  }
  return null;
}

export interface DirectoryAccessOptions {
  settings: SettingsStore;
  events: EventBus;
  picker: FolderPicker;
  /** Base of relative paths (the reference used its own cwd too). */
  cwd: string;
  homeDir: string;
  logger: Logger;
}

export class DirectoryAccess {
  readonly #options: DirectoryAccessOptions;
  readonly #accessing = new Set<string>();
  /** Aborts an open picker when the runtime closes. */
  readonly #closing = new AbortController();
  #picking = false;

  constructor(options: DirectoryAccessOptions) {
    this.#options = options;
  }

  /** Directories with session access (absolute, in the order access started). */
  accessingDirectories(): string[] {
    return [...this.#accessing];
  }

  /** Approve `requested`, or the directory the user picks when it is blank or absent. */
  async request(requested: string | undefined): Promise<DirectoryAccessResponse> {
    let chosen = requested;
    if (chosen === undefined || chosen.trim() === '') {
      const picked = await this.#pick();
      if (picked.error !== undefined) return { success: false, path: null, error: picked.error };
      chosen = picked.path;
    }
    const directory = path.resolve(this.#options.cwd, chosen);
    const problem = await checkDirectory(directory, 'Cannot access directory');
    if (problem) return { success: false, path: null, error: problem };

    let added = false;
    const saved = await this.#options.settings.update((current) => {
      if (current.approvedDirectories.includes(directory)) return null;
      added = true;
      return { approvedDirectories: [...current.approvedDirectories, directory] };
    });
    if (added) {
      this.#options.logger.log('info', 'Directory approved', { path: directory });
      this.#options.events.emit('settings://changed', saved);
      this.#options.events.emit('permissions://changed', this.#state(saved.approvedDirectories));
    }
    return { success: true, path: directory, error: null };
  }

  async start(requested: string): Promise<AccessingDirectoryResponse> {
    // An empty path names nothing (path.resolve would turn it into the cwd).
    if (requested === '') return { success: false, error: 'Directory does not exist' };
    const directory = path.resolve(this.#options.cwd, requested);
    const problem = await checkDirectory(directory, 'Failed to access directory');
    if (problem) return { success: false, error: problem };
    if (!this.#accessing.has(directory)) {
      this.#accessing.add(directory);
      await this.#announce();
    }
    return { success: true, error: null };
  }

  async stop(requested: string): Promise<AccessingDirectoryResponse> {
    if (this.#accessing.delete(path.resolve(this.#options.cwd, requested))) await this.#announce();
    return { success: true, error: null };
  }

  close(): void {
    this.#closing.abort();
  }

  async #pick(): Promise<{ path: string; error?: undefined } | { error: string }> {
    // Two dialogs at once would race for the same answer; the second caller is told why.
    if (this.#picking) return { error: PICKER_BUSY };
    this.#picking = true;
    try {
      const current = await this.#options.settings.load();
      const result = await this.#options.picker.pick({
        title: PICKER_TITLE,
        startDirectory: current.lastDirectory ?? this.#options.homeDir,
        signal: this.#closing.signal,
      });
      if (result.kind === 'picked') return { path: result.path };
      if (result.kind === 'cancelled') return { error: SELECTION_CANCELLED };
      this.#options.logger.log('warn', 'Folder picker failed', { error: result.error });
      return { error: result.error };
    } finally {
      this.#picking = false;
    }
  }

  async #announce(): Promise<void> {
    const { approvedDirectories } = await this.#options.settings.load();
    this.#options.events.emit('permissions://changed', this.#state(approvedDirectories));
  }

  #state(approvedDirectories: string[]): DirectoryPermissionsState {
    return { approvedDirectories, accessingDirectories: this.accessingDirectories() };
  }
}
