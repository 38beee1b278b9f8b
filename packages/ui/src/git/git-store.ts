/**
 * The git views' state for the open workspace: status (changes + branch), the commit selection
 * and message, the open diff, history, branches, worktrees, identities, and a running
 * pull/push/fetch with its live progress. Every runtime call goes through `attempt`, so a failure
 * is a toast with the runtime's message; after any action the status (and what depends on it)
 * is loaded again. The state's shape is `git-state.ts`; each view's actions are in their own file
 * (`git-changes.ts`, `git-history.ts`, `git-branches.ts`, `git-worktrees.ts`), joined here with
 * the status, the sync bar's `remote` and the follower of the workspace.
 */
import { create } from 'zustand';
import { useTree } from '../files/tree-store.js';
import { attempt } from '../state/runtime.js';
import { showToast } from '../state/toasts.js';
import { followWorkspaceDirectory } from '../state/workspace.js';
import { createBranchesActions } from './git-branches.js';
import { createChangesActions, diffKey } from './git-changes.js';
import { createHistoryActions } from './git-history.js';
import { changeEntries, operationVerb } from './git-model.js';
import type { GitSliceContext, GitState } from './git-state.js';
import { createWorktreesActions } from './git-worktrees.js';

export type { CommitFiles, GitState, OpenDiff, RemoteOperation } from './git-state.js';
export { HISTORY_PAGE } from './git-history.js';

const EMPTY = {
  repo: 'unknown' as const,
  healthy: true,
  status: null,
  entries: [],
  chosen: new Set<string>(),
  message: '',
  generating: false,
  committing: false,
  operation: null,
  progress: null,
  diff: null,
  log: null,
  logComplete: false,
  loadingMore: false,
  commitFiles: {},
  branches: null,
  worktrees: null,
  identities: null,
  identity: null,
};

/** When the status was last asked (by anyone): the poll counts its period from there. */
let lastPoll = 0;

export const useGit = create<GitState>()((set, get) => {
  let statusAsked = 0;
  /** Still the workspace this answer was asked for? (The person may have switched meanwhile.) */
  const current = (directory: string) => get().directory === directory;

  /** Run `fn` for the open repository, then refresh everything an action may have changed. */
  async function action<T>(fn: (directory: string) => Promise<T>): Promise<T | undefined> {
    const { directory } = get();
    if (!directory) return undefined;
    try {
      return await fn(directory);
    } finally {
      if (current(directory)) await get().refreshAll();
    }
  }

  const context: GitSliceContext = { set, get, current, action };

  return {
    directory: null,
    ...EMPTY,

    async refresh({ quiet = false } = {}) {
      const { directory } = get();
      if (!directory) return;
      if (get().repo !== 'yes') {
        const isRepo = await attempt(`Checking ${directory}`, (apis) => apis.git.checkIsGitRepository(directory));
        if (!current(directory) || isRepo === undefined) return;
        set({ repo: isRepo ? 'yes' : 'no' });
        if (!isRepo) return;
      }
      const asked = ++statusAsked;
      // Any status asked counts for the poll: it waits a whole period after the last one.
      lastPoll = Date.now();
      const status = await attempt(quiet ? 'Refreshing changes' : 'Loading changes', (apis) =>
        apis.git.getGitStatus(directory),
      );
      // A newer question (poll, focus, action) may have been answered already: keep the newest.
      if (!current(directory) || asked !== statusAsked) return;
      set({ healthy: status !== undefined });
      if (!status) return;
      const entries = changeEntries(status);
      const before = new Set(get().entries.map((entry) => entry.path));
      const chosen = new Set<string>();
      for (const entry of entries) {
        if (get().chosen.has(entry.path) || !before.has(entry.path)) chosen.add(entry.path);
      }
      set({ status, entries, chosen });
      const diff = get().diff;
      if (diff && !diff.commit) {
        const entry = entries.find((e) => e.path === diff.path);
        if (!entry) set({ diff: null });
        else if (diffKey(entry) !== diff.key) void get().openDiff(diff.path);
      }
    },

    async refreshAll() {
      await get().refresh();
      if (get().log) void get().loadHistory();
      if (get().branches) void get().loadBranches();
      if (get().worktrees) void get().loadWorktrees();
    },

    closeDiff() {
      set({ diff: null });
    },

    async remote(operation) {
      if (get().operation) return;
      set({ operation, progress: null });
      try {
        await action(async (directory) => {
          const tracking = get().status?.tracking;
          const branch = get().status?.current ?? undefined;
          const verb = operationVerb(operation);
          if (operation === 'fetch') {
            const done = await attempt(verb, (apis) => apis.git.gitFetch(directory));
            if (done) showToast({ tone: 'info', message: 'Fetched' });
          } else if (operation === 'pull') {
            const pulled = await attempt(verb, (apis) => apis.git.gitPull(directory));
            if (pulled) {
              const count = pulled.files.length;
              showToast({
                tone: 'info',
                message: count ? `Pulled ${count} ${count === 1 ? 'file' : 'files'}` : 'Already up to date',
              });
            }
          } else {
            // A branch without an upstream is published to origin and tracks it from then on.
            const pushed = await attempt(verb, (apis) =>
              tracking
                ? apis.git.gitPush(directory)
                : apis.git.gitPush(directory, { remote: 'origin', branch, options: ['--set-upstream'] }),
            );
            if (pushed) showToast({ tone: 'info', message: `Pushed ${tracking ?? `${branch} to origin`}` });
          }
        });
      } finally {
        set({ operation: null, progress: null });
      }
    },

    ...createChangesActions(context),
    ...createHistoryActions(context),
    ...createBranchesActions(context),
    ...createWorktreesActions(context),
  };
});

