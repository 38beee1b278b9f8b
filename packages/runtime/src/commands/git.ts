/**
 * Git command handlers: argument → service call → the web reference's wire shape. The logic lives
 * in `../git/`; this file only decides, per command, what a missing directory means (each
 * reference handler had its own answer) and which caches an operation refreshes.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { COMMIT_FILES_REQUIRED, RuntimeError, type GitCommandName, type GitProgressEvent } from '@chamber/contract';
import type { CommandHandlers } from '../dispatch.js';
import { getBranches, checkoutBranch, checkoutWithChanges, createBranch, deleteBranch } from '../git/branches.js';
import { buildPrompt, collectDiffs, requestCommitMessage } from '../git/commit-message.js';
import { createCommit } from '../git/commit.js';
import { contextLinesOf, getDiff, getFileDiff } from '../git/diff.js';
import { applyIdentity, getCurrentIdentity, getGlobalIdentity, resolveProfile } from '../git/identity.js';
import { getCommitFileDiff, getCommitFiles, getLog, logCountOf, logSkipOf } from '../git/log.js';
import { confineRemote, deleteRemoteBranch, gitFetch, gitPull, gitPush } from '../git/remote.js';
import type { GitRepo } from '../git/repo.js';
import { revertFile } from '../git/revert.js';
import type { GitService } from '../git/service.js';
import { getStatus } from '../git/status.js';
import {
  addWorktree,
  ensureOpenChamberIgnored,
  isLinkedWorktree,
  listWorktrees,
  removeWorktree,
} from '../git/worktrees.js';
import type { Services } from './context.js';

type GitCommands = Pick<CommandHandlers, GitCommandName>;

const SUCCESS = { success: true } as const;

export function gitCommands(services: Services): GitCommands {
  const git: GitService = services.git;
  const remoteContext = () => ({
    emit: (event: GitProgressEvent) => services.events.emit('git://progress', event),
    timeoutMs: git.networkTimeoutMs,
  });
  /** Worktrees (and their branches) may have changed: refresh the cache, never fail the command for it. */
  const refreshWorktrees = async (repo: GitRepo) => {
    try {
      git.worktrees.update(await listWorktrees(repo));
    } catch {
      // not a repository any more, or git failed: the next listing refreshes it
    }
  };

  return {
    // -- identities -------------------------------------------------------------------------------
    async get_git_identities() {
      return git.identities.list();
    },
    async create_git_identity({ profile }) {
      return asClientError(() => git.identities.create(profile), 'Failed to create git identity profile');
    },
    async update_git_identity({ id, updates }) {
      return asClientError(() => git.identities.update(id, updates), 'Failed to update git identity profile');
    },
    async delete_git_identity({ id }) {
      await asClientError(() => git.identities.remove(id), 'Failed to delete git identity profile');
      return SUCCESS;
    },
    async get_global_git_identity() {
      return getGlobalIdentity(git.runner, git.homeDir);
    },
    async get_current_git_identity({ directory }) {
      return getCurrentIdentity(await git.repository(directory, 'Failed to get current git identity'));
    },
    async set_git_identity({ directory, profileId }) {
      // Profile lookup first: an unknown profile is a 404 even in a missing directory (as the reference).
      if (directory.trim() === '') throw new RuntimeError(400, 'directory parameter is required');
      const resolved = await resolveProfile(profileId, git.identities, () =>
        getGlobalIdentity(git.runner, git.homeDir),
      );
      await applyIdentity(await git.repository(directory), resolved, git.homeDir);
      return { success: true, profile: resolved.profile };
    },

    // -- inspection -------------------------------------------------------------------------------
    async check_is_git_repository({ directory }) {
      const dir = await git.directory(directory);
      const isGitRepository =
        dir !== null &&
        (await fs.stat(path.join(dir, '.git')).then(
          () => true,
          () => false,
        ));
      return { isGitRepository };
    },
    async get_git_status({ directory }) {
      return getStatus(await git.repository(directory));
    },
    async get_git_diff({ directory, pathStr, staged, contextLines }) {
      const repo = await git.repository(directory);
      const file = await repo.resolveFile(pathStr, { allowTop: true });
      return {
        diff: await getDiff(repo, file, { staged: staged === true, contextLines: contextLinesOf(contextLines) }),
      };
    },
    async get_git_file_diff({ directory, pathStr }) {
      const repo = await git.repository(directory);
      return getFileDiff(repo, await repo.resolveFile(pathStr), pathStr);
    },
    async is_linked_worktree({ directory }) {
      return { linked: await isLinkedWorktree(await git.repository(directory)) };
    },
    async get_git_log({ directory, maxCount, skip, from, to, file }) {
      const repo = await git.repository(directory);
      const resolved = file ? await repo.resolveFile(file, { allowTop: true }) : undefined;
      return getLog(repo, {
        maxCount: logCountOf(maxCount),
        skip: logSkipOf(skip),
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(resolved ? { file: resolved } : {}),
      });
    },
    async get_commit_files({ directory, hash }) {
      return getCommitFiles(await git.repository(directory), hash);
    },
    async get_commit_file_diff({ directory, hash, pathStr, contextLines }) {
      const repo = await git.repository(directory);
      const file = await repo.resolveFile(pathStr);
      return { diff: await getCommitFileDiff(repo, hash, file, contextLinesOf(contextLines)) };
    },
    async get_git_branches({ directory }) {
      return getBranches(await git.repository(directory), git.remoteHeads);
    },
    async list_git_worktrees({ directory }) {
      const worktrees = await listWorktrees(await git.repository(directory));
      git.worktrees.update(worktrees);
      return worktrees;
    },

    // -- working tree -----------------------------------------------------------------------------
    async revert_git_file({ directory, filePath }) {
      const repo = await git.repository(directory);
      await revertFile(repo, await repo.resolveFile(filePath));
      return SUCCESS;
    },
    async create_git_commit({ directory, message, addAll, files }) {
      const repo = await git.repository(directory);
      const resolved = [];
      for (const file of addAll ? [] : (files ?? [])) resolved.push(await repo.resolveFile(file, { allowTop: true }));
      return createCommit(repo, message, { addAll: addAll === true, files: resolved });
    },
    async generate_commit_message({ directory, files }) {
      if (files.length === 0) throw new RuntimeError(400, COMMIT_FILES_REQUIRED);
      const dir = await git.directory(directory);
      // As in the reference, a missing directory yields no diffs rather than its own error.
      const sections = dir === null ? [] : await collectDiffs(await git.repository(dir), files);
      if (sections.length === 0) throw new RuntimeError(400, 'No diffs available for selected files');
      return requestCommitMessage(await services.ai.resolve('commit-message'), buildPrompt(sections), git.logger);
    },

    // -- remotes ----------------------------------------------------------------------------------
    async git_pull({ directory, remote, branch, options }) {
      const repo = await git.repository(directory);
      await confineRemote(repo, remote, services.sandbox, git.homeDir);
      const result = await gitPull(repo, { remote, branch, options }, remoteContext());
      git.remoteHeads.invalidate(repo);
      return result;
    },
    async git_push({ directory, remote, branch, options }) {
      const repo = await git.repository(directory);
      await confineRemote(repo, remote, services.sandbox, git.homeDir);
      try {
        return await gitPush(repo, { remote, branch, options }, remoteContext());
      } finally {
        git.remoteHeads.invalidate(repo);
      }
    },
    async git_fetch({ directory, remote, branch, options }) {
      const repo = await git.repository(directory);
      await confineRemote(repo, remote, services.sandbox, git.homeDir);
      await gitFetch(repo, { remote, branch, options }, remoteContext());
      git.remoteHeads.invalidate(repo);
      return SUCCESS;
    },
    async delete_remote_branch({ directory, branch, remote }) {
      const repo = await git.repository(directory);
      await confineRemote(repo, remote, services.sandbox, git.homeDir);
      try {
        await deleteRemoteBranch(repo, branch, remote, git.networkTimeoutMs);
      } finally {
        git.remoteHeads.invalidate(repo);
      }
      return SUCCESS;
    },

    // -- branches ---------------------------------------------------------------------------------
    async create_branch({ directory, name, startPoint }) {
      const repo = await git.repository(directory);
      await createBranch(repo, name, startPoint);
      await refreshWorktrees(repo);
      return { success: true, branch: name };
    },
    async delete_git_branch({ directory, branch, force }) {
      await deleteBranch(await git.repository(directory), branch, force === true);
      return SUCCESS;
    },
    async checkout_branch({ directory, branch }) {
      const repo = await git.repository(directory);
      await checkoutBranch(repo, branch);
      await refreshWorktrees(repo);
      return { success: true, branch };
    },
    async checkout_branch_with_changes({ directory, branch, changes }) {
      const repo = await git.repository(directory);
      const outcome = await checkoutWithChanges(repo, branch, changes);
      await refreshWorktrees(repo);
      return { success: true, branch, ...outcome };
    },

    // -- worktrees --------------------------------------------------------------------------------
    async add_git_worktree({ directory, pathStr, branch, createBranch: create }) {
      const repo = await git.repository(directory);
      const target = await git.resolveCreatable(path.resolve(repo.cwd, pathStr));
      await addWorktree(repo, target, branch, create === true);
      await refreshWorktrees(repo);
      return { success: true, path: pathStr, branch };
    },
    async remove_git_worktree({ directory, pathStr, force }) {
      const repo = await git.repository(directory);
      const target = await git.resolveCreatable(path.resolve(repo.cwd, pathStr));
      await removeWorktree(repo, target, force === true);
      await refreshWorktrees(repo);
      return SUCCESS;
    },
    async ensure_openchamber_ignored({ directory }) {
      const dir = await git.directory(directory);
      if (dir !== null) await ensureOpenChamberIgnored(dir);
      return SUCCESS;
    },
  };
}

/** The reference answered every identity-store failure with 400 (git.md §2.3–§2.5). */
async function asClientError<T>(fn: () => Promise<T>, fallback: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RuntimeError) throw error;
    throw new RuntimeError(400, (error as Error)?.message || fallback);
  }
}
