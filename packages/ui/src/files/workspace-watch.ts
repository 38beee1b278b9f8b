/**
 * Freshness without polling: the open workspace's `fs://` events refresh what they touch — the
 * git status (and history, branches when git's own state moved), the tree's listings of the
 * folders that changed, the file in the viewer. While the watch is live the git poll slows to a
 * 30 s safety net; when it cannot run (refused, no OS watch, the connection lost) the poll goes
 * back to every 4 s (`useWatch.status`, read by the git follower).
 */
import type { FsChangeEvent } from '@chamber/contract';
import { create } from 'zustand';
import { POLL_MS, setStatusPollMs, SLOW_POLL_MS, useGit } from '../git/git-store.js';
import { dirname, joinPath } from '../lib/paths.js';
import { runtimeApis } from '../state/runtime.js';
import { followWorkspaceDirectory } from '../state/workspace.js';
import { useTree } from './tree-store.js';
import { useViewer } from './viewer-store.js';

export type WatchStatus = 'off' | 'starting' | 'live' | 'failed';

export const useWatch = create<{ status: WatchStatus; directory: string | null }>()(() => ({
  status: 'off',
  directory: null,
}));

useWatch.subscribe((state) => setStatusPollMs(state.status === 'live' ? SLOW_POLL_MS : POLL_MS));

/** One git refresh at a time; events meanwhile ask for one more after it (a burst costs two). */
function refreshGit(all: boolean): void {
  if (refreshing) {
    again = again || (all ? 'all' : 'status');
    return;
  }
  refreshing = true;
  const git = useGit.getState();
  const run = all ? git.refreshAll() : git.refresh({ quiet: true });
  void run.finally(() => {
    refreshing = false;
    const next = again;
    again = null;
    if (next) refreshGit(next === 'all');
  });
}
let refreshing = false;
let again: 'status' | 'all' | null = null;

function onEvent(directory: string, event: FsChangeEvent): void {
  if (useWatch.getState().directory !== directory) return;
  if (event.type === 'error') {
    useWatch.setState({ status: 'failed' });
    return;
  }
  if (event.type === 'ready') {
    // Changes made before the watch was in place were not seen: one refresh catches up.
    useWatch.setState({ status: 'live' });
    if (useGit.getState().repo === 'yes') refreshGit(false);
    return;
  }
  if (useGit.getState().repo === 'yes') refreshGit(event.git);

  const tree = useTree.getState();
  if (tree.root === directory) {
    if (event.overflow) void tree.refresh();
    else {
      // A created or deleted entry changes its folder's listing: list the loaded ones again.
      const folders = new Set<string>();
      for (const changed of event.paths) {
        const folder = dirname(joinPath(directory, changed));
        if (folder && tree.directories.get(folder)?.status === 'loaded') folders.add(folder);
      }
      for (const folder of folders) void tree.load(folder);
    }
  }

  const shown = useViewer.getState().path;
  if (shown && (event.overflow || event.paths.some((changed) => joinPath(directory, changed) === shown))) {
    void useViewer.getState().reload();
  }
}

let stop: (() => void) | null = null;

async function follow(directory: string | null): Promise<void> {
  stop?.();
  stop = null;
  useWatch.setState({ directory, status: directory ? 'starting' : 'off' });
  if (!directory) return;
  try {
    const unlisten = await runtimeApis().files.watch(directory, (event) => onEvent(directory, event));
    if (useWatch.getState().directory !== directory) unlisten();
    else stop = unlisten;
  } catch {
    // Not fatal: the git poll keeps the views fresh, as before there were events.
    if (useWatch.getState().directory === directory) useWatch.setState({ status: 'failed' });
  }
}

/** Watch the open workspace for as long as the app runs (call once, from the app). */
export function startWorkspaceWatch(): () => void {
  const off = followWorkspaceDirectory((directory) => void follow(directory));
  return () => {
    off();
    stop?.();
    stop = null;
    useWatch.setState({ directory: null, status: 'off' });
  };
}
