/**
 * The git views' state for the open workspace: status (changes + branch), the commit selection
 * and message, the open diff, history, branches, worktrees, identities, and a running
 * pull/push/fetch with its live progress. Every runtime call goes through `attempt`, so a failure
 * is a toast with the runtime's message; after any action the status (and what depends on it)
 * is loaded again.
 */
import type {
  CommitFileEntry,
  GitBranch,
  GitIdentityProfile,
  GitIdentitySummary,
  GitLogEntry,
  GitProgressEvent,
  GitStatus,
  GitWorktreeInfo,
} from '@chamber/contract';
import { create } from 'zustand';
import { useTree } from '../files/tree-store.js';
import { attempt, attemptOutcome } from '../state/runtime.js';
import { showToast } from '../state/toasts.js';
import { useWorkspace } from '../state/workspace.js';
import { basename } from '../lib/paths.js';
import { chooseAction, confirmAction } from './confirm.js';
import { changeEntries, commitMessageText, operationVerb, type ChangeEntry } from './git-model.js';

export type RemoteOperation = GitProgressEvent['operation'];

export interface OpenDiff {
  path: string;
  staged: boolean;
  /** Status letters and stats when loaded: a change in them means the diff is stale. */
  key: string;
  text: string | null;
  /** A file of a past commit (History), rather than a change in the working tree. */
  commit?: { hash: string; subject: string; changeType: string };
}

/** Commits asked for at a time: the history loads a page, then the next as the list reaches its end. */
export const HISTORY_PAGE = 200;

export type CommitFiles = { status: 'loading' } | { status: 'loaded'; files: CommitFileEntry[] };

interface GitState {
  directory: string | null;
  /** 'unknown' until the first check answers. */
  repo: 'unknown' | 'yes' | 'no';
  /** The last status call answered (the poll pauses after a failure). */
  healthy: boolean;
  status: GitStatus | null;
  entries: ChangeEntry[];
  /** Paths ticked for the next commit. New changes are ticked when they appear. */
  chosen: Set<string>;
  message: string;
  generating: boolean;
  committing: boolean;
  operation: RemoteOperation | null;
  progress: GitProgressEvent | null;
  diff: OpenDiff | null;
  log: GitLogEntry[] | null;
  /** The log holds every commit (the last page came back short). */
  logComplete: boolean;
  loadingMore: boolean;
  commitFiles: Record<string, CommitFiles>;
  branches: GitBranch | null;
  worktrees: GitWorktreeInfo[] | null;
  identities: GitIdentityProfile[] | null;
  identity: GitIdentitySummary | null;

  refresh(options?: { quiet?: boolean }): Promise<void>;
  /** The status, and whatever else has been loaded (history, branches, worktrees). */
  refreshAll(): Promise<void>;
  loadHistory(): Promise<void>;
  /** The next page of the log, after the commits already loaded. */
  loadMoreHistory(): Promise<void>;
  loadBranches(): Promise<void>;
  loadWorktrees(): Promise<void>;
  loadIdentities(): Promise<void>;
  setMessage(message: string): void;
  toggle(path: string): void;
  chooseAll(all: boolean): void;
  openDiff(path: string): Promise<void>;
  /** The diff of `path` in the past commit `hash` (from the History tab). */
  openCommitDiff(hash: string, path: string): Promise<void>;
  closeDiff(): void;
  commit(): Promise<boolean>;
  generateMessage(): Promise<void>;
  remote(operation: RemoteOperation): Promise<void>;
  checkout(branch: string): Promise<boolean>;
  /** Discard every change to one file (after asking), back to its committed state. */
  discard(path: string): Promise<boolean>;
  /** Discard every change in the working tree (after asking). */
  discardAll(): Promise<boolean>;
  createBranch(name: string): Promise<boolean>;
  deleteBranch(name: string, force: boolean): Promise<{ ok: boolean; message?: string }>;
  deleteRemoteBranch(remote: string, branch: string): Promise<boolean>;
  addWorktree(path: string, branch: string, createBranch: boolean): Promise<boolean>;
  removeWorktree(path: string, force: boolean): Promise<{ ok: boolean; message?: string }>;
  applyIdentity(profileId: string): Promise<void>;
  toggleCommit(hash: string): Promise<void>;
}

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

