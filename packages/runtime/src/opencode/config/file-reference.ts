/**
 * `{file:<path>}` values: OpenCode reads an agent's prompt (a command's template) from that file,
 * so an update of the prompt is written into it (settings-config-prompts.md §5.6). The reference
 * wrote wherever the reference pointed, and a client can set the reference itself first, so
 * anything the server could write was reachable; here the file must lie inside the config dir.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { RuntimeError } from '@chamber/contract';
import type { EntryKind } from './kinds.js';
import { isStrictlyInside } from './names.js';

const FILE_REFERENCE = /^\{file:([\s\S]*)\}$/i;

/** The referenced path (trimmed, possibly blank) when `value` is a whole `{file:...}` reference. */
export function fileReferenceOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = FILE_REFERENCE.exec(value.trim());
  return match ? (match[1] ?? '').trim() : undefined;
}

/**
 * The absolute file `reference` names: relative paths (`./x`, `x`) under the config dir, absolute
 * ones as they are; `~` is not expanded (the reference's rule). Refused unless it lies inside the
 * config dir, after following the symlinks that already exist on the way.
 */
export async function resolveFileReference(
  configDir: string,
  kind: EntryKind,
  name: string,
  reference: string,
): Promise<string> {
  if (reference === '') throw new Error(`Invalid ${kind.bodyField} file reference for ${kind.kind} ${name}`);
  const outside = new RuntimeError(
    400,
    `Invalid ${kind.bodyField} file reference for ${kind.kind} ${name}: ${reference} is outside the OpenCode config directory`,
  );
  const target = path.resolve(configDir, reference);
  if (!isStrictlyInside(configDir, target)) throw outside;
  const realDir = await fs.realpath(configDir);
  const realTarget = await realpathOfExistingPart(target);
  if (!isStrictlyInside(realDir, realTarget)) throw outside;
  return realTarget;
}

/** `file` with its longest existing ancestor (or itself) replaced by that ancestor's real path. */
async function realpathOfExistingPart(file: string): Promise<string> {
  const missing: string[] = [];
  let current = file;
  for (;;) {
    try {
      return path.join(await fs.realpath(current), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const parent = path.dirname(current);
      if (parent === current) return file;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}
