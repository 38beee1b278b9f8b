/** Files shapes: `RuntimeAPIs.files`, the wire shapes of the files commands and the `fs://` events. */
/** `RuntimeAPIs.files` shapes (desktop-ipc.md §3.4). */
export interface FileListEntry {
  name: string;
  path: string;
  isDirectory: boolean;
  size?: number;
  modifiedTime?: number;
}

export interface DirectoryListResult {
  directory: string;
  entries: FileListEntry[];
}

export interface FileSearchQuery {
  directory: string;
  query: string;
  maxResults?: number;
}

export interface FileSearchResult {
  path: string;
  score?: number;
  preview?: string[];
}

export interface FilesAPI {
  listDirectory(path: string): Promise<DirectoryListResult>;
  search(query: FileSearchQuery): Promise<FileSearchResult[]>;
  createDirectory(path: string): Promise<{ success: boolean; path: string }>;
}

/** Wire shapes of the files commands: the web superset (files-terminal-system.md §3). */
export interface FsListEntry {
  name: string;
  /** Listed directory + separator + name (not canonicalised per entry). */
  path: string;
  /** True for directories and for symlinks whose target is a directory. */
  isDirectory: boolean;
  /** True only for regular files (false for any symlink). */
  isFile: boolean;
  isSymbolicLink: boolean;
  /** Bytes, regular files only (after following symlinks); otherwise null. */
  size: number | null;
  /** Milliseconds since the Unix epoch (after following symlinks); null when unknown. */
  modifiedTime: number | null;
}

export interface FsListResponse {
  directory: string;
  path: string;
  entries: FsListEntry[];
}

export interface FsSearchHit {
  name: string;
  path: string;
  /** Relative to the search root, always with '/' separators. */
  relativePath: string;
  /** Lower-cased text after the last '.'; absent when the name has no '.'. */
  extension?: string;
}

export interface FsSearchResponse {
  root: string;
  count: number;
  files: FsSearchHit[];
}

/**
 * Answer of `read_file` (Chamber's own command): a file's text, bounded. `content` is `null` for a
 * binary file (a NUL byte, or bytes that are not valid UTF-8 and carry no UTF-16 byte-order mark).
 */
export interface FsReadResponse {
  /** The path as resolved (absolute, not canonicalised). */
  path: string;
  /** The file's whole size in bytes. */
  size: number;
  /** Milliseconds since the Unix epoch. */
  modifiedTime: number;
  binary: boolean;
  /**
   * How the bytes were decoded: `utf-8` (a leading BOM removed), or `utf-16le`/`utf-16be` when
   * the file starts with that byte-order mark; `null` for a binary file.
   */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | null;
  /** The text (its first `FS_READ_MAX_BYTES` bytes when truncated); `null` when binary. */
  content: string | null;
  /** Only the first `FS_READ_MAX_BYTES` bytes were read (cut at a character boundary). */
  truncated: boolean;
}

/**
 * Payloads of `fs://<directory>` (Chamber's own): file-system changes under a directory, debounced.
 * `ready` once the watcher runs (refresh then: changes before it were not seen); `changed` with
 * the changed paths (relative, '/'-separated, at most `FS_WATCH_MAX_PATHS`; `overflow` when more)
 * and `git` when git's own state moved (index, HEAD, refs: a commit, a checkout, a stage);
 * `error` when the directory cannot be watched (the subscription then ends: poll instead).
 */
export type FsChangeEvent =
  | { type: 'ready'; directory: string }
  | { type: 'changed'; directory: string; paths: string[]; overflow: boolean; git: boolean }
  | { type: 'error'; directory: string; message: string };

export interface FsHomeResponse {
  home: string;
}

export interface FsMkdirResponse {
  success: true;
  path: string;
}
