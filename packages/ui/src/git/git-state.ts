/**
 * The shape of the git views' state (`useGit`), one part per view: the status and sync bar shared
 * by all, then the Changes, History, branches and Worktrees parts. Each part's actions are written
 * in its own file (`git-changes.ts`, `git-history.ts`, `git-branches.ts`, `git-worktrees.ts`) and
 * joined in `git-store.ts`.
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
import type { ChangeEntry } from './git-model.js';

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

export type CommitFiles = { status: 'loading' } | { status: 'loaded'; files: CommitFileEntry[] };

/** The open repository, its status, the open diff and a running pull/push/fetch. */
export interface StatusState {
  directory: string | null;
  /** 'unknown' until the first check answers. */
  repo: 'unknown' | 'yes' | 'no';
  /** The last status call answered (the poll pauses after a failure). */
  healthy: boolean;
  status: GitStatus | null;
  entries: ChangeEntry[];
  operation: RemoteOperation | null;
  progress: GitProgressEvent | null;
  diff: OpenDiff | null;

  refresh(options?: { quiet?: boolean }): Promise<void>;
  /** The status, and whatever else has been loaded (history, branches, worktrees). */
  refreshAll(): Promise<void>;
  closeDiff(): void;
  remote(operation: RemoteOperation): Promise<void>;
}

/** The Changes tab: the commit selection and message, identities, diffs and discards. */
export interface ChangesState {
  /** Paths ticked for the next commit. New changes are ticked when they appear. */
  chosen: Set<string>;
  message: string;
  generating: boolean;
  committing: boolean;
  identities: GitIdentityProfile[] | null;
  identity: GitIdentitySummary | null;

  loadIdentities(): Promise<void>;
  setMessage(message: string): void;
  toggle(path: string): void;
  chooseAll(all: boolean): void;
  openDiff(path: string): Promise<void>;
  commit(): Promise<boolean>;
  generateMessage(): Promise<void>;
  /** Discard every change to one file (after asking), back to its committed state. */
  discard(path: string): Promise<boolean>;
  /** Discard every change in the working tree (after asking). */
  discardAll(): Promise<boolean>;
  applyIdentity(profileId: string): Promise<void>;
}

/** The History tab: the log, page by page, and the files of the commits opened. */
export interface HistoryState {
  log: GitLogEntry[] | null;
  /** The log holds every commit (the last page came back short). */
  logComplete: boolean;
  loadingMore: boolean;
  commitFiles: Record<string, CommitFiles>;

  loadHistory(): Promise<void>;
  /** The next page of the log, after the commits already loaded. */
  loadMoreHistory(): Promise<void>;
  /** The diff of `path` in the past commit `hash` (from the History tab). */
  openCommitDiff(hash: string, path: string): Promise<void>;
  toggleCommit(hash: string): Promise<void>;
}

/** The branch dialog: branches, checkout (with local changes in the way), create and delete. */
export interface BranchesState {
  branches: GitBranch | null;

  loadBranches(): Promise<void>;
  checkout(branch: string): Promise<boolean>;
  createBranch(name: string): Promise<boolean>;
  deleteBranch(name: string, force: boolean): Promise<{ ok: boolean; message?: string }>;
  deleteRemoteBranch(remote: string, branch: string): Promise<boolean>;
}

/** The Worktrees tab. */
export interface WorktreesState {
  worktrees: GitWorktreeInfo[] | null;

  loadWorktrees(): Promise<void>;
  addWorktree(path: string, branch: string, createBranch: boolean): Promise<boolean>;
  removeWorktree(path: string, force: boolean): Promise<{ ok: boolean; message?: string }>;
}

export type GitState = StatusState & ChangesState & HistoryState & BranchesState & WorktreesState;

/** What each part's actions are written with. */
export interface GitSliceContext {
  set(partial: Partial<GitState>): void;
  get(): GitState;
  /** Still the workspace this answer was asked for? (The person may have switched meanwhile.) */
  current(directory: string): boolean;
  /** Run `fn` for the open repository, then refresh everything an action may have changed. */
  action<T>(fn: (directory: string) => Promise<T>): Promise<T | undefined>;
}

/** A part's actions: its state's functions (its data fields start in `EMPTY`, `git-store.ts`). */
export type ActionsOf<S> = { [K in keyof S as S[K] extends (...args: never[]) => unknown ? K : never]: S[K] };
