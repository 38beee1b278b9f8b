/** `search_files` / `GET /api/fs/search`: fuzzy search over a cached, ignore-aware file listing. */
import path from 'node:path';
import type { FsSearchHit } from '@chamber/contract';
import type { FileIndex } from './file-index.js';
import { rankFiles } from './rank.js';

/** Builds a wire hit; `extension` is absent (not undefined) when the name has no '.'. */
export function toSearchHit(root: string, relativePath: string): FsSearchHit {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  const hit: FsSearchHit = { name, path: path.join(root, relativePath), relativePath };
  const dot = name.lastIndexOf('.');
  if (dot !== -1) hit.extension = name.slice(dot + 1).toLowerCase();
  return hit;
}

/**
 * Best `limit` files under `root` (an existing directory, already sandboxed by the caller) for
 * `query`; a blank query lists shallow files first. `limit` is already clamped to 1..400.
 */
export async function searchFiles(
  index: FileIndex,
  root: string,
  query: string,
  limit: number,
): Promise<FsSearchHit[]> {
  const listing = await index.list(root);
  return rankFiles(listing.files, query, limit).map((relativePath) => toSearchHit(root, relativePath));
}
