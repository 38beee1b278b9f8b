/** Files commands (files-terminal-system.md §3, desktop-ipc.md §3.4). */
import type {
  FsHomeResponse,
  FsListResponse,
  FsMkdirResponse,
  FsReadResponse,
  FsSearchResponse,
} from './files-types.js';
import { number, object, optional, string } from '../schema.js';
import { defineCommand, pathString } from './define.js';

/** Search limits of the reference (files-terminal-system.md §3.4). */
export const SEARCH_DEFAULT_LIMIT = 60;
export const SEARCH_MAX_LIMIT = 400;

/**
 * Most bytes `read_file` answers (2 MiB): enough for any source file a person reads, small enough
 * for one JSON answer on either transport; a larger file is cut and says so (`truncated`).
 */
export const FS_READ_MAX_BYTES = 2 * 1024 * 1024;

export const fileCommands = {
  get_home_directory: defineCommand<FsHomeResponse>()({
    description: "The home directory of the runtime's user.",
    args: object({}),
    http: { method: 'GET', path: '/api/fs/home', args: {} },
    fallbackError: 'Failed to resolve home directory',
  }),
  list_directory: defineCommand<FsListResponse>()({
    description: 'Every entry of a directory (blank path: the workspace root or home).',
    args: object({ path: optional(pathString()) }),
    http: { method: 'GET', path: '/api/fs/list', args: { path: { from: 'query', names: ['path'] } } },
    fallbackError: 'Failed to list directory',
  }),
  search_files: defineCommand<FsSearchResponse>()({
    description: 'Fuzzy, gitignore-aware search for files at any depth under a root.',
    args: object({
      directory: optional(pathString()),
      query: optional(string({ maxLength: 1024 })),
      maxResults: optional(number()),
    }),
    http: {
      method: 'GET',
      path: '/api/fs/search',
      args: {
        directory: { from: 'query', names: ['root', 'directory'] },
        query: { from: 'query', names: ['q'] },
        maxResults: { from: 'query', names: ['limit'], parse: 'int' },
      },
    },
    fallbackError: 'Failed to search files',
  }),
  create_directory: defineCommand<FsMkdirResponse>()({
    description: 'Create a directory and its missing parents (mkdir -p).',
    args: object({ path: pathString('Path is required') }),
    http: { method: 'POST', path: '/api/fs/mkdir', args: { path: { from: 'body', name: 'path' } } },
    fallbackError: 'Failed to create directory',
  }),
  read_file: defineCommand<FsReadResponse>()({
    description: "A file's text (first 2 MiB), binary files detected, UTF-8/UTF-16 decoded (Chamber's own).",
    args: object({ path: pathString('Path is required') }),
    http: { method: 'GET', path: '/api/chamber/fs/read', args: { path: { from: 'query', names: ['path'] } } },
    fallbackError: 'Failed to read file',
  }),
} as const;
