/** `search_files` / `GET /api/fs/search`: fuzzy search over a cached, ignore-aware file listing. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FsSearchHit } from '@chamber/contract';
import type { FileIndex } from './file-index.js';
import type { FileListing } from './file-lister.js';
import { Ranking, rankFiles } from './rank.js';

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
  // A cold listing is ranked while it streams in (git's tracked files while git still walks the
  // work tree for untracked ones, rg's files as they come), so ranking adds little to listing.
  let early: Ranking | undefined;
  let listing = await index.list(root, (files) => {
    if (early?.files === files) early.extend();
    else early = new Ranking(files, query, limit);
  });
  let hits = early?.files === listing.files ? early.result() : rankFiles(listing.files, query, limit);
  // A git listing may hold tracked files deleted from the work tree (looking for them all costs
  // more than listing): the hits are checked, and only a missing one costs the full check.
  if (listing.unchecked && (await someMissing(root, listing, hits))) {
    listing = await index.withoutDeleted(root, listing);
    hits = rankFiles(listing.files, query, limit);
  }
  return hits.map((relativePath) => toSearchHit(root, relativePath));
}

/**
 * Hits of an unchecked listing found on disk. Each is looked at once per listing: an answer is no
 * staler than one from a checked listing, and a repeated query costs no lstat.
 */
const present = new WeakMap<FileListing, Set<string>>();

async function someMissing(root: string, listing: FileListing, files: readonly string[]): Promise<boolean> {
  let known = present.get(listing);
  if (!known) present.set(listing, (known = new Set()));
  const found = known;
  const missing = await Promise.all(
    files
      .filter((file) => !found.has(file))
      .map((file) =>
        fs.lstat(path.join(root, file)).then(
          () => {
            found.add(file);
            return false;
          },
          (error: NodeJS.ErrnoException) => error.code === 'ENOENT' || error.code === 'ENOTDIR',
        ),
      ),
  );
  return missing.includes(true);
}
