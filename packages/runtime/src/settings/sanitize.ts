/**
 * Settings sanitise → merge → format, exactly as settings-config-prompts.md §2.1–§2.4 (web
 * behaviour). Pure functions: no I/O, inputs are never mutated.
 */
import { isPlainObject } from '@chamber/contract';
import type { SettingsResponse, TypographySizes } from '@chamber/contract';

type Kind = 'string' | 'boolean' | 'themeVariant' | 'stringArray' | 'typography';

// The 15 recognised keys, in §2.1 order; that order is also the response's key order.
const SETTINGS_KEYS: ReadonlyArray<readonly [string, Kind]> = [
  ['themeId', 'string'],
  ['themeVariant', 'themeVariant'],
  ['useSystemTheme', 'boolean'],
  ['lightThemeId', 'string'],
  ['darkThemeId', 'string'],
  ['lastDirectory', 'string'],
  ['homeDirectory', 'string'],
  ['approvedDirectories', 'stringArray'],
  ['securityScopedBookmarks', 'stringArray'],
  ['pinnedDirectories', 'stringArray'],
  ['uiFont', 'string'],
  ['monoFont', 'string'],
  ['markdownDisplayMode', 'string'],
  ['showReasoningTraces', 'boolean'],
  ['typographySizes', 'typography'],
];

const TYPOGRAPHY_KEYS: ReadonlyArray<keyof TypographySizes> = [
  'markdown',
  'code',
  'uiHeader',
  'uiLabel',
  'meta',
  'micro',
];

// Keys that would reach Object.prototype (or a constructor) if copied by assignment. Settings
// files and request bodies are untrusted JSON, so they are never copied.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function hasOwn(object: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Copies own enumerable keys of `source` onto `target`, skipping prototype-polluting names. */
function copySafe(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key of Object.keys(source)) {
    if (!UNSAFE_KEYS.has(key)) target[key] = source[key];
  }
}

/** Keeps non-empty strings, drops exact duplicates keeping the first occurrence; non-array → []. */
export function normalizeStringArray(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  for (const item of value as unknown[]) {
    if (isNonEmptyString(item)) seen.add(item); // Set keeps first-insertion order
  }
  return [...seen];
}

/** Valid typography keys in the fixed order; undefined when not an object or none is valid. */
function sanitizeTypography(value: unknown): TypographySizes | undefined {
  if (!isPlainObject(value)) return undefined;
  const result: TypographySizes = {};
  let valid = 0;
  for (const key of TYPOGRAPHY_KEYS) {
    const size = hasOwn(value, key) ? value[key] : undefined;
    if (isNonEmptyString(size)) {
      result[key] = size;
      valid++;
    }
  }
  return valid > 0 ? result : undefined;
}

/** The kept form of one whitelisted value, or undefined when the value is dropped. */
function sanitizeValue(kind: Kind, value: unknown): unknown {
  switch (kind) {
    case 'string':
      return isNonEmptyString(value) ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'themeVariant':
      return value === 'light' || value === 'dark' ? value : undefined;
    case 'stringArray':
      // A non-array means "not supplied" on the web (desktop would clear; we follow the web).
      return Array.isArray(value) ? normalizeStringArray(value) : undefined;
    case 'typography':
      return sanitizeTypography(value);
  }
}

/** §2.1: whitelisted keys with strictly-typed values only; everything else is silently dropped. */
export function sanitizeSettingsChanges(input: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!isPlainObject(input)) return result;
  for (const [key, kind] of SETTINGS_KEYS) {
    if (!hasOwn(input, key)) continue;
    const value = sanitizeValue(kind, input[key]);
    if (value !== undefined) result[key] = value;
  }
  return result;
}

/**
 * §2.3 merge. `current` is the object on disk (unknown keys survive), `changes` the output of
 * `sanitizeSettingsChanges`. Returns a new object; neither input is touched.
 */
export function mergeSettings(
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
): Record<string, unknown> {
  const next: Record<string, unknown> = {};
  copySafe(next, current);
  copySafe(next, changes);

  const suppliedArray = (key: string): unknown[] | undefined => {
    const value = changes[key];
    return hasOwn(changes, key) && Array.isArray(value) ? (value as unknown[]) : undefined;
  };
  const diskArray = (key: string): unknown[] => {
    const value = hasOwn(current, key) ? current[key] : undefined;
    return Array.isArray(value) ? (value as unknown[]) : [];
  };

  // Choosing a directory (lastDirectory/homeDirectory) implicitly approves it; the list only
  // shrinks when the client sends a full replacement.
  const approved = [...(suppliedArray('approvedDirectories') ?? diskArray('approvedDirectories'))];
  if (hasOwn(changes, 'lastDirectory') && isNonEmptyString(changes.lastDirectory)) approved.push(changes.lastDirectory);
  if (hasOwn(changes, 'homeDirectory') && isNonEmptyString(changes.homeDirectory)) approved.push(changes.homeDirectory);
  next.approvedDirectories = normalizeStringArray(approved);

  next.securityScopedBookmarks = normalizeStringArray(
    suppliedArray('securityScopedBookmarks') ?? diskArray('securityScopedBookmarks'),
  );

  // Unlike the two arrays above, a disk value for pinnedDirectories is left exactly as found.
  const pinned = suppliedArray('pinnedDirectories');
  if (pinned) next.pinnedDirectories = normalizeStringArray(pinned);

  const typography = hasOwn(changes, 'typographySizes') ? sanitizeTypography(changes.typographySizes) : undefined;
  if (typography) {
    const merged: Record<string, unknown> = {};
    const onDisk = hasOwn(current, 'typographySizes') ? current.typographySizes : undefined;
    if (isPlainObject(onDisk)) copySafe(merged, onDisk);
    copySafe(merged, typography as Record<string, unknown>);
    next.typographySizes = merged;
  }
  return next;
}

/** §2.4: the API view of a stored object: valid keys only, arrays and the flag always present. */
export function formatSettingsResponse(raw: Record<string, unknown>): SettingsResponse {
  const source: Record<string, unknown> = isPlainObject(raw) ? raw : {};
  const out: Record<string, unknown> = {};
  for (const [key, kind] of SETTINGS_KEYS) {
    const value = hasOwn(source, key) ? source[key] : undefined;
    if (kind === 'stringArray') {
      out[key] = normalizeStringArray(value);
    } else if (key === 'showReasoningTraces') {
      out[key] = typeof value === 'boolean' ? value : false;
    } else {
      const kept = sanitizeValue(kind, value);
      if (kept !== undefined) out[key] = kept;
    }
  }
  return out as SettingsResponse;
}
