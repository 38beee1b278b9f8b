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
import path from 'node:path';
import type { PromptEnhancerConfig } from '@chamber/contract';
import type { Logger } from '../logger.js';
import { readJsonFileOrQuarantine, withFileLock, writeFileAtomic } from '../util/atomic-file.js';
import { sanitizePromptEnhancerConfig } from './sanitize.js';

export const PROMPT_ENHANCER_FILE = 'prompt-enhancer-config.json';

/** Two-space JSON without a trailing newline, as the reference writes it. */
const serialize = (config: PromptEnhancerConfig) => JSON.stringify(config, null, 2);

export class PromptEnhancerStore {
  readonly filePath: string;
  readonly #logger: Logger;
  readonly #now: () => Date;

  constructor(options: { dataDir: string; logger: Logger; now?: () => Date }) {
    this.filePath = path.join(path.resolve(options.dataDir), PROMPT_ENHANCER_FILE);
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  /** The stored config sanitised (missing or corrupt → the defaults, then written). */
  async load(): Promise<PromptEnhancerConfig> {
    return withFileLock(this.filePath, async () => {
      const { value, quarantinedTo } = await readJsonFileOrQuarantine(this.filePath, this.#logger, {
        now: this.#now,
        expect: 'object',
        label: 'prompt enhancer config',
      });
      const sanitized = sanitizePromptEnhancerConfig(value);
      const text = serialize(sanitized);
      const stored = quarantinedTo === undefined && Object.keys(value).length > 0 ? JSON.stringify(value, null, 2) : '';
      if (text !== stored) {
        try {
          await writeFileAtomic(this.filePath, text);
        } catch (error) {
          this.#logger.log('warn', 'Could not write the prompt enhancer config', {
            file: this.filePath,
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
    await withFileLock(this.filePath, () => writeFileAtomic(this.filePath, serialize(sanitized)));
    return sanitized;
  }
}
