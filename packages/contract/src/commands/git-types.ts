/**
 * Git shapes: `RuntimeAPIs.git`, the `git://` events, and the wire shapes of the git commands
 * (git.md §1.4): what the web reference really sends, which is what both our transports answer.
 * Where the reference's declared `api/types.ts` disagreed with its own server (pull maps, push
 * refs, `linkedWorkTree`, nullable `current`), the server wins. Field names are the reference's,
 * character for character: the UI reads `working_dir`, `author_name`, ...
 */
export interface WorktreeMetadata {
  path: string;
  projectDirectory: string;
  branch: string;
  label: string;
  relativePath?: string;
  status?: { isDirty: boolean; ahead?: number; behind?: number; upstream?: string | null };
}

export interface GitStatusFile {
  /** New path for renames (the source path is not listed). */
  path: string;
  /** One character, ' ' when unchanged (never ''). */
  index: string;
  /** One character, ' ' when unchanged (never ''). */
  working_dir: string;
}

export interface GitStatus {
  /** Branch; 'HEAD' when detached; the branch name when unborn. */
  current: string | null;
  tracking: string | null;
  ahead: number;
  behind: number;
  files: GitStatusFile[];
  isClean: boolean;
  /** Always present; keyed by the same path as `files[].path`. */
  diffStats: Record<string, { insertions: number; deletions: number }>;
}

export interface GetGitDiffOptions {
  path: string;
  staged?: boolean;
  contextLines?: number;
}

export interface GitDiffResponse {
  diff: string;
}

export interface GitBranchDetails {
  current: boolean;
  /** True for a branch checked out in another worktree ('+' in `git branch`). */
  linkedWorkTree: boolean;
  name: string;
  /** Abbreviated hash, as `git branch -v` prints it. */
  commit: string;
  /** Commit subject, prefixed '[ahead N, behind M] ' when the branch has an upstream. */
  label: string;
  tracking?: string;
  ahead?: number;
  behind?: number;
}

/** `GitBranchSummary` of git.md §1.4. */
export interface GitBranch {
  /** Local names, then `remotes/<remote>/<branch>` names that still exist on their remote. */
  all: string[];
  /** '' when none; the short hash (or `detached at` name) when detached. */
  current: string;
  branches: Record<string, GitBranchDetails>;
}

export type GitBranchSummary = GitBranch;

export interface GitCommitSummary {
  changes: number;
  insertions: number;
  deletions: number;
}

export interface GitCommitResult {
  success: boolean;
  /** Full hash; '' when there was nothing to commit. */
  commit: string;
  /** '' when there was nothing to commit; 'detached' on a detached HEAD. */
  branch: string;
  summary: GitCommitSummary;
}

export interface GitPushedRef {
  deleted: boolean;
  tag: boolean;
  branch: boolean;
  new: boolean;
  alreadyUpdated: boolean;
  /** e.g. 'refs/heads/main' */
  local: string;
  /** e.g. 'refs/heads/main' */
  remote: string;
}

export interface GitPushResult {
  success: boolean;
  pushed: GitPushedRef[];
  /** Remote URL as configured (from git's 'Pushing to <url>'). */
  repo?: string;
  /** e.g. { local: 'refs/remotes/origin/main' }; absent when git updated no tracking ref. */
  ref?: { local: string };
}

export interface GitPullResult {
  success: boolean;
  summary: GitCommitSummary;
  files: string[];
  /** Per file (only files with insertions); the reference's declared type said number. */
  insertions: Record<string, number>;
  /** Per file (only files with deletions). */
  deletions: Record<string, number>;
}

export interface GitIdentityProfile {
  id: string;
  name: string;
  userName: string;
  userEmail: string;
  sshKey?: string | null;
  color?: string | null;
  icon?: string | null;
  /** Updates may persist additional keys, as the reference does. */
  [extra: string]: unknown;
}

export interface GitIdentitySummary {
  userName: string | null;
  userEmail: string | null;
  sshCommand: string | null;
}

export interface GitLogEntry {
  hash: string;
  /** Author date, strict ISO 8601. */
  date: string;
  message: string;
  refs: string;
  body: string;
  author_name: string;
  author_email: string;
  filesChanged: number;
  insertions: number;
  deletions: number;
}

export interface GitLogResponse {
  all: GitLogEntry[];
  latest: GitLogEntry | null;
  total: number;
}

export interface GitWorktreeInfo {
  worktree: string;
  /** Absent (not null) when unknown; 40 zeros on an unborn branch. */
  head?: string;
  /** Full ref, e.g. 'refs/heads/main'; absent when detached. */
  branch?: string;
}

export interface GitAddWorktreePayload {
  path: string;
  branch: string;
  createBranch?: boolean;
}

export interface GitRemoveWorktreePayload {
  path: string;
  force?: boolean;
}

export interface GitDeleteBranchPayload {
  branch: string;
  force?: boolean;
}

export interface GitDeleteRemoteBranchPayload {
  branch: string;
  remote?: string;
}

export interface CreateGitCommitOptions {
  addAll?: boolean;
  files?: string[];
}

export interface GitLogOptions {
  maxCount?: number;
  /** Chamber's addition: commits to pass over first (paging). */
  skip?: number;
  from?: string;
  to?: string;
  file?: string;
}

