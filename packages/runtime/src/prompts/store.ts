/**
 * `prompt-enhancer-config.json` (settings-config-prompts.md §3.4, §3.5): the UI's stored choice of
 * groups and options. Refine never reads it (§3.4); the client sends its configuration along.
 *
 * Departures from the reference, all about keeping the user's data: writes are atomic and
 * serialised (a lock file shared with other processes, as for settings.json); a file that does
 * not parse as a JSON object is moved aside (`.corrupt-<time>`) and the defaults take its place,
 * where the web reference answered defaults but left it (and the desktop overwrote it); a file
 * that cannot be read is a 500 with the system's message (the reference answered the defaults,
 * inviting a save over a file it never read); a failed rewrite after a good read is logged and the
 * user's config is still answered (the reference hid it behind the defaults); and the file is
 * rewritten only when sanitising changed it (the reference rewrote it on every GET).
 */
import type { PromptEnhancerConfig } from '@chamber/contract';
import type { Logger } from '../logger.js';
import { JsonDataFile } from '../util/atomic-file.js';
import { sanitizePromptEnhancerConfig } from './sanitize.js';

export const PROMPT_ENHANCER_FILE = 'prompt-enhancer-config.json';

export class PromptEnhancerStore {
  readonly #file: JsonDataFile;

  constructor(options: { dataDir: string; logger: Logger; now?: () => Date }) {
    this.#file = new JsonDataFile(options, PROMPT_ENHANCER_FILE, 'prompt enhancer config');
  }

  get filePath(): string {
    return this.#file.filePath;
  }

  /** The stored config sanitised (missing or corrupt → the defaults, then written). */
  async load(): Promise<PromptEnhancerConfig> {
    return this.#file.locked(async () => {
      const { value, quarantinedTo } = await this.#file.read();
      const sanitized = sanitizePromptEnhancerConfig(value);
      // Written back only when sanitising changed it (the file's own text, two-space JSON).
      const same = quarantinedTo === undefined && JSON.stringify(value) === JSON.stringify(sanitized);
      if (!same) {
        try {
          await this.#file.write(sanitized);
        } catch (error) {
          this.#file.warn('Could not write the prompt enhancer config', {
            error: error instanceof Error ? error.message : String(error),
          });
        }
      }
      return sanitized;
    });
  }

  /** Sanitise and write (replacing the file, as the reference does); write errors propagate. */
  async save(payload: unknown): Promise<PromptEnhancerConfig> {
    const sanitized = sanitizePromptEnhancerConfig(payload ?? {});
    await this.#file.locked(() => this.#file.write(sanitized));
    return sanitized;
  }
}
