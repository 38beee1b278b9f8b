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
  FsHomeResponse,
  FsListEntry,
  FsListResponse,
  FsMkdirResponse,
  FsSearchHit,
  FsSearchResponse,
  SettingsPayload,
} from '@chamber/contract';

type Loose = Record<string, unknown>;

export function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A wire answer read defensively, with the contract's member names: `wire<FsListResponse>(result)`
 * gives `.directory`, `.entries`, ... as `unknown` (a desktop bridge or an older server may omit
 * or mistype any of them), while a member the contract does not name is a compile error. Anything
 * but a plain object reads as `{}`.
 */
export type Wire<T> = { readonly [K in keyof T]?: unknown };

export function wire<T extends object>(value: T): Wire<T>;
export function wire<T>(value: unknown): Wire<T>;
export function wire(value: unknown): Loose {
  return isObject(value) ? value : {};
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
  const { directory, path, entries } = wire<FsListResponse>(result);
  return {
    directory: toSlashes(stringOr(directory, stringOr(path, ''))),
    path: toSlashes(stringOr(path, stringOr(directory, ''))),
    entries: list(entries).map(normalizeFsEntry),
  };
}

function normalizeFsEntry(entry: unknown): FsListEntry {
  const { name, path, isDirectory, isFile, isSymbolicLink, size, modifiedTime } = wire<FsListEntry>(entry);
  return {
    name: stringOr(name, ''),
    path: toSlashes(stringOr(path, '')),
    isDirectory: isDirectory === true,
    isFile: isFile === true,
    isSymbolicLink: isSymbolicLink === true,
    size: typeof size === 'number' ? size : null,
    modifiedTime: typeof modifiedTime === 'number' ? modifiedTime : null,
  };
}

export function normalizeFsSearch(result: unknown): FsSearchResponse {
  const answer = wire<FsSearchResponse>(result);
  const files = list(answer.files).map((hit): FsSearchHit => {
    const { name, path, relativePath, extension } = wire<FsSearchHit>(hit);
    return {
      name: stringOr(name, ''),
      path: toSlashes(stringOr(path, '')),
      relativePath: toSlashes(stringOr(relativePath, '')),
      ...(typeof extension === 'string' && { extension }),
    };
  });
  return {
    root: toSlashes(stringOr(answer.root, '')),
    count: typeof answer.count === 'number' ? answer.count : files.length,
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
  const { success, path } = wire<FsMkdirResponse>(result);
  return { success: Boolean(success), path: typeof path === 'string' ? toSlashes(path) : requested };
}

export function toHomeDirectory(result: unknown): string {
  return toSlashes(stringOr(wire<FsHomeResponse>(result).home, ''));
}

/** Both reference bridges coerce a non-object settings answer to `{}`. */
export function toSettingsPayload(result: unknown): SettingsPayload {
  return isObject(result) ? result : {};
}

export function toDataDirectory(result: unknown): DataDirectoryResponse {
  const { dataDirectory, settingsFile } = wire<DataDirectoryResponse>(result);
  return { dataDirectory: toSlashes(stringOr(dataDirectory, '')), settingsFile: toSlashes(stringOr(settingsFile, '')) };
}
