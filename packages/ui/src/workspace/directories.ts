/**
 * The picker's shortcut lists, derived from settings. "Recent" is `lastDirectory` followed by
 * `approvedDirectories`, newest first: every directory opened as a workspace is appended there by
 * the server (settings-config-prompts.md §2.3), and on desktop exactly these are reachable.
 */
import type { SettingsPayload } from '@chamber/contract';
import { normalizeDirectory } from '../lib/paths.js';

export const RECENT_LIMIT = 8;

export function pinnedDirectories(settings: SettingsPayload): string[] {
  return unique((settings.pinnedDirectories ?? []).map(normalizeDirectory));
}

export function recentDirectories(settings: SettingsPayload, home: string | null): string[] {
  const pinned = new Set(pinnedDirectories(settings));
  const homeDir = home ? normalizeDirectory(home) : null;
  const approved = [...(settings.approvedDirectories ?? [])].reverse();
  const candidates = [...(settings.lastDirectory ? [settings.lastDirectory] : []), ...approved];
  return unique(candidates.map(normalizeDirectory))
    .filter((dir) => dir !== '' && dir !== homeDir && !pinned.has(dir))
    .slice(0, RECENT_LIMIT);
}

/** Pin or unpin `directory`, keeping the order of the others (the whole array is sent back). */
export function togglePinned(settings: SettingsPayload, directory: string): string[] {
  const current = pinnedDirectories(settings);
  return current.includes(directory) ? current.filter((dir) => dir !== directory) : [...current, directory];
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}
