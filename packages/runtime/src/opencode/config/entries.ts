/**
 * Agents or commands, each defined by a markdown file and/or a section of opencode.json
 * (settings-config-prompts.md §5.1, §5.4-§5.9). Every change is planned in full before anything
 * is written, so a refused input (a bad file reference, an unreadable config) leaves no trace.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isPlainObject, type ConfigSourcesResponse } from '@chamber/contract';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { pathExists } from '../../util/path-exists.js';
import type { ConfigEdit, OpenCodeConfigFile } from './config-file.js';
import { fileReferenceOf, resolveFileReference } from './file-reference.js';
import type { EntryKind } from './kinds.js';
import { readMarkdownEntry, setField, writeMarkdownEntry } from './markdown.js';
import { markdownPath } from './names.js';

export interface EntryStore {
  configDir: string;
  configFile: OpenCodeConfigFile;
  /** Runs one read-modify-write of the config dir at a time. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
}

export class ConfigEntries {
  constructor(
    readonly kind: EntryKind,
    private readonly store: EntryStore,
  ) {}

  /** Which sources define `name`, with their fields. */
  async sources(name: string): Promise<ConfigSourcesResponse> {
    const mdPath = markdownPath(this.store.configDir, this.kind, name);
    const md = await readMarkdownEntry(mdPath);
    const config = await this.store.configFile.load();
    const section = this.#sectionOf(config.data, name);
    return {
      name,
      sources: {
        md: {
          exists: md !== undefined,
          path: md ? mdPath : null,
          fields: md ? [...Object.keys(md.frontMatter), ...(md.body ? [this.kind.bodyField] : [])] : [],
        },
        json: {
          exists: Boolean(section),
          path: config.file,
          fields: isPlainObject(section) ? Object.keys(section) : [],
        },
      },
      isBuiltIn: md === undefined && !section,
    };
  }

  /** Writes `<kind>/<name>.md`: the body field as the body, every other field in the front matter. */
  async create(name: string, fields: Record<string, unknown>): Promise<void> {
    const { kind, store } = this;
    const mdPath = markdownPath(store.configDir, kind, name);
    await store.exclusive(async () => {
      await this.#ensureDirectories();
      if (await pathExists(mdPath)) throw new Error(`${kind.label} ${name} already exists as .md file`);
      const config = await store.configFile.load();
      if (this.#sectionOf(config.data, name)) throw new Error(`${kind.label} ${name} already exists in opencode.json`);
      const frontMatter: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(fields)) {
        if (field !== kind.bodyField) setField(frontMatter, field, value);
      }
      const body = fields[kind.bodyField];
      await writeMarkdownEntry(mdPath, { frontMatter, body: body ? bodyText(body) : '' });
    });
  }

  /**
   * Writes each field where the entry already defines it (§5.6): the body field to the markdown
   * body, else into the file a `{file:...}` reference names, else to the JSON section; another
   * field to the source that already has it, else to the JSON section unless only the markdown
   * file exists. Fields are never removed.
   */
  async update(name: string, changes: Record<string, unknown>): Promise<void> {
    const { kind, store } = this;
    const mdPath = markdownPath(store.configDir, kind, name);
    await store.exclusive(async () => {
      await this.#ensureDirectories();
      const md = await readMarkdownEntry(mdPath);
      const config = await store.configFile.load();
      const section = this.#sectionOf(config.data, name);
      const members = isPlainObject(section) ? section : {};
      const edits: ConfigEdit[] = [];
      const referencedWrites: { file: string; text: string }[] = [];
      let markdownChanged = false;

      for (const [field, value] of Object.entries(changes)) {
        if (field === kind.bodyField) {
          const text = bodyText(value);
          const reference = fileReferenceOf(members[field]);
          if (md) {
            md.body = text;
            markdownChanged = true;
          } else if (reference !== undefined) {
            const file = await resolveFileReference(store.configDir, kind, name, reference);
            referencedWrites.push({ file, text });
          } else {
            edits.push({ path: [kind.section, name, field], value: text });
          }
          continue;
        }
        const inFrontMatter =
          md !== undefined && Object.hasOwn(md.frontMatter, field) && md.frontMatter[field] !== undefined;
        const inJson = Object.hasOwn(members, field);
        if (md && (inFrontMatter || (!inJson && !section))) {
          setField(md.frontMatter, field, value);
          markdownChanged = true;
        } else {
          edits.push({ path: [kind.section, name, field], value });
        }
      }

      for (const { file, text } of referencedWrites) {
        await fs.mkdir(path.dirname(file), { recursive: true });
        await writeFileAtomic(file, text);
      }
      if (md && markdownChanged) await writeMarkdownEntry(mdPath, md);
      await store.configFile.write(config, edits);
    });
  }

  /**
   * Removes the markdown file and the JSON section. When neither exists an agent is disabled
   * (`{ "disable": true }`: how a built-in one is removed) and a command is not found.
   */
  async remove(name: string): Promise<void> {
    const { kind, store } = this;
    const mdPath = markdownPath(store.configDir, kind, name);
    await store.exclusive(async () => {
      // Read the config first: an unreadable one must stop the deletion before anything is gone.
      const config = await store.configFile.load();
      const section = this.#sectionOf(config.data, name);
      const mdExists = await pathExists(mdPath);
      const edits: ConfigEdit[] = [];
      if (section) edits.push({ path: [kind.section, name], value: undefined });
      if (!mdExists && !section) {
        if (kind.kind === 'command') throw new Error(`Command "${name}" not found`);
        edits.push({ path: [kind.section, name], value: { disable: true } });
      }
      if (mdExists) await fs.rm(mdPath, { force: true });
      await store.configFile.write(config, edits);
    });
  }

  #sectionOf(data: Record<string, unknown>, name: string): unknown {
    const entries = data[this.kind.section];
    return isPlainObject(entries) && Object.hasOwn(entries, name) ? entries[name] : undefined;
  }

  async #ensureDirectories(): Promise<void> {
    const { configDir } = this.store;
    await fs.mkdir(path.join(configDir, 'agent'), { recursive: true });
    await fs.mkdir(path.join(configDir, 'command'), { recursive: true });
  }
}

/** The body field as text: strings as they are, null or missing as empty, anything else stringified. */
function bodyText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return String(value);
}
