/**
 * `RuntimeAPIs.git` over any transport: each method is one command of the table (desktop argument
 * names), its answer normalised once, so the UI gets the same `GitAPI` on web and desktop. Where
 * the desktop reference's commands returned nothing and its bridge made up a result, the runtime
 * now answers the web shape on both transports and the client only unwraps it.
 *
 * Beyond `GitAPI`: the global identity, `git://progress` for pull/push/fetch, and the worktree
 * metadata the runtime keeps (`git://worktrees`), which `RuntimeAPIs.worktrees` exposes.
 */
import {
  COMMIT_FILES_REQUIRED,
  linkedWorktreesOf,
  type GitAPI,
  type GitDiffResponse,
  type GitSwitchResult,
  type GitIdentityProfile,
  type GitIdentitySummary,
  type GitProgressEvent,
  type GitRemoteOptions,
  type GitSuccess,
  type GitWorktreesEvent,
  type WorktreeMetadata,
} from '@chamber/contract';
import { RuntimeCallError } from './errors.js';
import {
  toGeneratedCommitMessage,
  toGitBranch,
  toGitCommitResult,
  toGitLogResponse,
  toGitPullResult,
  toGitPushResult,
  toGitStatus,
} from './git-normalize.js';
import { wire } from './normalize.js';
import type { Transport } from './transport.js';

const PROGRESS = 'git://progress';
const WORKTREES = 'git://worktrees';

export interface ChamberGitAPI extends GitAPI {
  /** The unified diff of one file in one commit, against the commit's first parent. */
  getCommitFileDiff(directory: string, hash: string, path: string): Promise<GitDiffResponse>;
  /** Switch branches although local changes are in the way: leave them stashed, or bring them along. */
  checkoutBranchWithChanges(directory: string, branch: string, changes: 'leave' | 'bring'): Promise<GitSwitchResult>;
  /** `user.name`, `user.email`, `core.sshCommand` of the global git config. */
  getGlobalGitIdentity(): Promise<GitIdentitySummary>;
  /** Progress of pull, push and fetch (optionally of one directory only); resolves once active. */
  onProgress(handler: (event: GitProgressEvent) => void, filter?: { directory?: string }): Promise<() => void>;
  /** Keep `worktrees()` fresh from the runtime's `git://worktrees` events; resolves once active. */
  watchWorktrees(handler?: (event: GitWorktreesEvent) => void): Promise<() => void>;
  /** The linked worktrees of every project seen so far (by a listing here or an event). */
  worktrees(): WorktreeMetadata[];
}

type RemoteRequest = { remote?: string; branch?: string; options?: GitRemoteOptions };

const success = (result: unknown) => ({ success: wire<GitSuccess>(result).success === true });