export interface GeneratedCommitMessage {
  subject: string;
  highlights: string[];
}

export interface GetGitFileDiffOptions {
  path: string;
  staged?: boolean;
}

export interface GitFileDiffResponse {
  original: string;
  modified: string;
  path: string;
}

export interface CommitFileEntry {
  path: string;
  insertions: number;
  deletions: number;
  isBinary: boolean;
  changeType: 'A' | 'M' | 'D' | 'R' | 'C' | string;
}

export interface GitCommitFilesResponse {
  files: CommitFileEntry[];
}

/** Extra options of push/pull/fetch: `['--set-upstream']` or `{ '--force-with-lease': 'main' }`. */
export type GitRemoteOptions = string[] | Record<string, unknown>;

export interface GitRemoteRequest {
  remote?: string;
  branch?: string;
  options?: GitRemoteOptions;
}

export interface GitSuccess {
  success: true;
}

/** Answer of `checkout_branch_with_changes` (Chamber's own). */
export interface GitSwitchResult {
  success: true;
  branch: string;
  /** The local changes are in `git stash` (left behind, or kept because bringing them conflicted). */
  stashed: boolean;
  /** Bringing the changes conflicted: the work tree holds conflict markers. */
  conflicted: boolean;
}

export interface GitCheckResponse {
  isGitRepository: boolean;
}

export interface GitWorktreeTypeResponse {
  linked: boolean;
}

/** Wire answer of the AI commit message: `message` is whatever JSON the model produced. */
export interface GitCommitMessageResponse {
  message: unknown;
}

/** `git://progress` payload: one parsed line of git's `--progress` output. */
export interface GitProgressEvent {
  operation: 'pull' | 'push' | 'fetch';
  /** The directory the operation runs in, as the runtime resolved it. */
  directory: string;
  /** e.g. 'Receiving objects', 'remote: Counting objects' → 'Counting objects' with `remote: true`. */
  phase: string;
  /** Reported by the remote side ('remote: ...'). */
  remote: boolean;
  /** 0..100 when git prints a percentage, else null. */
  percent: number | null;
  current: number | null;
  total: number | null;
  /** git printed ', done.' for this phase. */
  done: boolean;
  /** The line as git printed it (without the carriage return). */
  line: string;
}

/** `git://worktrees` payload: the linked worktrees of one project, after any change the runtime saw. */
export interface GitWorktreesEvent {
  projectDirectory: string;
  worktrees: WorktreeMetadata[];
}

export interface GitAPI {
  checkIsGitRepository(directory: string): Promise<boolean>;
  getGitStatus(directory: string): Promise<GitStatus>;
  getGitDiff(directory: string, options: GetGitDiffOptions): Promise<GitDiffResponse>;
  getGitFileDiff(directory: string, options: GetGitFileDiffOptions): Promise<GitFileDiffResponse>;
  revertGitFile(directory: string, filePath: string): Promise<void>;
  isLinkedWorktree(directory: string): Promise<boolean>;
  getGitBranches(directory: string): Promise<GitBranch>;
  deleteGitBranch(directory: string, payload: GitDeleteBranchPayload): Promise<{ success: boolean }>;
  deleteRemoteBranch(directory: string, payload: GitDeleteRemoteBranchPayload): Promise<{ success: boolean }>;
  generateCommitMessage(directory: string, files: string[]): Promise<{ message: GeneratedCommitMessage }>;
  listGitWorktrees(directory: string): Promise<GitWorktreeInfo[]>;
  addGitWorktree(
    directory: string,
    payload: GitAddWorktreePayload,
  ): Promise<{ success: boolean; path: string; branch: string }>;
  removeGitWorktree(directory: string, payload: GitRemoveWorktreePayload): Promise<{ success: boolean }>;
  ensureOpenChamberIgnored(directory: string): Promise<void>;
  createGitCommit(directory: string, message: string, options?: CreateGitCommitOptions): Promise<GitCommitResult>;
  gitPush(
    directory: string,
    options?: { remote?: string; branch?: string; options?: string[] | Record<string, unknown> },
  ): Promise<GitPushResult>;
  gitPull(directory: string, options?: { remote?: string; branch?: string }): Promise<GitPullResult>;
  gitFetch(directory: string, options?: { remote?: string; branch?: string }): Promise<{ success: boolean }>;
  checkoutBranch(directory: string, branch: string): Promise<{ success: boolean; branch: string }>;
  createBranch(directory: string, name: string, startPoint?: string): Promise<{ success: boolean; branch: string }>;
  getGitLog(directory: string, options?: GitLogOptions): Promise<GitLogResponse>;
  getCommitFiles(directory: string, hash: string): Promise<GitCommitFilesResponse>;
  getCurrentGitIdentity(directory: string): Promise<GitIdentitySummary | null>;
  setGitIdentity(directory: string, profileId: string): Promise<{ success: boolean; profile: GitIdentityProfile }>;
  getGitIdentities(): Promise<GitIdentityProfile[]>;
  createGitIdentity(profile: GitIdentityProfile): Promise<GitIdentityProfile>;
  updateGitIdentity(id: string, updates: GitIdentityProfile): Promise<GitIdentityProfile>;
  deleteGitIdentity(id: string): Promise<void>;
}
