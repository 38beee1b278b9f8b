/**
 * Where an agent's or command's markdown file lives, and the containment rule every path derived
 * from client input obeys. The contract's schema already refused bad names; the check is repeated
 * here so the service stays safe whoever calls it.
 */
import path from 'node:path';
import { RuntimeError, configEntryNameProblem } from '@chamber/contract';
import type { EntryKind } from './kinds.js';

export function assertEntryName(kind: EntryKind, name: string): void {
  const problem = configEntryNameProblem(name);
  if (problem !== undefined) throw new RuntimeError(400, `Invalid ${kind.kind} name: ${problem}`);
}

/** `<config dir>/agent/<name>.md` or `<config dir>/command/<name>.md`. */
export function markdownPath(configDir: string, kind: EntryKind, name: string): string {
  assertEntryName(kind, name);
  return path.join(configDir, kind.directory, `${name}.md`);
}

/** True when `child` is strictly below `parent` (whole path components: `/a/bc` is not in `/a/b`). */
export function isStrictlyInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
