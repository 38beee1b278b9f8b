/**
 * settings.json persistence (settings-config-prompts.md §2.2–§2.6), with two deliberate
 * departures from the reference: saves are serialised across processes and written atomically,
 * and a corrupt file is moved aside instead of being silently overwritten by the next save.
 */
import type { SettingsResponse } from '@chamber/contract';
import type { Logger } from '../logger.js';
import { JsonDataFile } from '../util/atomic-file.js';
import { formatSettingsResponse, mergeSettings, sanitizeSettingsChanges } from './sanitize.js';

export interface SettingsStoreOptions {
  dataDir: string;
  logger: Logger;
  now?: () => Date;
}

export class SettingsStore {
  readonly #file: JsonDataFile;

  constructor(options: SettingsStoreOptions) {
    this.#file = new JsonDataFile(options, 'settings.json', 'settings');
  }

  get filePath(): string {
    return this.#file.filePath;
  }

  /**
   * The parsed file, unknown keys included. Missing or corrupt → `{}` (corrupt files are moved
   * aside and logged). Throws on other read errors (e.g. EACCES), so callers never mistake an
   * unreadable file for an empty one.
   */
  async readRaw(): Promise<Record<string, unknown>> {
    return (await this.#file.read()).value;
  }

  /**
   * Lock-free: writers replace the file atomically, so a reader sees either the old or the new
   * version. This runs on hot paths (sandbox roots), where waiting on a writer would hurt.
   */
  async load(): Promise<SettingsResponse> {
    return formatSettingsResponse(await this.readRaw());
  }

  /** Sanitise → (lock: read → merge → atomic write) → format. Write errors propagate. */
  async save(changes: Record<string, unknown>): Promise<SettingsResponse> {
    return this.update(() => changes);
  }

  /**
   * Like `save`, with the changes computed from the current settings while the lock is held, so
   * a read-modify-write (e.g. appending to `approvedDirectories`) cannot lose a concurrent save.
   * `compute` returning null means "nothing to change": no write happens.
   */
  async update(compute: (current: SettingsResponse) => Record<string, unknown> | null): Promise<SettingsResponse> {
    return this.#file.locked(async () => {
      const current = await this.readRaw();
      const changes = compute(formatSettingsResponse(current));
      if (changes === null) return formatSettingsResponse(current);
      const next = mergeSettings(current, sanitizeSettingsChanges(changes));
      await this.#file.write(next);
      return formatSettingsResponse(next);
    });
  }
}
