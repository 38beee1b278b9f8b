/**
 * The file viewer's state: which file the main area shows, its contents (`read_file`) and the line
 * to bring into view. A file chosen in the tree (click, keys, quick-open's reveal) is shown;
 * `openFile(path, line?)` is the one entry point for everything else (a diff's header, a
 * `file:line` link from the chat): it reveals the file in the tree when it lies in the workspace
 * and shows it either way.
 */
import type { FsReadResponse } from '@chamber/contract';
import { create } from 'zustand';
import { attemptOutcome } from '../state/runtime.js';
import { useLayout } from '../state/layout.js';
import { useGit } from '../git/git-store.js';
import { findEntry, useTree } from './tree-store.js';

export type ViewerStatus = 'idle' | 'loading' | 'loaded' | 'error';

interface ViewerState {
  /** The file shown, or null (the main area shows details or the welcome). */
  path: string | null;
  status: ViewerStatus;
  file: FsReadResponse | null;
  error: string | null;
  /** A line to bring into view (1-based); `seq` changes with every request, even for the same line. */
  target: { line: number; seq: number } | null;
  /** Show `path` (and, with `line`, bring that line into view), from anywhere. */
  openFile(path: string, line?: number): Promise<void>;
  /** Show `path` as it is on disk now (null: show nothing). Keeps the contents when it is already shown. */
  show(path: string | null, target?: { line: number; seq: number } | null): Promise<void>;
  /** Read the shown file again (it changed on disk); the old text stays until the new arrives. */
  reload(): Promise<void>;
  close(): void;
}

let asked = 0;

export const useViewer = create<ViewerState>()((set, get) => ({
  path: null,
  status: 'idle',
  file: null,
  error: null,
  target: null,

  async openFile(path, line) {
    useGit.getState().closeDiff();
    // The chat occupies the main area: show the files view, where the viewer lives.
    if (useLayout.getState().sidebarView === 'chat') useLayout.getState().showSidebar('files');
    const target =
      line !== undefined && Number.isFinite(line)
        ? { line: Math.max(1, Math.trunc(line)), seq: (get().target?.seq ?? 0) + 1 }
        : null;
    // In the workspace, the tree selects it too (its selection then shows this same file).
    await useTree.getState().reveal(path);
    await get().show(path, target);
  },

  async show(path, target = null) {
    if (path === get().path && get().status !== 'error') {
      if (target) set({ target });
      return;
    }
    asked++;
    if (path === null) {
      set({ path: null, status: 'idle', file: null, error: null, target: null });
      return;
    }
    set({ path, status: 'loading', file: null, error: null, target });
    await load(path, set, get);
  },

  async reload() {
    const { path } = get();
    if (path) await load(path, set, get, { quiet: true });
  },

  close() {
    if (useTree.getState().selected === get().path) useTree.getState().select(null);
    void get().show(null);
  },
}));

async function load(
  path: string,
  set: (partial: Partial<ViewerState>) => void,
  get: () => ViewerState,
  { quiet = false }: { quiet?: boolean } = {},
): Promise<void> {
  const id = ++asked;
  const outcome = await attemptOutcome(quiet ? `Refreshing ${path}` : `Reading ${path}`, (apis) =>
    apis.files.read(path),
  );
  // Another file was chosen meanwhile: this answer is for a file no longer shown.
  if (id !== asked || get().path !== path) return;
  if (outcome.ok) set({ status: 'loaded', file: outcome.value, error: null });
  else if (!quiet || get().status !== 'loaded') set({ status: 'error', file: null, error: outcome.message });
}

// The tree's selection drives the viewer: a file shows, a folder (or nothing) hides it.
useTree.subscribe((state, previous) => {
  if (state.root !== previous.root) {
    // Another workspace: nothing of the old one stays on screen.
    void useViewer.getState().show(null);
    return;
  }
  if (state.selected === previous.selected) return;
  const entry = state.selected ? findEntry(state.directories, state.selected) : undefined;
  const shown = useViewer.getState().path;
  if (entry && !entry.isDirectory) void useViewer.getState().show(entry.path);
  // A folder chosen, or the selection cleared: its details (or the welcome) replace the file.
  else if (shown !== null && shown === previous.selected) void useViewer.getState().show(null);
  else if (entry?.isDirectory) void useViewer.getState().show(null);
});

// A change in git's view of the work tree (a commit, a discard, a checkout, a file edited) may
// have changed the file on screen: read it again, quietly (the text stays until the new arrives).
// This also covers a window whose change events are not running.
let statusKey: string | null = null;
useGit.subscribe((state) => {
  const key = `${state.directory}\n${state.status?.current ?? ''}\n${state.entries
    .map((entry) => `${entry.path}:${entry.index}${entry.workingDir}:${entry.insertions}/${entry.deletions}`)
    .join('|')}`;
  if (key === statusKey) return;
  const first = statusKey === null || state.status === null;
  statusKey = key;
  if (!first && useViewer.getState().status === 'loaded') void useViewer.getState().reload();
});
