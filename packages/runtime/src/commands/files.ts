import { RuntimeError, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT } from '@chamber/contract';
import type { CommandHandlers } from '../dispatch.js';
import { listDirectory } from '../files/list.js';
import { createDirectory } from '../files/mkdir.js';
import { readFile } from '../files/read.js';
import { mapDirectoryError } from '../files/list.js';
import { searchFiles } from '../files/search/index.js';
import type { FamilyProviders } from '../subscriptions.js';
import type { Services } from './context.js';
import fs from 'node:fs/promises';

type FileCommands = Pick<
  CommandHandlers,
  'get_home_directory' | 'list_directory' | 'search_files' | 'create_directory' | 'read_file'
>;

/** The reference's limit rule: default 60, fractional values truncated, clamped to 1..400. */
export function clampSearchLimit(requested: number | undefined): number {
  if (requested === undefined) return SEARCH_DEFAULT_LIMIT;
  return Math.min(SEARCH_MAX_LIMIT, Math.max(1, Math.trunc(requested)));
}

export function fileCommands(services: Services): FileCommands {
  const { sandbox, fileIndex } = services;
  return {
    async get_home_directory() {
      if (!services.homeDir) throw new RuntimeError(500, 'Failed to resolve home directory');
      return { home: services.homeDir };
    },

    async list_directory({ path }) {
      return listDirectory(await sandbox.resolveExisting(path));
    },

    async search_files({ directory, query, maxResults }) {
      const root = await sandbox.resolveExisting(directory);
      try {
        if (!(await fs.stat(root.realPath)).isDirectory()) {
          throw new RuntimeError(400, 'Specified root is not a directory');
        }
      } catch (error) {
        throw mapDirectoryError(error);
      }
      const files = await searchFiles(fileIndex, root.path, query ?? '', clampSearchLimit(maxResults));
      return { root: root.path, count: files.length, files };
    },

    async create_directory({ path }) {
      const result = await createDirectory(sandbox, path);
      fileIndex.invalidate(result.path);
      services.logger.log('info', 'Created directory', { path: result.path });
      return result;
    },

    async read_file({ path }) {
      return readFile(sandbox, path);
    },
  };
}

/**
 * `fs://<directory>`: the directory goes through the sandbox like a listing; the answer comes as
 * the first event (`ready`, or `error` and the end of the subscription), since the check and the
 * OS watch are asynchronous while a subscription opens at once.
 */
export function fileEventFamilies(services: Services): Pick<FamilyProviders, 'fs://'> {
  return {
    'fs://': (directory, _options, sink) => {
      let closed = false;
      let release: (() => void) | null = null;
      const fail = (message: string) => {
        if (closed) return;
        closed = true;
        release?.();
        release = null;
        sink.send({ type: 'error', directory, message });
        sink.end();
      };
      void (async () => {
        try {
          const target = await services.sandbox.resolveExisting(directory);
          try {
            if (!(await fs.stat(target.realPath)).isDirectory()) {
              throw new RuntimeError(400, 'Specified path is not a directory');
            }
          } catch (error) {
            throw mapDirectoryError(error);
          }
          if (closed) return;
          const stop = await services.watchers.acquire(
            target.realPath,
            (change) => {
              if (!closed) sink.send({ ...change, directory });
            },
            (message) => fail(message),
          );
          if (closed) stop();
          else {
            release = stop;
            sink.send({ type: 'ready', directory });
          }
        } catch (error) {
          fail(error instanceof Error ? error.message : String(error));
        }
      })();
      return {
        ack() {},
        setCongested() {},
        close() {
          closed = true;
          release?.();
          release = null;
        },
      };
    },
  };
}
