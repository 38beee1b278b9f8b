/**
 * The markdown layout OpenCode reads agents and commands from (settings-config-prompts.md §5.1):
 * YAML front matter between `---` lines, then the body (the agent's prompt, the command's
 * template).
 */
import { promises as fs } from 'node:fs';
import { isPlainObject } from '@chamber/contract';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { writeFileAtomic } from '../../util/atomic-file.js';

export interface MarkdownEntry {
  /** Front-matter fields in file order. */
  frontMatter: Record<string, unknown>;
  /** The text after the front matter, trimmed. */
  body: string;
}

// The reference shares these texts between agents and commands.
export const MARKDOWN_PARSE_ERROR = 'Failed to parse agent markdown file';
export const MARKDOWN_WRITE_ERROR = 'Failed to write agent markdown file';

// The closing `---` may end the file, and the YAML block may be empty: both are front matter a
// person would write, and reading them as body text would turn them into prompt text.
const FRONT_MATTER = /^---\r?\n(?:([\s\S]*?)\r?\n)?---(?:\r?\n|$)([\s\S]*)$/;

/** Throws `Failed to parse agent markdown file` for YAML that is invalid or not a mapping. */
export function parseMarkdownEntry(text: string): MarkdownEntry {
  const content = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const match = FRONT_MATTER.exec(content);
  if (!match) return { frontMatter: {}, body: content.trim() };
  let parsed: unknown;
  try {
    parsed = parseYaml(match[1] ?? '');
  } catch {
    throw new Error(MARKDOWN_PARSE_ERROR);
  }
  if (parsed === null || parsed === undefined) parsed = {};
  // A scalar or a list would be lost by the next rewrite of the file: refuse it instead.
  if (!isPlainObject(parsed)) throw new Error(MARKDOWN_PARSE_ERROR);
  return { frontMatter: parsed, body: (match[2] ?? '').trim() };
}

/** `---`, the YAML (which ends with a newline; `{}` when empty), `---`, a blank line, the body. */
export function formatMarkdownEntry(entry: MarkdownEntry): string {
  return `---\n${stringifyYaml(entry.frontMatter)}---\n\n${entry.body}`;
}

/** The entry in `file`, or undefined when there is none. */
export async function readMarkdownEntry(file: string): Promise<MarkdownEntry | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseMarkdownEntry(text);
}

export async function writeMarkdownEntry(file: string, entry: MarkdownEntry): Promise<void> {
  try {
    await writeFileAtomic(await realTarget(file), formatMarkdownEntry(entry));
  } catch {
    throw new Error(MARKDOWN_WRITE_ERROR);
  }
}

/** Where to write `file`: through a symlink the user made (dotfiles), never replacing the link. */
export async function realTarget(file: string): Promise<string> {
  try {
    return await fs.realpath(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw error;
  }
}

/** Own-property assignment, so a client's `__proto__` field is data, never a prototype change. */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