export function createGitAPI(transport: Transport): ChamberGitAPI {
  const byProject = new Map<string, WorktreeMetadata[]>();
  const remember = (event: GitWorktreesEvent | null) => {
    if (event) byProject.set(event.projectDirectory, event.worktrees);
  };
  const remote = ({ remote, branch, options }: RemoteRequest = {}) => ({ remote, branch, options });

  return {
    async checkIsGitRepository(directory) {
      return wire(await transport.invoke('check_is_git_repository', { directory })).isGitRepository === true;
    },
    async getGitStatus(directory) {
      return toGitStatus(await transport.invoke('get_git_status', { directory }));
    },
    async getGitDiff(directory, { path, staged, contextLines }) {
      const result = await transport.invoke('get_git_diff', { directory, pathStr: path, staged, contextLines });
      return { diff: String(wire(result).diff ?? '') };
    },
    async getGitFileDiff(directory, { path, staged }) {
      const result = await transport.invoke('get_git_file_diff', { directory, pathStr: path, staged });
      const answer = wire(result);
      return {
        original: String(answer.original ?? ''),
        modified: String(answer.modified ?? ''),
        path: String(answer.path ?? path),
      };
    },
    async revertGitFile(directory, filePath) {
      await transport.invoke('revert_git_file', { directory, filePath });
    },
    async isLinkedWorktree(directory) {
      return wire(await transport.invoke('is_linked_worktree', { directory })).linked === true;
    },
    async getGitBranches(directory) {
      return toGitBranch(await transport.invoke('get_git_branches', { directory }));
    },
    async deleteGitBranch(directory, { branch, force }) {
      return success(await transport.invoke('delete_git_branch', { directory, branch, force }));
    },
    async deleteRemoteBranch(directory, { branch, remote: name }) {
      return success(await transport.invoke('delete_remote_branch', { directory, branch, remote: name }));
    },
    async generateCommitMessage(directory, files) {
      // As the reference client: an empty selection never reaches the runtime.
      if (!Array.isArray(files) || files.length === 0) throw new RuntimeCallError(400, COMMIT_FILES_REQUIRED);
      return toGeneratedCommitMessage(await transport.invoke('generate_commit_message', { directory, files }));
    },
    async listGitWorktrees(directory) {
      const worktrees = await transport.invoke('list_git_worktrees', { directory });
      remember(linkedWorktreesOf(worktrees));
      return worktrees;
    },
    async addGitWorktree(directory, { path, branch, createBranch }) {
      const result = await transport.invoke('add_git_worktree', { directory, pathStr: path, branch, createBranch });
      return { success: wire(result).success === true, path, branch };
    },
    async removeGitWorktree(directory, { path, force }) {
      return success(await transport.invoke('remove_git_worktree', { directory, pathStr: path, force }));
    },
    async ensureOpenChamberIgnored(directory) {
      await transport.invoke('ensure_openchamber_ignored', { directory });
    },
    async createGitCommit(directory, message, options = {}) {
      const result = await transport.invoke('create_git_commit', {
        directory,
        message,
        addAll: options.addAll ?? false,
        files: options.files,
      });
      return toGitCommitResult(result);
    },
    async gitPush(directory, options) {
      return toGitPushResult(await transport.invoke('git_push', { directory, ...remote(options) }));
    },
    async gitPull(directory, options) {
      return toGitPullResult(await transport.invoke('git_pull', { directory, ...remote(options) }));
    },
    async gitFetch(directory, options) {
      return success(await transport.invoke('git_fetch', { directory, ...remote(options) }));
    },
    async checkoutBranch(directory, branch) {
      await transport.invoke('checkout_branch', { directory, branch });
      return { success: true, branch };
    },
    async checkoutBranchWithChanges(directory, branch, changes) {
      return transport.invoke('checkout_branch_with_changes', { directory, branch, changes });
    },
    async createBranch(directory, name, startPoint) {
      await transport.invoke('create_branch', { directory, name, startPoint });
      return { success: true, branch: name };
    },
    async getGitLog(directory, options = {}) {
      const { maxCount, skip, from, to, file } = options;
      return toGitLogResponse(await transport.invoke('get_git_log', { directory, maxCount, skip, from, to, file }));
    },
    async getCommitFileDiff(directory, hash, path) {
      return transport.invoke('get_commit_file_diff', { directory, hash, pathStr: path });
    },
    async getCommitFiles(directory, hash) {
      return transport.invoke('get_commit_files', { directory, hash });
    },
    async getCurrentGitIdentity(directory) {
      // As the reference client: no directory, no identity (and no request).
      if (!directory) return null;
      return transport.invoke('get_current_git_identity', { directory });
    },
    async setGitIdentity(directory, profileId) {
      const result = await transport.invoke('set_git_identity', { directory, profileId });
      return { success: true, profile: wire(result).profile as GitIdentityProfile };
    },
    async getGitIdentities() {
      return transport.invoke('get_git_identities', {});
    },
    async createGitIdentity(profile) {
      return transport.invoke('create_git_identity', { profile });
    },
    async updateGitIdentity(id, updates) {
      return transport.invoke('update_git_identity', { id, updates });
    },
    async deleteGitIdentity(id) {
      await transport.invoke('delete_git_identity', { id });
    },
    async getGlobalGitIdentity() {
      return transport.invoke('get_global_git_identity', {});
    },
    onProgress(handler, filter = {}) {
      return transport.listen(PROGRESS, (payload) => {
        const event = payload as GitProgressEvent;
        if (filter.directory === undefined || event.directory === filter.directory) handler(event);
      });
    },
    watchWorktrees(handler) {
      return transport.listen(WORKTREES, (payload) => {
        const event = payload as GitWorktreesEvent;
        remember(event);
        handler?.(event);
      });
    },
    worktrees() {
      return [...byProject.values()].flat();
    },
  };
}
