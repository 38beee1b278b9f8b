/**
 * The UI's file-tree model on a 10k-entry folder: sorting a fresh listing (natural, folders
 * first) and flattening the visible rows (done on every expand/collapse), against a byte-wise
 * sort and a plain array copy of the same entries.
 */
import { flattenTree, sortEntries, type DirectoryState, type TreeEntry } from '../packages/ui/src/files/tree-model.js';
import { fmt, timeMicros } from './stats.js';

export async function benchTree(log: (line: string) => void): Promise<void> {
  const entries: TreeEntry[] = Array.from({ length: 10_000 }, (_, i) => ({
    name: `file-${(i * 7919) % 10_000}.txt`,
    path: `/w/many/file-${(i * 7919) % 10_000}.txt`,
    isDirectory: i % 50 === 0,
    isSymbolicLink: false,
    size: 1,
    modifiedTime: 0,
  }));
  const byteSort = await timeMicros(
    async () => [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    30,
    5,
  );
  const ours = await timeMicros(async () => sortEntries(entries), 30, 5);
  log(
    `sort 10k entries (natural, folders first): median ${fmt(ours.median / 1000, 2)} ms | ` +
      `byte-wise sort baseline ${fmt(byteSort.median / 1000, 2)} ms | ratio ${fmt(ours.median / byteSort.median, 2)}`,
  );

  const sorted = sortEntries(entries);
  const directories = new Map<string, DirectoryState>([
    ['/w', { status: 'loaded', entries: [{ ...sorted[0]!, name: 'many', path: '/w/many', isDirectory: true }] }],
    ['/w/many', { status: 'loaded', entries: sorted }],
  ]);
  const expanded = new Set(['/w/many']);
  const copy = await timeMicros(async () => sorted.map((entry) => ({ entry })), 200, 20);
  const flatten = await timeMicros(async () => flattenTree('/w', directories, expanded), 200, 20);
  log(
    `flatten 10k visible rows: median ${fmt(flatten.median / 1000, 2)} ms p99 ${fmt(flatten.p99 / 1000, 2)} ms | ` +
      `array copy baseline ${fmt(copy.median / 1000, 2)} ms | ratio ${fmt(flatten.median / copy.median, 2)}`,
  );
}
