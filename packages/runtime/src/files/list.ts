import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ACCESS_DENIED,
  DIRECTORY_NOT_FOUND,
  RuntimeError,
  type FsListEntry,
  type FsListResponse,
} from '@chamber/contract';
import { errnoCode } from '../sandbox/paths.js';
import type { ResolvedPath } from '../sandbox/sandbox.js';

/** Map the errors the reference maps; anything else keeps Node's message (500). */
export function mapDirectoryError(error: unknown): unknown {
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new RuntimeError(404, DIRECTORY_NOT_FOUND);
  if (code === 'EACCES' || code === 'EPERM') return new RuntimeError(403, ACCESS_DENIED);
  return error;
}

/**
 * Every entry of a directory, hidden ones included, in `readdir` order (byte-wise sorted on
 * Linux). Symlinks are followed only to decide `isDirectory`, `size` and `modifiedTime`.
 */
export async function listDirectory(target: ResolvedPath): Promise<FsListResponse> {
  let entries: Dirent[];
  try {
    const stats = await fs.stat(target.realPath);
    if (!stats.isDirectory()) throw new RuntimeError(400, 'Specified path is not a directory');
    entries = await fs.readdir(target.realPath, { withFileTypes: true });
  } catch (error) {
    throw mapDirectoryError(error);
  }
  const listed = await mapWithConcurrency(entries, 64, (entry) => describeEntry(target.path, entry));
  return { directory: target.path, path: target.path, entries: listed };
}

async function describeEntry(directory: string, entry: Dirent): Promise<FsListEntry> {
  const entryPath = path.join(directory, entry.name);
  let stats: Stats | undefined;
  try {
    stats = await fs.stat(entryPath);
  } catch {
    // Broken symlink or a race with deletion: describe what readdir saw.
  }
  return {
    name: entry.name,
    path: entryPath,
    isDirectory: stats ? stats.isDirectory() : entry.isDirectory(),
    isFile: entry.isFile(),
    isSymbolicLink: entry.isSymbolicLink(),
    size: stats?.isFile() ? stats.size : null,
    modifiedTime: stats ? Math.trunc(stats.mtimeMs) : null,
  };
}

/** Like `Promise.all(items.map(fn))`, but with at most `limit` calls in flight. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
