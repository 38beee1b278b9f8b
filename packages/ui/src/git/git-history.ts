/** The History tab's actions: the log, page by page, a commit's files and a file's diff in it. */
import { attempt } from '../state/runtime.js';
import type { ActionsOf, GitSliceContext, HistoryState } from './git-state.js';

/** Commits asked for at a time: the history loads a page, then the next as the list reaches its end. */
export const HISTORY_PAGE = 200;

export function createHistoryActions({ set, get, current }: GitSliceContext): ActionsOf<HistoryState> {
  return {
    async loadHistory() {
      const { directory } = get();
      if (!directory || get().repo !== 'yes') return;
      // Again as many commits as are shown (at least a page), so a refresh keeps the scroll place.
      const maxCount = Math.max(HISTORY_PAGE, get().log?.length ?? 0);
      const log = await attempt('Loading the history', (apis) => apis.git.getGitLog(directory, { maxCount }));
      if (log && current(directory)) set({ log: log.all, logComplete: log.all.length < maxCount });
    },

    async loadMoreHistory() {
      const { directory, log, logComplete, loadingMore } = get();
      if (!directory || !log || logComplete || loadingMore) return;
      set({ loadingMore: true });
      try {
        const page = await attempt('Loading more history', (apis) =>
          apis.git.getGitLog(directory, { maxCount: HISTORY_PAGE, skip: log.length }),
        );
        if (!page || !current(directory) || get().log !== log) return;
        // A commit made meanwhile shifts the pages: keep each hash once.
        const seen = new Set(log.map((entry) => entry.hash));
        set({
          log: [...log, ...page.all.filter((entry) => !seen.has(entry.hash))],
          logComplete: page.all.length < HISTORY_PAGE,
        });
      } finally {
        set({ loadingMore: false });
      }
    },

    async openCommitDiff(hash, path) {
      const { directory, log, commitFiles } = get();
      if (!directory) return;
      const entry = log?.find((candidate) => candidate.hash === hash);
      const files = commitFiles[hash];
      const file = files?.status === 'loaded' ? files.files.find((f) => f.path === path) : undefined;
      const commit = { hash, subject: entry?.message ?? '', changeType: file?.changeType ?? 'M' };
      const key = `${hash}:${path}`;
      set({ diff: { path, staged: false, key, text: null, commit } });
      const answer = await attempt(`Diff of ${path} in ${hash.slice(0, 7)}`, (apis) =>
        apis.git.getCommitFileDiff(directory, hash, path),
      );
      if (!current(directory) || get().diff?.key !== key) return;
      set({ diff: { path, staged: false, key, text: answer ? answer.diff : '', commit } });
    },

    async toggleCommit(hash) {
      const { directory, commitFiles } = get();
      if (!directory) return;
      if (commitFiles[hash]) {
        const { [hash]: _closed, ...rest } = commitFiles;
        set({ commitFiles: rest });
        return;
      }
      set({ commitFiles: { ...commitFiles, [hash]: { status: 'loading' } } });
      const answer = await attempt(`Files of ${hash.slice(0, 7)}`, (apis) => apis.git.getCommitFiles(directory, hash));
      if (!current(directory) || !get().commitFiles[hash]) return;
      if (!answer) {
        const { [hash]: _failed, ...rest } = get().commitFiles;
        set({ commitFiles: rest });
        return;
      }
      set({ commitFiles: { ...get().commitFiles, [hash]: { status: 'loaded', files: answer.files } } });
    },
  };
}