/** Follow the workspace: a new directory starts from scratch, with progress events for it. */
let unlisten: (() => void) | null = null;

async function follow(directory: string | null): Promise<void> {
  unlisten?.();
  unlisten = null;
  useGit.setState({ directory, ...EMPTY, chosen: new Set(), commitFiles: {} });
  if (!directory) return;
  const stop = await attempt('Following git progress', (apis) =>
    apis.git.onProgress(
      (event) => {
        const { operation } = useGit.getState();
        if (operation === event.operation) useGit.setState({ progress: event });
      },
      { directory },
    ),
  );
  if (useGit.getState().directory !== directory) stop?.();
  else unlisten = stop ?? null;
  await useGit.getState().refresh();
}

/** How often the status is asked again while the window is visible, without change events. */
export const POLL_MS = 4000;
/** The same while the workspace's change events are live: a safety net only. */
export const SLOW_POLL_MS = 30_000;

let pollEveryMs = POLL_MS;

/** The poll's period: `SLOW_POLL_MS` while file-system events refresh the status, else `POLL_MS`. */
export function setStatusPollMs(ms: number): void {
  pollEveryMs = ms;
}

export function startGitFollower(): () => void {
  const offWorkspace = followWorkspaceDirectory((directory) => void follow(directory));
  // Choosing something in the file tree shows it instead of a diff.
  const offTree = useTree.subscribe((state, previous) => {
    if (state.selected !== previous.selected && state.selected) useGit.getState().closeDiff();
  });
  const poll = () => {
    // Slowed (events are live): a whole period after the last status anyone asked for.
    if (pollEveryMs > POLL_MS && Date.now() - lastPoll < pollEveryMs - 100) return;
    const { repo, healthy, operation } = useGit.getState();
    // After a failure (already toasted) the poll waits for the next focus or action.
    if (repo === 'yes' && healthy && !operation && document.visibilityState === 'visible') {
      void useGit.getState().refresh({ quiet: true });
    }
  };
  const onFocus = () => void useGit.getState().refreshAll();
  const timer = setInterval(poll, POLL_MS);
  window.addEventListener('focus', onFocus);
  return () => {
    clearInterval(timer);
    window.removeEventListener('focus', onFocus);
    offWorkspace();
    offTree();
    unlisten?.();
    unlisten = null;
  };
}
