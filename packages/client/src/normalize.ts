/**
 * Wire results → `RuntimeAPIs` shapes, written once and applied to both transports' results (the
 * transports only move bytes). Inputs are read defensively: a desktop bridge or an older server
 * may omit fields, and the UI must get the documented shape regardless (desktop-ipc.md §3.4–3.5).
 */
import type {
  DataDirectoryResponse,
  DirectoryListResult,
  FileListEntry,
  FileSearchResult,
  FsListEntry,
  FsListResponse,
  FsSearchHit,
  FsSearchResponse,
  SettingsPayload,
} from '@chamber/contract';

type Loose = Record<string, unknown>;

export function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function field(value: unknown, key: string): unknown {
  return isObject(value) ? value[key] : undefined;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The UI compares and joins paths with '/', whatever OS the runtime runs on. */
export function toSlashes(path: string): string {
  return path.replace(/\\/g, '/');
}

// -- wire shapes, kept whole (isFile, relativePath, ... stay reachable) with '/' paths --------------

export function normalizeFsList(result: unknown): FsListResponse {
  const directory = field(result, 'directory');
  const path = field(result, 'path');
  return {
    directory: toSlashes(stringOr(directory, stringOr(path, ''))),
    path: toSlashes(stringOr(path, stringOr(directory, ''))),
    entries: list(field(result, 'entries')).map(normalizeFsEntry),
  };
}

function normalizeFsEntry(entry: unknown): FsListEntry {
  const size = field(entry, 'size');
  const modifiedTime = field(entry, 'modifiedTime');
  return {
    name: stringOr(field(entry, 'name'), ''),
    path: toSlashes(stringOr(field(entry, 'path'), '')),
    isDirectory: field(entry, 'isDirectory') === true,
    isFile: field(entry, 'isFile') === true,
    isSymbolicLink: field(entry, 'isSymbolicLink') === true,
    size: typeof size === 'number' ? size : null,
    modifiedTime: typeof modifiedTime === 'number' ? modifiedTime : null,
  };
}

export function normalizeFsSearch(result: unknown): FsSearchResponse {
  const files = list(field(result, 'files')).map((hit): FsSearchHit => {
    const extension = field(hit, 'extension');
    return {
      name: stringOr(field(hit, 'name'), ''),
      path: toSlashes(stringOr(field(hit, 'path'), '')),
      relativePath: toSlashes(stringOr(field(hit, 'relativePath'), '')),
      ...(typeof extension === 'string' && { extension }),
    };
  });
  const count = field(result, 'count');
  return {
    root: toSlashes(stringOr(field(result, 'root'), '')),
    count: typeof count === 'number' ? count : files.length,
    files,
  };
}

// -- RuntimeAPIs shapes ------------------------------------------------------------------------------

/** `files.listDirectory`: `directory` falls back to `path`, entries lose `isFile`/`isSymbolicLink`. */
export function toDirectoryListResult(result: unknown): DirectoryListResult {
  const { directory, entries } = normalizeFsList(result);
  return {
    directory,
    entries: entries.map(({ name, path, isDirectory, size, modifiedTime }): FileListEntry => ({
      name,
      path,
      isDirectory,
      // Present only when known, as the desktop bridge did (null never reaches the UI).
      ...(size !== null && { size }),
      ...(modifiedTime !== null && { modifiedTime }),
    })),
  };
}

/** `files.search`: hits become `{ path, preview: [relativePath] }`, no score; no preview for ''. */
export function toFileSearchResults(result: unknown): FileSearchResult[] {
  return normalizeFsSearch(result).files.map(({ path, relativePath }) => ({
    path,
    ...(relativePath !== '' && { preview: [relativePath] }),
  }));
}

export function toCreateDirectoryResult(result: unknown, requested: string): { success: boolean; path: string } {
  const path = field(result, 'path');
  return { success: Boolean(field(result, 'success')), path: typeof path === 'string' ? toSlashes(path) : requested };
}

export function toHomeDirectory(result: unknown): string {
  return toSlashes(stringOr(field(result, 'home'), ''));
}

/** Both reference bridges coerce a non-object settings answer to `{}`. */
export function toSettingsPayload(result: unknown): SettingsPayload {
  return isObject(result) ? result : {};
}

export function toDataDirectory(result: unknown): DataDirectoryResponse {
  return {
    dataDirectory: toSlashes(stringOr(field(result, 'dataDirectory'), '')),
    settingsFile: toSlashes(stringOr(field(result, 'settingsFile'), '')),
  };
}
