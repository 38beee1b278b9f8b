/**
 * models.dev's model catalogue for the UI's model picker (settings-config-prompts.md §6).
 *
 * Like the reference: one in-memory copy, fresh for 5 minutes, an 8 s timeout covering the
 * request and the body, a stale copy served when a refresh fails. Unlike it: concurrent misses
 * share one fetch, and the last good answer is also kept on disk, so a runtime started offline
 * still answers once it has succeeded before.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RuntimeError, isPlainObject, type ModelsMetadataResponse } from '@chamber/contract';
import type { Logger } from '../logger.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export const MODELS_METADATA_DEFAULT_URL = 'https://models.dev/api.json';
/** Environment variable naming another source (a mirror, or a test server). */
export const MODELS_METADATA_URL_ENV = 'CHAMBER_MODELS_METADATA_URL';
/** The on-disk copy, in the data dir. */
export const MODELS_METADATA_FILE = 'models-metadata.json';
export const MODELS_METADATA_ERROR = 'Failed to retrieve model metadata';
export const MODELS_METADATA_TIMEOUT_MS = 8_000;
export const MODELS_METADATA_FRESH_MS = 5 * 60_000;

export interface ModelsMetadataOptions {
  url: string;
  /** Where the last good answer is kept. */
  cacheFile: string;
  logger: Logger;
  timeoutMs?: number;
  freshMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}

/** The source URL for an environment: the override when set and not blank, else models.dev. */
export function modelsMetadataUrl(env: NodeJS.ProcessEnv): string {
  const configured = env[MODELS_METADATA_URL_ENV]?.trim();
  return configured ? configured : MODELS_METADATA_DEFAULT_URL;
}

export function modelsMetadataCacheFile(dataDir: string): string {
  return path.join(dataDir, MODELS_METADATA_FILE);
}

class TimedOut extends Error {}

export class ModelsMetadata {
  readonly #options: Required<Omit<ModelsMetadataOptions, 'fetch'>> & { fetch: typeof fetch };
  #memory: { value: ModelsMetadataResponse; fetchedAt: number } | undefined;
  #refreshing: Promise<ModelsMetadataResponse> | undefined;

  constructor(options: ModelsMetadataOptions) {
    this.#options = {
      timeoutMs: MODELS_METADATA_TIMEOUT_MS,
      freshMs: MODELS_METADATA_FRESH_MS,
      now: Date.now,
      ...options,
      fetch: options.fetch ?? fetch,
    };
  }

  /** The catalogue; rejects 504 (timeout) or 502 (any other failure) when no copy exists at all. */
  get(): Promise<ModelsMetadataResponse> {
    const memory = this.#memory;
    if (memory && this.#options.now() - memory.fetchedAt < this.#options.freshMs) return Promise.resolve(memory.value);
    this.#refreshing ??= this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(): Promise<ModelsMetadataResponse> {
    let fetched: { value: ModelsMetadataResponse; text: string };
    try {
      fetched = await this.#fetch();
    } catch (error) {
      const timedOut = error instanceof TimedOut;
      this.#options.logger.log('warn', 'Models metadata fetch failed', {
        url: this.#options.url,
        error: timedOut ? `timed out after ${this.#options.timeoutMs} ms` : describe(error),
      });
      if (this.#memory) return this.#memory.value;
      const saved = await this.#readSavedCopy();
      if (saved) {
        // Stale from the start, so the next request tries the network again.
        this.#memory = { value: saved, fetchedAt: Number.NEGATIVE_INFINITY };
        return saved;
      }
      throw new RuntimeError(timedOut ? 504 : 502, MODELS_METADATA_ERROR);
    }
    this.#memory = { value: fetched.value, fetchedAt: this.#options.now() };
    try {
      await writeFileAtomic(this.#options.cacheFile, fetched.text);
    } catch (error) {
      this.#options.logger.log('warn', 'Could not save the models metadata copy', {
        file: this.#options.cacheFile,
        error: describe(error),
      });
    }
    return fetched.value;
  }

  async #fetch(): Promise<{ value: ModelsMetadataResponse; text: string }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.#options.timeoutMs);
    timer.unref();
    try {
      const response = await this.#options.fetch(this.#options.url, {
        headers: { Accept: 'application/json' },
        signal: controller.signal,
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new Error(`upstream answered ${response.status}`);
      }
      const text = await response.text();
      const value: unknown = JSON.parse(text);
      if (!isPlainObject(value)) throw new Error('upstream answered JSON that is not an object');
      return { value: value as ModelsMetadataResponse, text };
    } catch (error) {
      if (timedOut) throw new TimedOut();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #readSavedCopy(): Promise<ModelsMetadataResponse | undefined> {
    try {
      const value: unknown = JSON.parse(await fs.readFile(this.#options.cacheFile, 'utf8'));
      if (isPlainObject(value)) return value as ModelsMetadataResponse;
      this.#options.logger.log('warn', 'Ignoring a models metadata copy that is not an object', {
        file: this.#options.cacheFile,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#options.logger.log('warn', 'Ignoring an unreadable models metadata copy', {
          file: this.#options.cacheFile,
          error: describe(error),
        });
      }
    }
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
