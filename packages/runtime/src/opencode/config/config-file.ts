/**
 * OpenCode's global config file, edited in place. The reference parsed it with comments stripped
 * and wrote `JSON.stringify` back, so every comment the user wrote was lost on the first edit;
 * here each change is a text edit (jsonc-parser's `modify`), so comments, key order and
 * formatting outside the changed members stay as they were. A file that does not parse is never
 * written.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isPlainObject } from '@chamber/contract';
import { applyEdits, modify, parse, type FormattingOptions, type ParseError } from 'jsonc-parser';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { pathExists } from '../../util/path-exists.js';
import { realTarget } from './markdown.js';

export const CONFIG_READ_ERROR = 'Failed to read OpenCode configuration';
export const CONFIG_WRITE_ERROR = 'Failed to write OpenCode configuration';

/** The release's rule: one backup beside the file, replaced before each change. */
export const BACKUP_SUFFIX = '.openchamber.backup';

/** A member to set (`value` given) or remove (`value` undefined), addressed by its key path. */
export interface ConfigEdit {
  path: string[];
  value: unknown;
}

export interface LoadedConfig {
  /** The file read, and the one edits go to. */
  file: string;
  exists: boolean;
  /** The file's text, byte for byte (kept for the backup). */
  raw: string;
  data: Record<string, unknown>;
}

export class OpenCodeConfigFile {
  constructor(readonly configDir: string) {}

  /**
   * `opencode.json`; `opencode.jsonc` instead when only that one exists (OpenCode reads both), so
   * an edit lands in the file the user maintains rather than in a new one beside it.
   */
  async locate(): Promise<string> {
    const json = path.join(this.configDir, 'opencode.json');
    const jsonc = path.join(this.configDir, 'opencode.jsonc');
    if (!(await pathExists(json, { follow: true })) && (await pathExists(jsonc, { follow: true }))) return jsonc;
    return json;
  }

  /** Missing or blank → `{}`. Unreadable, unparsable or not an object → `Failed to read OpenCode configuration`. */
  async load(): Promise<LoadedConfig> {
    const file = await this.locate();
    let raw: string;
    try {
      raw = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, exists: false, raw: '', data: {} };
      throw new Error(CONFIG_READ_ERROR, { cause: error });
    }
    const text = withoutBom(raw);
    if (text.trim() === '') return { file, exists: true, raw, data: {} };
    const errors: ParseError[] = [];
    const data: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length > 0 || !isPlainObject(data)) throw new Error(CONFIG_READ_ERROR);
    return { file, exists: true, raw, data };
  }

  /**
   * Apply `edits` to the loaded text and write it atomically, after copying the current file to
   * `<file>.openchamber.backup`. A non-object found where an edit needs an object (e.g. an entry
   * that is `null`) is replaced by one.
   */
  async write(loaded: LoadedConfig, edits: readonly ConfigEdit[]): Promise<void> {
    if (edits.length === 0) return;
    const bom = loaded.raw.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
    const original = withoutBom(loaded.raw);
    const blank = original.trim() === '';
    const options = { formattingOptions: formattingOf(original) };
    let text = blank ? '{}' : original;
    try {
      for (const edit of edits) text = applyEdit(text, edit, options.formattingOptions);
    } catch {
      throw new Error(CONFIG_WRITE_ERROR);
    }
    if (blank) text += options.formattingOptions.eol;
    try {
      if (loaded.exists) await writeFileAtomic(`${loaded.file}${BACKUP_SUFFIX}`, loaded.raw);
      await writeFileAtomic(await realTarget(loaded.file), bom + text);
    } catch {
      throw new Error(CONFIG_WRITE_ERROR);
    }
  }
}

function applyEdit(text: string, edit: ConfigEdit, formattingOptions: FormattingOptions): string {
  const options = { formattingOptions };
  if (edit.value !== undefined) {
    // jsonc-parser creates missing parents but refuses to add a member to a non-object.
    for (let depth = 1; depth < edit.path.length; depth++) {
      const prefix = edit.path.slice(0, depth);
      const current = valueAt(text, prefix);
      if (current === undefined) break;
      if (!isPlainObject(current)) text = applyEdits(text, modify(text, prefix, {}, options));
    }
  } else if (valueAt(text, edit.path) === undefined) {
    return text;
  }
  const edited = applyEdits(text, modify(text, edit.path, edit.value, options));
  if (achieves(edited, edit)) return edited;
  // jsonc-parser leaves a stray comma when it removes the last member before a trailing comma;
  // rewriting the parent object instead loses only the comments inside that object.
  const parentPath = edit.path.slice(0, -1);
  const parent = valueAt(text, parentPath);
  const key = edit.path[edit.path.length - 1];
  if (edit.value === undefined && key !== undefined && parentPath.length > 0 && isPlainObject(parent)) {
    const rest = Object.fromEntries(Object.entries(parent).filter(([member]) => member !== key));
    const rewritten = applyEdits(text, modify(text, parentPath, rest, options));
    if (achieves(rewritten, edit)) return rewritten;
  }
  throw new Error(CONFIG_WRITE_ERROR);
}

/** The edited text still parses, and holds the edit's value (or no member) at its path. */
function achieves(text: string, edit: ConfigEdit): boolean {
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: true });
  if (errors.length > 0) return false;
  return JSON.stringify(valueAt(text, edit.path)) === JSON.stringify(edit.value);
}

function valueAt(text: string, keys: readonly string[]): unknown {
  let value: unknown = parse(text, [], { allowTrailingComma: true });
  for (const key of keys) {
    if (!isPlainObject(value) || !Object.hasOwn(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

/** New members are indented like the file's own: its first indented line decides. */
function formattingOf(text: string): Required<Pick<FormattingOptions, 'insertSpaces' | 'tabSize' | 'eol'>> {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? indent.length : 2, eol };
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