function diffKey(entry: ChangeEntry): string {
  return `${entry.index}${entry.workingDir}:${entry.insertions}/${entry.deletions}`;
}

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

    async loadBranches() {
      const { directory } = get();
      if (!directory || get().repo !== 'yes') return;
      const branches = await attempt('Listing branches', (apis) => apis.git.getGitBranches(directory));
      if (branches && current(directory)) set({ branches });
    },

    async loadWorktrees() {
      const { directory } = get();
      if (!directory || get().repo !== 'yes') return;
      const worktrees = await attempt('Listing worktrees', (apis) => apis.git.listGitWorktrees(directory));
      if (worktrees && current(directory)) set({ worktrees });
    },

    async loadIdentities() {
      const { directory } = get();
      if (!directory || get().repo !== 'yes') return;
      const [identities, identity] = await Promise.all([
        attempt('Listing git identities', (apis) => apis.git.getGitIdentities()),
        attempt('Reading the git identity', (apis) => apis.git.getCurrentGitIdentity(directory)),
      ]);
      if (!current(directory)) return;
      set({ identities: identities ?? [], identity: identity ?? null });
    },

    setMessage(message) {
      set({ message });
    },

    toggle(path) {
      const chosen = new Set(get().chosen);
      if (chosen.has(path)) chosen.delete(path);
      else chosen.add(path);
      set({ chosen });
    },

    chooseAll(all) {
      set({ chosen: all ? new Set(get().entries.map((entry) => entry.path)) : new Set() });
    },

    async openDiff(path) {
      const { directory, entries } = get();
      const entry = entries.find((e) => e.path === path);
      if (!directory || !entry) return;
      const previous = get().diff;
      const key = diffKey(entry);
      const keep = previous?.path === path && !previous.commit;
      set({ diff: { path, staged: entry.staged, key, text: keep ? previous.text : null } });
      const answer = await attempt(`Diff of ${path}`, (apis) =>
        apis.git.getGitDiff(directory, { path, staged: entry.staged }),
      );
      if (!current(directory) || get().diff?.path !== path || get().diff?.commit) return;
      set({ diff: { path, staged: entry.staged, key, text: answer ? answer.diff : (get().diff?.text ?? '') } });
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

    closeDiff() {
      set({ diff: null });
    },

    async commit() {
      const { message, chosen, entries, committing } = get();
      const files = entries.filter((entry) => chosen.has(entry.path)).map((entry) => entry.path);
      if (committing) return false;
      if (!message.trim()) {
        showToast({ tone: 'info', message: 'Write a commit message first' });
        return false;
      }
      if (files.length === 0) {
        showToast({ tone: 'info', message: 'Choose at least one file to commit' });
        return false;
      }
      set({ committing: true });
      try {
        const result = await action((directory) =>
          attempt('Committing', (apis) => apis.git.createGitCommit(directory, message, { files })),
        );
        if (!result) return false;
        set({ message: '' });
        showToast({
          tone: 'info',
          message: result.commit
            ? `Committed ${result.commit.replace(/^HEAD /, '').slice(0, 7)} on ${result.branch}`
            : 'Nothing to commit',
        });
        return true;
      } finally {
        set({ committing: false });
      }
    },

    async generateMessage() {
      const { directory, chosen, entries, generating } = get();
      if (!directory || generating) return;
      const files = entries.filter((entry) => chosen.has(entry.path)).map((entry) => entry.path);
      set({ generating: true });
      try {
        const answer = await attempt('Writing a commit message', (apis) =>
          apis.git.generateCommitMessage(directory, files),
        );
        if (answer && current(directory)) set({ message: commitMessageText(answer.message) });
      } finally {
        set({ generating: false });
      }
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

    async checkout(branch) {
      const done = await action(async (directory) => {
        const context = `Checking out ${branch}`;
        const plain = await attemptOutcome(context, (apis) => apis.git.checkoutBranch(directory, branch), {
          handles: isBlockedByLocalChanges,
        });
        if (plain.ok) return plain.value;
        if (!isBlockedByLocalChanges(plain.message)) return undefined;
        // As GitHub Desktop: the changes in the way can stay behind (stashed) or come along.
        const from = get().status?.current ?? 'this branch';
        const choice = await chooseAction<'leave' | 'bring'>({
          title: `Switch to ${branch}?`,
          message: `You have changes that checking out ${branch} would overwrite.`,
          detail: plain.message,
          choices: [
            {
              value: 'leave',
              label: `Leave them on ${from}`,
              hint: `they are stashed (git stash list: “Chamber: changes left on ${from}”) and ${branch} starts clean`,
            },
            {
              value: 'bring',
              label: `Bring them to ${branch}`,
              hint: `they are stashed, ${branch} is checked out and they are applied on it`,
            },
          ],
        });
        if (!choice) return undefined;
        const switched = await attempt(context, (apis) =>
          apis.git.checkoutBranchWithChanges(directory, branch, choice),
        );
        if (!switched) return undefined;
        if (switched.conflicted) {
          showToast({
            tone: 'error',
            context,
            message: `Your changes conflict with ${branch}: resolve the conflicts in the marked files. The changes also stay in git stash.`,
          });
        } else if (choice === 'leave' && switched.stashed) {
          showToast({ tone: 'info', message: `Switched to ${branch}; your changes are stashed on ${from}` });
        } else {
          showToast({ tone: 'info', message: `Switched to ${branch} with your changes` });
        }
        return switched;
      });
      return done !== undefined;
    },

    async discard(path) {
      const entry = get().entries.find((candidate) => candidate.path === path);
      if (!entry) return false;
      const untracked = entry.letter === 'U' || entry.letter === 'A';
      const yes = await confirmAction({
        title: `Discard changes to ${basename(path)}?`,
        message: untracked
          ? `${path} is new: discarding deletes it. This cannot be undone.`
          : `${path} goes back to its last committed state; your changes to it are lost. This cannot be undone.`,
        confirmLabel: 'Discard changes',
      });
      if (!yes) return false;
      const done = await action((directory) =>
        attempt(`Discarding ${path}`, (apis) => apis.git.revertGitFile(directory, path).then(() => true)),
      );
      return done === true;
    },

    async discardAll() {
      const paths = get().entries.map((entry) => entry.path);
      if (paths.length === 0) return false;
      const yes = await confirmAction({
        title: `Discard all ${paths.length} ${paths.length === 1 ? 'change' : 'changes'}?`,
        message:
          'Every changed file goes back to its last committed state and new files are deleted. This cannot be undone.',
        confirmLabel: 'Discard all changes',
      });
      if (!yes) return false;
      const done = await action(async (directory) => {
        // One file at a time: the runtime serialises writes to a repository anyway, and the first
        // failure (toasted) stops the rest.
        for (const path of paths) {
          const reverted = await attempt(`Discarding ${path}`, (apis) =>
            apis.git.revertGitFile(directory, path).then(() => true),
          );
          if (!reverted) return false;
        }
        return true;
      });
      return done === true;
    },

    async createBranch(name) {
      const done = await action((directory) =>
        attempt(`Creating branch ${name}`, (apis) => apis.git.createBranch(directory, name)),
      );
      if (done) showToast({ tone: 'info', message: `Switched to a new branch ${name}` });
      return done !== undefined;
    },

    async deleteBranch(name, force) {
      const outcome = await action((directory) =>
        attemptOutcome(`Deleting branch ${name}`, (apis) =>
          apis.git.deleteGitBranch(directory, { branch: name, force }),
        ),
      );
      return outcome?.ok ? { ok: true } : { ok: false, message: outcome && !outcome.ok ? outcome.message : undefined };
    },

    async deleteRemoteBranch(remote, branch) {
      const done = await action((directory) =>
        attempt(`Deleting ${remote}/${branch}`, (apis) => apis.git.deleteRemoteBranch(directory, { branch, remote })),
      );
      return done !== undefined;
    },

    async addWorktree(path, branch, createBranch) {
      const done = await action(async (directory) => {
        // Worktrees under the project's `.openchamber/` stay out of its own status.
        if (path.startsWith(`${directory}/.openchamber/`)) {
          const ignored = await attemptOutcome('Ignoring .openchamber', (apis) =>
            apis.git.ensureOpenChamberIgnored(directory),
          );
          if (!ignored.ok) return undefined;
        }
        return attempt(`Adding a worktree for ${branch}`, (apis) =>
          apis.git.addGitWorktree(directory, { path, branch, createBranch }),
        );
      });
      return done !== undefined;
    },

    async removeWorktree(path, force) {
      const outcome = await action((directory) =>
        attemptOutcome(`Removing the worktree ${path}`, (apis) =>
          apis.git.removeGitWorktree(directory, { path, force }),
        ),
      );
      return outcome?.ok ? { ok: true } : { ok: false, message: outcome && !outcome.ok ? outcome.message : undefined };
    },

    async applyIdentity(profileId) {
      const { directory } = get();
      if (!directory) return;
      const applied = await attempt('Applying the identity', (apis) => apis.git.setGitIdentity(directory, profileId));
      if (applied) showToast({ tone: 'info', message: `Committing as ${applied.profile.userName}` });
      await get().loadIdentities();
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
});

/** git's refusal to check out over local changes (files the checkout would overwrite). */
export function isBlockedByLocalChanges(message: string): boolean {
  return /would be overwritten by checkout|untracked working tree files would be (overwritten|removed) by checkout/.test(
    message,
  );
}

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

let followed: string | null = null;
export function startGitFollower(): () => void {
  const check = (directory: string | null) => {
    if (directory === followed) return;
    followed = directory;
    void follow(directory);
  };
  check(useWorkspace.getState().directory);
  const offWorkspace = useWorkspace.subscribe((state) => check(state.directory));
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
    followed = null;
  };
}
