/**
 * The file tree as data: which directories are loaded, which are expanded, and the flat list of
 * visible rows the virtualised view renders. Flattening is iterative and linear in the visible
 * rows, so a directory of 10k entries costs one pass, and nothing outside the viewport renders.
 */

export interface TreeEntry {
  name: string;
  path: string;
  isDirectory: boolean;
  isSymbolicLink: boolean;
  size: number | null;
  modifiedTime: number | null;
}

export type DirectoryState =
  { status: 'loading' } | { status: 'loaded'; entries: readonly TreeEntry[] } | { status: 'error'; message: string };

export type TreeRow =
  | { kind: 'entry'; key: string; entry: TreeEntry; depth: number; expanded: boolean }
  | { kind: 'loading'; key: string; depth: number; parent: string }
  | { kind: 'empty'; key: string; depth: number; parent: string }
  | { kind: 'error'; key: string; depth: number; parent: string; message: string };

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Directories first, then names in natural order ('file-2' before 'file-10'), case-insensitively. */
export function compareEntries(a: TreeEntry, b: TreeEntry): number {
  if (a.isDirectory !== b.isDirectory) return a.isDirectory ? -1 : 1;
  return collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

export function sortEntries(entries: readonly TreeEntry[]): TreeEntry[] {
  return [...entries].sort(compareEntries);
}

/** The visible rows below `root` (the root itself is not a row). */
export function flattenTree(
  root: string,
  directories: ReadonlyMap<string, DirectoryState>,
  expanded: ReadonlySet<string>,
): TreeRow[] {
  const rows: TreeRow[] = [];
  // An explicit stack of (directory, next child index) instead of recursion: depth is unbounded.
  const stack: { path: string; depth: number; index: number }[] = [{ path: root, depth: 0, index: -1 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as { path: string; depth: number; index: number };
    const state = directories.get(frame.path);
    if (frame.index === -1) {
      frame.index = 0;
      if (!state || state.status === 'loading') {
        rows.push({ kind: 'loading', key: `${frame.path}\0loading`, depth: frame.depth, parent: frame.path });
        stack.pop();
        continue;
      }
      if (state.status === 'error') {
        const message = state.message;
        rows.push({ kind: 'error', key: `${frame.path}\0error`, depth: frame.depth, parent: frame.path, message });
        stack.pop();
        continue;
      }
      if (state.entries.length === 0) {
        rows.push({ kind: 'empty', key: `${frame.path}\0empty`, depth: frame.depth, parent: frame.path });
        stack.pop();
        continue;
      }
    }
    const entries = state?.status === 'loaded' ? state.entries : [];
    if (frame.index >= entries.length) {
      stack.pop();
      continue;
    }
    const entry = entries[frame.index++] as TreeEntry;
    const isOpen = entry.isDirectory && expanded.has(entry.path);
    rows.push({ kind: 'entry', key: entry.path, entry, depth: frame.depth, expanded: isOpen });
    if (isOpen) stack.push({ path: entry.path, depth: frame.depth + 1, index: -1 });
  }
  return rows;
}

/** Index of the row that shows `path`, or -1. */
export function rowIndexOf(rows: readonly TreeRow[], path: string): number {
  return rows.findIndex((row) => row.kind === 'entry' && row.entry.path === path);
}

/**
 * Type-ahead: the next entry row after `from` (wrapping) whose name starts with `prefix`,
 * case-insensitively; -1 when none does.
 */
export function findByPrefix(rows: readonly TreeRow[], prefix: string, from: number): number {
  const wanted = prefix.toLowerCase();
  for (let step = 0; step < rows.length; step++) {
    const index = (from + step) % rows.length;
    const row = rows[index];
    if (row?.kind === 'entry' && row.entry.name.toLowerCase().startsWith(wanted)) return index;
  }
  return -1;
}

/** "12 folders · 40 files" for a loaded directory. */
export function summarizeEntries(entries: readonly TreeEntry[]): { directories: number; files: number } {
  let directories = 0;
  for (const entry of entries) if (entry.isDirectory) directories++;
  return { directories, files: entries.length - directories };
}
