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
import { changeEntries, commitMessageText, operationVerb, type ChangeEntry } from './git-model.js';

export type RemoteOperation = GitProgressEvent['operation'];

export interface OpenDiff {
  path: string;
  staged: boolean;
  /** Status letters and stats when loaded: a change in them means the diff is stale. */
  key: string;
  text: string | null;
}

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
  commitFiles: Record<string, CommitFiles>;
  branches: GitBranch | null;
  worktrees: GitWorktreeInfo[] | null;
  identities: GitIdentityProfile[] | null;
  identity: GitIdentitySummary | null;

  refresh(options?: { quiet?: boolean }): Promise<void>;
  /** The status, and whatever else has been loaded (history, branches, worktrees). */
  refreshAll(): Promise<void>;
  loadHistory(): Promise<void>;
  loadBranches(): Promise<void>;
  loadWorktrees(): Promise<void>;
  loadIdentities(): Promise<void>;
  setMessage(message: string): void;
  toggle(path: string): void;
  chooseAll(all: boolean): void;
  openDiff(path: string): Promise<void>;
  closeDiff(): void;
  commit(): Promise<boolean>;
  generateMessage(): Promise<void>;
  remote(operation: RemoteOperation): Promise<void>;
  checkout(branch: string): Promise<boolean>;
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
  commitFiles: {},
  branches: null,
  worktrees: null,
  identities: null,
  identity: null,
};

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
      if (diff) {
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
      const log = await attempt('Loading the history', (apis) => apis.git.getGitLog(directory, { maxCount: 100 }));
      if (log && current(directory)) set({ log: log.all });
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
      set({ diff: { path, staged: entry.staged, key, text: previous?.path === path ? previous.text : null } });
      const answer = await attempt(`Diff of ${path}`, (apis) =>
        apis.git.getGitDiff(directory, { path, staged: entry.staged }),
      );
      if (!current(directory) || get().diff?.path !== path) return;
      set({ diff: { path, staged: entry.staged, key, text: answer ? answer.diff : (get().diff?.text ?? '') } });
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
      const done = await action((directory) =>
        attempt(`Checking out ${branch}`, (apis) => apis.git.checkoutBranch(directory, branch)),
      );
      return done !== undefined;
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

/** How often the status is asked again while the window is visible. */
const POLL_MS = 4000;

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
