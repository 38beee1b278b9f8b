/**
 * The shared `RuntimeAPIs` surface (what the UI sees, identical on web and desktop) and the wire
 * shapes the commands answer with. Field names are the reference's, character for character:
 * the UI reads `working_dir`, `author_name`, `isDirectory`, ...
 */

// ---------------------------------------------------------------------------------------------
// Common
// ---------------------------------------------------------------------------------------------

export type RuntimePlatform = 'web' | 'desktop';

export interface RuntimeDescriptor {
  platform: RuntimePlatform;
  /** Mirror of `platform === 'desktop'`. */
  isDesktop: boolean;
  label?: string;
}

export interface ApiError {
  message: string;
  code?: string;
  cause?: unknown;
}

export interface Subscription {
  close(): void;
}

export interface RetryPolicy {
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface WorktreeMetadata {
  path: string;
  projectDirectory: string;
  branch: string;
  label: string;
  relativePath?: string;
  status?: { isDirty: boolean; ahead?: number; behind?: number; upstream?: string | null };
}

// ---------------------------------------------------------------------------------------------
// Terminal
// ---------------------------------------------------------------------------------------------

export interface TerminalSession {
  sessionId: string;
  cols: number;
  rows: number;
}
export interface CreateTerminalOptions {
  cwd: string;
  cols?: number;
  rows?: number;
}
export interface ResizeTerminalPayload {
  sessionId: string;
  cols: number;
  rows: number;
}
export interface TerminalStreamOptions {
  retry?: Partial<RetryPolicy>;
  connectionTimeoutMs?: number;
}
export interface TerminalStreamEvent {
  type: 'connected' | 'data' | 'exit' | 'reconnecting';
  data?: string;
  exitCode?: number;
  signal?: number | null;
  attempt?: number;
  maxAttempts?: number;
}
export interface TerminalHandlers {
  onEvent(event: TerminalStreamEvent): void;
  onError?(error: Error, fatal?: boolean): void;
}
export interface TerminalAPI {
  createSession(options: CreateTerminalOptions): Promise<TerminalSession>;
  connect(sessionId: string, handlers: TerminalHandlers, options?: TerminalStreamOptions): Subscription;
  sendInput(sessionId: string, input: string): Promise<void>;
  resize(payload: ResizeTerminalPayload): Promise<void>;
  close(sessionId: string): Promise<void>;
}

/** Wire answers of the terminal commands (files-terminal-system.md §5.2–5.6), on both transports. */
export interface TerminalCreateResponse {
  sessionId: string;
  cols: number;
  rows: number;
}
export interface TerminalSuccessResponse {
  success: true;
}
export interface TerminalResizeResponse {
  success: true;
  cols: number;
  rows: number;
}

/**
 * Payloads of the `terminal://<sessionId>` events (the SSE `data:` objects of §5.3, key order as
 * shown). `signal` is the numeric signal (0 after a normal exit), as node-pty reports it on the
 * web; the desktop reference's string signal is not reproduced.
 */
export type TerminalServerEvent =
  { type: 'connected' } | { type: 'data'; data: string } | { type: 'exit'; exitCode: number; signal?: number };

// ---------------------------------------------------------------------------------------------
// Git
// ---------------------------------------------------------------------------------------------

/**
 * Wire shapes of the git commands (git.md §1.4): what the web reference really sends, which is
 * what both our transports answer. Where the reference's declared `api/types.ts` disagreed with its
 * own server (pull maps, push refs, `linkedWorkTree`, nullable `current`), the server wins.
 */
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

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/** `RuntimeAPIs.files` shapes (desktop-ipc.md §3.4). */
export interface FileListEntry {
  name: string;
  path: string;
  isDirectory: boolean;
  size?: number;
  modifiedTime?: number;
}
export interface DirectoryListResult {
  directory: string;
  entries: FileListEntry[];
}
export interface FileSearchQuery {
  directory: string;
  query: string;
  maxResults?: number;
}
export interface FileSearchResult {
  path: string;
  score?: number;
  preview?: string[];
}
export interface FilesAPI {
  listDirectory(path: string): Promise<DirectoryListResult>;
  search(query: FileSearchQuery): Promise<FileSearchResult[]>;
  createDirectory(path: string): Promise<{ success: boolean; path: string }>;
}

/** Wire shapes of the files commands: the web superset (files-terminal-system.md §3). */
export interface FsListEntry {
  name: string;
  /** Listed directory + separator + name (not canonicalised per entry). */
  path: string;
  /** True for directories and for symlinks whose target is a directory. */
  isDirectory: boolean;
  /** True only for regular files (false for any symlink). */
  isFile: boolean;
  isSymbolicLink: boolean;
  /** Bytes, regular files only (after following symlinks); otherwise null. */
  size: number | null;
  /** Milliseconds since the Unix epoch (after following symlinks); null when unknown. */
  modifiedTime: number | null;
}
export interface FsListResponse {
  directory: string;
  path: string;
  entries: FsListEntry[];
}
export interface FsSearchHit {
  name: string;
  path: string;
  /** Relative to the search root, always with '/' separators. */
  relativePath: string;
  /** Lower-cased text after the last '.'; absent when the name has no '.'. */
  extension?: string;
}
export interface FsSearchResponse {
  root: string;
  count: number;
  files: FsSearchHit[];
}
/**
 * Answer of `read_file` (Chamber's own command): a file's text, bounded. `content` is `null` for a
 * binary file (a NUL byte, or bytes that are not valid UTF-8 and carry no UTF-16 byte-order mark).
 */
export interface FsReadResponse {
  /** The path as resolved (absolute, not canonicalised). */
  path: string;
  /** The file's whole size in bytes. */
  size: number;
  /** Milliseconds since the Unix epoch. */
  modifiedTime: number;
  binary: boolean;
  /**
   * How the bytes were decoded: `utf-8` (a leading BOM removed), or `utf-16le`/`utf-16be` when
   * the file starts with that byte-order mark; `null` for a binary file.
   */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | null;
  /** The text (its first `FS_READ_MAX_BYTES` bytes when truncated); `null` when binary. */
  content: string | null;
  /** Only the first `FS_READ_MAX_BYTES` bytes were read (cut at a character boundary). */
  truncated: boolean;
}
/**
 * Payloads of `fs://<directory>` (Chamber's own): file-system changes under a directory, debounced.
 * `ready` once the watcher runs (refresh then: changes before it were not seen); `changed` with
 * the changed paths (relative, '/'-separated, at most `FS_WATCH_MAX_PATHS`; `overflow` when more)
 * and `git` when git's own state moved (index, HEAD, refs: a commit, a checkout, a stage);
 * `error` when the directory cannot be watched (the subscription then ends: poll instead).
 */
export type FsChangeEvent =
  | { type: 'ready'; directory: string }
  | { type: 'changed'; directory: string; paths: string[]; overflow: boolean; git: boolean }
  | { type: 'error'; directory: string; message: string };

export interface FsHomeResponse {
  home: string;
}
export interface FsMkdirResponse {
  success: true;
  path: string;
}

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

export interface TypographySizes {
  markdown?: string;
  code?: string;
  uiHeader?: string;
  uiLabel?: string;
  meta?: string;
  micro?: string;
}

export interface SettingsPayload {
  themeId?: string;
  useSystemTheme?: boolean;
  themeVariant?: 'light' | 'dark';
  lightThemeId?: string;
  darkThemeId?: string;
  lastDirectory?: string;
  homeDirectory?: string;
  approvedDirectories?: string[];
  securityScopedBookmarks?: string[];
  markdownDisplayMode?: string;
  pinnedDirectories?: string[];
  showReasoningTraces?: boolean;
  uiFont?: string;
  monoFont?: string;
  typographySizes?: TypographySizes;
  [key: string]: unknown;
}

/** The formatted settings object answered by load and save (settings-config-prompts.md §2.4). */
export interface SettingsResponse extends SettingsPayload {
  approvedDirectories: string[];
  securityScopedBookmarks: string[];
  pinnedDirectories: string[];
  showReasoningTraces: boolean;
}

/** `get_data_directory` (Chamber's own command: the reference exposes no data directory). */
export interface DataDirectoryResponse {
  /** Absolute directory holding settings.json and its siblings. */
  dataDirectory: string;
  /** Absolute path of settings.json inside it. */
  settingsFile: string;
}

export interface SettingsLoadResult {
  settings: SettingsPayload;
  source: RuntimePlatform;
}
export interface SettingsAPI {
  load(): Promise<SettingsLoadResult>;
  save(changes: Partial<SettingsPayload>): Promise<SettingsPayload>;
  restartOpenCode?(): Promise<{ restarted: boolean }>;
}

// ---------------------------------------------------------------------------------------------
// Permissions, notifications, diagnostics, prompt enhancer, tools
// ---------------------------------------------------------------------------------------------

export interface DirectoryPermissionRequest {
  path: string;
}
export interface DirectoryPermissionResult {
  success: boolean;
  path?: string;
  error?: string;
}
export interface StartAccessingResult {
  success: boolean;
  error?: string;
}
/** Wire answer of `request_directory_access` (desktop-ipc.md §4.4): absent fields are `null`. */
export interface DirectoryAccessResponse {
  success: boolean;
  path: string | null;
  error: string | null;
}
/** Wire answer of `start_accessing_directory` / `stop_accessing_directory`. */
export interface AccessingDirectoryResponse {
  success: boolean;
  error: string | null;
}
/** Payload of the `permissions://changed` event: what the sandbox admits right now. */
export interface DirectoryPermissionsState {
  /** Persisted approvals (`approvedDirectories` in settings.json). */
  approvedDirectories: string[];
  /** Directories opened with `start_accessing_directory` in this session and not stopped yet. */
  accessingDirectories: string[];
}
export interface PermissionsAPI {
  requestDirectoryAccess(request: DirectoryPermissionRequest): Promise<DirectoryPermissionResult>;
  startAccessingDirectory(path: string): Promise<StartAccessingResult>;
  stopAccessingDirectory(path: string): Promise<StartAccessingResult>;
}

export interface NotificationPayload {
  title?: string;
  body?: string;
  tag?: string;
}
export interface NotificationsAPI {
  notifyAgentCompletion(payload?: NotificationPayload): Promise<boolean>;
  canNotify?(): boolean | Promise<boolean>;
}

/** Wire answer of `fetch_desktop_logs` (desktop-ipc.md §4.9). */
export interface DesktopLogsResponse {
  fileName: string;
  content: string;
}
export interface DiagnosticsAPI {
  downloadLogs(): Promise<{ fileName: string; content: string }>;
}

export interface PromptEnhancerOption {
  id: string;
  label: string;
  summaryLabel: string;
  description?: string;
  instruction: string;
}
export interface PromptEnhancerGroup {
  id: string;
  label: string;
  helperText?: string;
  summaryHeading: string;
  multiSelect: boolean;
  defaultOptionId?: string;
  options: PromptEnhancerOption[];
}
export interface PromptEnhancerConfig {
  version: number;
  groupOrder: string[];
  groups: Record<string, PromptEnhancerGroup>;
}
export interface PromptEnhancerAPI {
  loadConfig(): Promise<PromptEnhancerConfig | null>;
  saveConfig(config: PromptEnhancerConfig): Promise<PromptEnhancerConfig>;
}

export interface ToolsAPI {
  getAvailableTools(): Promise<string[]>;
}

// ---------------------------------------------------------------------------------------------
// The whole surface
// ---------------------------------------------------------------------------------------------

export interface RuntimeAPIs {
  runtime: RuntimeDescriptor;
  terminal: TerminalAPI;
  git: GitAPI;
  files: FilesAPI;
  settings: SettingsAPI;
  permissions: PermissionsAPI;
  notifications: NotificationsAPI;
  diagnostics?: DiagnosticsAPI;
  promptEnhancer?: PromptEnhancerAPI;
  tools: ToolsAPI;
  worktrees?: WorktreeMetadata[];
}

/** Health document of `GET /health` (keys in the reference's order). */
export interface HealthResponse {
  status: 'ok';
  timestamp: string;
  openCodePort: number | null;
  openCodeRunning: boolean;
  openCodeApiPrefix: string;
  openCodeApiPrefixDetected: boolean;
  isOpenCodeReady: boolean;
  lastOpenCodeError: string | null;
}

/** `POST /api/opencode/directory` (files-terminal-system.md §4). */
export interface OpenCodeDirectoryResponse {
  success: true;
  restarted: boolean;
  path: string;
}

/**
 * The answer to `opencode_request`: status and headers, and either the whole body (`body`, text or
 * base64 as `bodyEncoding` says) or `stream: true`, the body then following as `opencode://<requestId>`
 * events.
 */
export interface OpenCodeResponseHead {
  status: number;
  headers: Record<string, string | string[]>;
  body?: string;
  bodyEncoding?: 'utf8' | 'base64';
  stream?: true;
}

/** Events of `opencode://<requestId>`: the body in order, then `end`, or `error` when it broke off. */
export type OpenCodeStreamEvent =
  { type: 'data'; data: string; encoding?: 'base64' } | { type: 'end' } | { type: 'error'; message: string };
