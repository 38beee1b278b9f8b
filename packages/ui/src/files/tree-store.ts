/**
 * File tree state for the open workspace: directory listings (loaded lazily, on expand), the
 * expanded set and the selection. Listings come from `files.list` (the full wire entries, so
 * symlinks are known); every failure is toasted and also shown in the tree where it happened.
 */
import type { FsListEntry } from '@chamber/contract';
import { create } from 'zustand';
import { ancestorsWithin, dirname } from '../lib/paths.js';
import { attemptOutcome } from '../state/runtime.js';
import { sortEntries, type DirectoryState, type TreeEntry } from './tree-model.js';

interface TreeState {
  root: string | null;
  directories: ReadonlyMap<string, DirectoryState>;
  expanded: ReadonlySet<string>;
  selected: string | null;
  /** Bumped to ask the view to scroll the selection into view (after a reveal). */
  revealSeq: number;
  reset(root: string, rootEntries: readonly FsListEntry[]): void;
  load(path: string): Promise<DirectoryState>;
  toggle(path: string): void;
  expand(path: string): void;
  collapse(path: string): void;
  collapseAll(): void;
  select(path: string | null): void;
  reveal(path: string): Promise<boolean>;
  refresh(): Promise<void>;
}

/** Names the tree never shows: git's own database is no file a person edits. */
const HIDDEN_NAMES = new Set(['.git']);

export function toTreeEntries(entries: readonly FsListEntry[]): TreeEntry[] {
  return sortEntries(
    entries
      .filter((entry) => !HIDDEN_NAMES.has(entry.name))
      .map(({ name, path, isDirectory, isSymbolicLink, size, modifiedTime }) => ({
        name,
        path,
        isDirectory,
        isSymbolicLink,
        size,
        modifiedTime,
      })),
  );
}

function withDirectory(
  map: ReadonlyMap<string, DirectoryState>,
  path: string,
  state: DirectoryState,
): Map<string, DirectoryState> {
  const next = new Map(map);
  next.set(path, state);
  return next;
}

/** Listings in flight, so expanding twice (or reveal + expand) lists once. */
const inFlight = new Map<string, Promise<DirectoryState>>();

export const useTree = create<TreeState>()((set, get) => ({
  root: null,
  directories: new Map(),
  expanded: new Set(),
  selected: null,
  revealSeq: 0,

  reset(root, rootEntries) {
    inFlight.clear();
    set({
      root,
      directories: new Map([[root, { status: 'loaded', entries: toTreeEntries(rootEntries) }]]),
      expanded: new Set(),
      selected: null,
    });
  },

  load(path) {
    const pending = inFlight.get(path);
    if (pending) return pending;
    const root = get().root;
    // Listing again (a watch event, Refresh) keeps the rows on screen until the new answer
    // replaces them: a folder that flashed "Loading…" on every change would lose the person's
    // place, and a click aimed at a row could land on the placeholder.
    if (get().directories.get(path)?.status !== 'loaded') {
      set((state) => ({ directories: withDirectory(state.directories, path, { status: 'loading' }) }));
    }
    const run = (async (): Promise<DirectoryState> => {
      const listing = await attemptOutcome(`Listing ${path}`, (apis) => apis.files.list(path));
      const state: DirectoryState = listing.ok
        ? { status: 'loaded', entries: toTreeEntries(listing.value.entries) }
        : { status: 'error', message: listing.message };
      // A workspace switch while listing: the answer belongs to the old tree.
      if (get().root === root) set((s) => ({ directories: withDirectory(s.directories, path, state) }));
      return state;
    })().finally(() => inFlight.delete(path));
    inFlight.set(path, run);
    return run;
  },

  toggle(path) {
    if (get().expanded.has(path)) get().collapse(path);
    else get().expand(path);
  },

  expand(path) {
    const { expanded, directories } = get();
    if (expanded.has(path)) return;
    const next = new Set(expanded);
    next.add(path);
    set({ expanded: next });
    const state = directories.get(path);
    if (!state || state.status === 'error') void get().load(path);
  },

  collapse(path) {
    const next = new Set(get().expanded);
    if (!next.delete(path)) return;
    set({ expanded: next });
  },

  collapseAll() {
    set({ expanded: new Set() });
  },

  select(path) {
    set({ selected: path });
  },

  async reveal(path) {
    const root = get().root;
    if (!root) return false;
    const chain = ancestorsWithin(root, path);
    if (chain.length === 0) return false;
    for (const directory of chain) {
      let state = get().directories.get(directory);
      if (!state || state.status !== 'loaded') state = await get().load(directory);
      if (state.status !== 'loaded' || get().root !== root) return false;
    }
    const expanded = new Set(get().expanded);
    for (const directory of chain.slice(1)) expanded.add(directory);
    set((state) => ({ expanded, selected: path, revealSeq: state.revealSeq + 1 }));
    return true;
  },

  async refresh() {
    const { root, directories, expanded } = get();
    if (!root) return;
    const visible = [...directories.keys()].filter((dir) => dir === root || expanded.has(dir));
    // Collapsed listings are dropped: they are listed again when opened.
    set({ directories: new Map([...directories].filter(([dir]) => visible.includes(dir))) });
    await Promise.all(visible.map((dir) => get().load(dir)));
  },
}));

/** The entry for `path` from its parent's listing, if that is loaded. */
export function findEntry(directories: ReadonlyMap<string, DirectoryState>, path: string): TreeEntry | undefined {
  const parent = dirname(path);
  if (parent === null) return undefined;
  const state = directories.get(parent);
  return state?.status === 'loaded' ? state.entries.find((entry) => entry.path === path) : undefined;
}
