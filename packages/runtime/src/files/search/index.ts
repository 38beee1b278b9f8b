export { FileIndex } from './file-index.js';
export type { FileIndexOptions } from './file-index.js';
export type { FileListing, ListingSource } from './file-lister.js';
export { rankFiles } from './rank.js';
export { searchFiles, toSearchHit } from './search.js';
