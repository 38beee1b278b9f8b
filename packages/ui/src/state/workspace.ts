/**
 * Which directory is open. Opening lists it first (so a bad path is a toast, not an empty
 * tree), then records it as `lastDirectory`, so the next start reopens it.
 */
import { create } from 'zustand';
import { useTree } from '../files/tree-store.js';
import { normalizeDirectory } from '../lib/paths.js';
import { attempt } from './runtime.js';
import { useSettings } from './settings.js';

export type Phase = 'booting' | 'choosing' | 'open';

interface WorkspaceState {
  phase: Phase;
  home: string | null;
  directory: string | null;
  pickerOpen: boolean;
  setHome(home: string | null): void;
  setPickerOpen(open: boolean): void;
  /** Show the picker instead of a workspace (first start, or the last one is gone). */
  choose(): void;
  open(path: string, options?: { remember?: boolean }): Promise<boolean>;
}

export const useWorkspace = create<WorkspaceState>()((set) => ({
  phase: 'booting',
  home: null,
  directory: null,
  pickerOpen: false,

  setHome(home) {
    set({ home });
  },

  setPickerOpen(open) {
    set({ pickerOpen: open });
  },

  choose() {
    set({ phase: 'choosing', directory: null });
  },

  async open(path, options = {}) {
    const requested = normalizeDirectory(path);
    const listing = await attempt(`Opening ${requested}`, (apis) => apis.files.list(requested));
    if (!listing) return false;
    const directory = normalizeDirectory(listing.path || requested);
    useTree.getState().reset(directory, listing.entries);
    set({ phase: 'open', directory, pickerOpen: false });
    if (options.remember !== false && useSettings.getState().settings?.lastDirectory !== directory) {
      await useSettings.getState().save({ lastDirectory: directory }, 'Remembering the workspace');
    }
    return true;
  },
}));

/**
 * Call `follow` with the open workspace's directory now, then each time it changes to another
 * (null when none is open); returns the unsubscribe.
 */
export function followWorkspaceDirectory(follow: (directory: string | null) => void): () => void {
  let followed: string | null | undefined;
  const check = (directory: string | null) => {
    if (directory === followed) return;
    followed = directory;
    follow(directory);
  };
  check(useWorkspace.getState().directory);
  return useWorkspace.subscribe((state) => check(state.directory));
}
