/**
 * Git commands (git.md, desktop-ipc.md §4.5). Names and argument keys are the desktop
 * reference's (`pathStr`, `filePath`, `contextLines`, ...); HTTP bindings are the web reference's
 * routes, methods and parameter names, so both reference clients' requests land on the same
 * command. Every result is the web server's wire shape.
 */
import { RuntimeError } from '../errors.js';
import { array, boolean, isPlainObject, jsonObject, number, object, optional, string, type Schema } from '../schema.js';
import type {
  GitBranchSummary,
  GitCheckResponse,
  GitCommitFilesResponse,
  GitCommitMessageResponse,
  GitCommitResult,
  GitDiffResponse,
  GitFileDiffResponse,
  GitIdentityProfile,
  GitIdentitySummary,
  GitLogResponse,
  GitPullResult,
  GitPushResult,
  GitRemoteOptions,
  GitStatus,
  GitSuccess,
  GitSwitchResult,
  GitWorktreeInfo,
  GitWorktreeTypeResponse,
} from './git-types.js';
import { defineCommand, pathString, type HttpArgSource } from './define.js';

/** Longest commit message accepted (characters); the HTTP body limit (100 kB) is stricter for most text. */
export const GIT_MAX_MESSAGE_LENGTH = 65_536;
/** Longest ref, branch, remote or hash argument. */
export const GIT_MAX_REF_LENGTH = 1_024;

/**
 * A ref, branch, remote or revision argument. A value starting with `-` would reach git as an
 * option (the reference let `from=--output=FILE` write files), so it is refused at the boundary.
 */
export function gitRef(requiredMessage?: string): Schema<string> {
  const inner = string({ maxLength: GIT_MAX_REF_LENGTH, ...(requiredMessage ? { requiredMessage } : {}) });
  return {
    optional: false,
    description: 'git ref',
    parse(value, label) {
      const parsed = inner.parse(value, label);
      if (parsed.startsWith('-')) {
        throw new RuntimeError(400, `${label} must not start with "-" (git would read it as an option)`);
      }
      return parsed;
    },
  };
}

/** One of a few fixed words. */
function oneOf<T extends string>(values: readonly T[]): Schema<T> {
  return {
    optional: false,
    description: values.join(' | '),
    parse(value, label) {
      if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
      throw new RuntimeError(400, `${label} must be one of ${values.map((v) => `'${v}'`).join(', ')}`);
    },
  };
}

/** The reference answers one fixed message for every malformed value of some arguments. */
function withMessage<T>(inner: Schema<T>, message: string): Schema<T> {
  return {
    optional: inner.optional,
    description: inner.description,
    parse(value, label) {
      try {
        return inner.parse(value, label);
      } catch (error) {
        if (error instanceof RuntimeError && error.status === 400) throw new RuntimeError(400, message);
        throw error;
      }
    },
  };
}

/** `options` of push/pull/fetch: a list of flags or a `{ flag: value }` object (checked by the runtime). */
function remoteOptions(): Schema<GitRemoteOptions> {
  const list = array(string({ maxLength: GIT_MAX_REF_LENGTH }), { maxItems: 64 });
  return {
    optional: false,
    description: 'string[] | object',
    parse(value, label) {
      if (Array.isArray(value)) return list.parse(value, label);
      if (isPlainObject(value)) {
        if (Object.keys(value).length > 64) throw new RuntimeError(400, `${label} has too many items (at most 64)`);
        return value;
      }
      throw new RuntimeError(400, `${label} must be an array of flags or an object`);
    },
  };
}

const directory = () => pathString('directory parameter is required');
const queryDirectory: HttpArgSource = { from: 'query', names: ['directory'] };
const body = (name: string): HttpArgSource => ({ from: 'body', name });
const query = (name: string, parse?: 'int' | 'flag'): HttpArgSource => ({
  from: 'query',
  names: [name],
  ...(parse ? { parse } : {}),
});

const remoteArgs = {
  directory: directory(),
  remote: optional(gitRef()),
  branch: optional(gitRef()),
  options: optional(remoteOptions()),
};
const remoteBinding = {
  directory: queryDirectory,
  remote: body('remote'),
  branch: body('branch'),
  options: body('options'),
};

/** `generate_commit_message` with no files (the reference client refuses it before calling too). */
export const COMMIT_FILES_REQUIRED = 'At least one file is required';

export const gitCommands = {
  // -- identities (git.md §2) ---------------------------------------------------------------------
  get_git_identities: defineCommand<GitIdentityProfile[]>()({
    description: 'The stored git identity profiles (git-identities.json).',
    args: object({}),
    http: { method: 'GET', path: '/api/git/identities', args: {} },
    fallbackError: 'Failed to list git identity profiles',
  }),
  create_git_identity: defineCommand<GitIdentityProfile>()({
    description: 'Store a new identity profile; name, color and icon get defaults.',
    args: object({ profile: optional(jsonObject()) }),
    http: { method: 'POST', path: '/api/git/identities', args: { profile: { from: 'body-whole' } } },
    fallbackError: 'Failed to create git identity profile',
  }),
  update_git_identity: defineCommand<GitIdentityProfile>()({
    description: 'Shallow-merge updates over a stored profile (its id never changes).',
    args: object({ id: string({ maxLength: GIT_MAX_REF_LENGTH }), updates: optional(jsonObject()) }),
    http: {
      method: 'PUT',
      path: '/api/git/identities/:id',
      args: { id: { from: 'param', name: 'id' }, updates: { from: 'body-whole' } },
    },
    fallbackError: 'Failed to update git identity profile',
  }),
  delete_git_identity: defineCommand<GitSuccess>()({
    description: 'Delete a stored identity profile.',
    args: object({ id: string({ maxLength: GIT_MAX_REF_LENGTH }) }),
    http: { method: 'DELETE', path: '/api/git/identities/:id', args: { id: { from: 'param', name: 'id' } } },
    fallbackError: 'Failed to delete git identity profile',
  }),
  get_global_git_identity: defineCommand<GitIdentitySummary>()({
    description: 'user.name, user.email and core.sshCommand from the global git config.',
    args: object({}),
    http: { method: 'GET', path: '/api/git/global-identity', args: {} },
    fallbackError: 'Failed to get global git identity',
  }),
  get_current_git_identity: defineCommand<GitIdentitySummary>()({
    description: 'The identity git would use in a directory (local, else global config).',
    args: object({ directory: directory() }),
    http: { method: 'GET', path: '/api/git/current-identity', args: { directory: queryDirectory } },
    fallbackError: 'Failed to get current git identity',
  }),
  set_git_identity: defineCommand<{ success: true; profile: GitIdentityProfile }>()({
    description: "Write a profile (or the 'global' pseudo-profile) into the repository's local config.",
    args: object({
      directory: directory(),
      profileId: string({ maxLength: GIT_MAX_REF_LENGTH, requiredMessage: 'profileId is required' }),
    }),
    http: {
      method: 'POST',
      path: '/api/git/set-identity',
      args: { directory: queryDirectory, profileId: body('profileId') },
    },
    fallbackError: 'Failed to set git identity',
  }),

  // -- inspection (git.md §3, Appendix A) ---------------------------------------------------------
  check_is_git_repository: defineCommand<GitCheckResponse>()({
    description: 'Whether <directory>/.git exists (no git process).',
    args: object({ directory: directory() }),
    http: { method: 'GET', path: '/api/git/check', args: { directory: queryDirectory } },
    fallbackError: 'Failed to check git repository',
  }),
  get_git_status: defineCommand<GitStatus>()({
    description: 'Branch, tracking, ahead/behind, every changed file and per-file diff stats.',
    args: object({ directory: directory() }),
    http: { method: 'GET', path: '/api/git/status', args: { directory: queryDirectory } },
    fallbackError: 'Failed to get git status',
  }),
  get_git_diff: defineCommand<GitDiffResponse>()({
    description: 'Unified diff of one file (staged or not; untracked files against /dev/null).',
    args: object({
      directory: directory(),
      pathStr: pathString('path parameter is required'),
      staged: optional(boolean()),
      contextLines: optional(number()),
    }),
    http: {
      method: 'GET',
      path: '/api/git/diff',
      args: {
        directory: queryDirectory,
        pathStr: query('path'),
        staged: query('staged', 'flag'),
        contextLines: query('context', 'int'),
      },
    },
    fallbackError: 'Failed to get git diff',
  }),
  get_git_file_diff: defineCommand<GitFileDiffResponse>()({
    description: "A file's HEAD text and working-tree text, for a side-by-side view.",
    args: object({
      directory: directory(),
      pathStr: pathString('path parameter is required'),
      staged: optional(boolean()),
    }),
    http: {
      method: 'GET',
      path: '/api/git/file-diff',
      args: { directory: queryDirectory, pathStr: query('path'), staged: query('staged', 'flag') },
    },
    fallbackError: 'Failed to get git file diff',
  }),
  is_linked_worktree: defineCommand<GitWorktreeTypeResponse>()({
    description: 'Whether the directory belongs to a linked worktree (not the main one).',
    args: object({ directory: directory() }),
    http: { method: 'GET', path: '/api/git/worktree-type', args: { directory: queryDirectory } },
    fallbackError: 'Failed to determine worktree type',
  }),
  get_git_log: defineCommand<GitLogResponse>()({
    description: 'Commits with subject, body, refs, author and per-commit stats.',
    args: object({
      directory: directory(),
      maxCount: optional(number()),
      /** Chamber's addition: commits to pass over first (paging a long history). */
      skip: optional(number()),
      from: optional(gitRef()),
      to: optional(gitRef()),
      file: optional(pathString()),
    }),
    http: {
      method: 'GET',
      path: '/api/git/log',
      args: {
        directory: queryDirectory,
        maxCount: query('maxCount', 'int'),
        skip: query('skip', 'int'),
        from: query('from'),
        to: query('to'),
        file: query('file'),
      },
    },
    fallbackError: 'Failed to get commit log',
  }),
  get_commit_files: defineCommand<GitCommitFilesResponse>()({
    description: 'Files one commit changed, with line counts and change type.',
    args: object({ directory: directory(), hash: gitRef('hash parameter is required') }),
    http: {
      method: 'GET',
      path: '/api/git/commit-files',
      args: { directory: queryDirectory, hash: query('hash') },
    },
    fallbackError: 'Failed to get commit files',
  }),
  get_commit_file_diff: defineCommand<GitDiffResponse>()({
    description: "Unified diff of one file in one commit, against its first parent (Chamber's own).",
    args: object({
      directory: directory(),
      hash: gitRef('hash parameter is required'),
      pathStr: pathString('path parameter is required'),
      contextLines: optional(number()),
    }),
    http: {
      method: 'GET',
      path: '/api/chamber/git/commit-file-diff',
      args: {
        directory: queryDirectory,
        hash: query('hash'),
        pathStr: query('path'),
        contextLines: query('context', 'int'),
      },
    },
    fallbackError: 'Failed to get commit file diff',
  }),

  // -- working tree (git.md §4) -------------------------------------------------------------------
  revert_git_file: defineCommand<GitSuccess>()({
    description: 'Discard every change to one file (back to its HEAD state).',
    args: object({ directory: directory(), filePath: pathString('path parameter is required') }),
    http: { method: 'POST', path: '/api/git/revert', args: { directory: queryDirectory, filePath: body('path') } },
    fallbackError: 'Failed to revert git file',
  }),
  create_git_commit: defineCommand<GitCommitResult>()({
    description: 'Commit everything (addAll), only the given files, or the index.',
    args: object({
      directory: directory(),
      message: string({ maxLength: GIT_MAX_MESSAGE_LENGTH, requiredMessage: 'message is required' }),
      addAll: optional(boolean()),
      files: optional(array(pathString(), { maxItems: 10_000 })),
    }),
    http: {
      method: 'POST',
      path: '/api/git/commit',
      args: { directory: queryDirectory, message: body('message'), addAll: body('addAll'), files: body('files') },
    },
    fallbackError: 'Failed to create commit',
  }),
  generate_commit_message: defineCommand<GitCommitMessageResponse>()({
    description: 'Ask the configured OpenAI-compatible endpoint for a commit message of the files.',
    args: object({
      directory: directory(),
      files: withMessage(array(pathString(), { maxItems: 1_000 }), COMMIT_FILES_REQUIRED),
    }),
    http: {
      method: 'POST',
      path: '/api/git/commit-message',
      args: { directory: queryDirectory, files: body('files') },
    },
    fallbackError: 'Failed to generate commit message',
  }),

  // -- remotes (git.md §5) ------------------------------------------------------------------------
  git_pull: defineCommand<GitPullResult>()({
    description: 'git pull; emits git://progress while it runs.',
    args: object(remoteArgs),
    http: { method: 'POST', path: '/api/git/pull', args: remoteBinding },
    fallbackError: 'Failed to pull from remote',
  }),
  git_push: defineCommand<GitPushResult>()({
    description: 'git push; emits git://progress while it runs.',
    args: object(remoteArgs),
    http: { method: 'POST', path: '/api/git/push', args: remoteBinding },
    fallbackError: 'Failed to push to remote',
  }),
  git_fetch: defineCommand<GitSuccess>()({
    description: 'git fetch; emits git://progress while it runs.',
    args: object(remoteArgs),
    http: { method: 'POST', path: '/api/git/fetch', args: remoteBinding },
    fallbackError: 'Failed to fetch from remote',
  }),
  delete_remote_branch: defineCommand<GitSuccess>()({
    description: 'Delete a branch on a remote (default origin).',
    args: object({ directory: directory(), branch: gitRef('branch is required'), remote: optional(gitRef()) }),
    http: {
      method: 'DELETE',
      path: '/api/git/remote-branches',
      args: { directory: queryDirectory, branch: body('branch'), remote: body('remote') },
    },
    fallbackError: 'Failed to delete remote branch',
  }),

  // -- branches (git.md §6) -----------------------------------------------------------------------
  get_git_branches: defineCommand<GitBranchSummary>()({
    description: 'Local and remote-tracking branches (stale remote names filtered out of `all`).',
    args: object({ directory: directory() }),
    http: { method: 'GET', path: '/api/git/branches', args: { directory: queryDirectory } },
    fallbackError: 'Failed to get branches',
  }),
  create_branch: defineCommand<{ success: true; branch: string }>()({
    description: 'Create a branch from a start point (default HEAD) and switch to it.',
    args: object({ directory: directory(), name: gitRef('name is required'), startPoint: optional(gitRef()) }),
    http: {
      method: 'POST',
      path: '/api/git/branches',
      args: { directory: queryDirectory, name: body('name'), startPoint: body('startPoint') },
    },
    fallbackError: 'Failed to create branch',
  }),
  delete_git_branch: defineCommand<GitSuccess>()({
    description: 'Delete a local branch (force: even when not merged).',
    args: object({ directory: directory(), branch: gitRef('branch is required'), force: optional(boolean()) }),
    http: {
      method: 'DELETE',
      path: '/api/git/branches',
      args: { directory: queryDirectory, branch: body('branch'), force: body('force') },
    },
    fallbackError: 'Failed to delete branch',
  }),
  checkout_branch: defineCommand<{ success: true; branch: string }>()({
    description: 'Switch to a branch (a name only on a remote creates the tracking branch).',
    args: object({ directory: directory(), branch: gitRef('branch is required') }),
    http: { method: 'POST', path: '/api/git/checkout', args: { directory: queryDirectory, branch: body('branch') } },
    fallbackError: 'Failed to checkout branch',
  }),

  checkout_branch_with_changes: defineCommand<GitSwitchResult>()({
    description:
      "Switch branches with local changes in the way: stash them, check out, then leave them stashed or bring them along (Chamber's own).",
    args: object({
      directory: directory(),
      branch: gitRef('branch is required'),
      changes: oneOf(['leave', 'bring'] as const),
    }),
    http: {
      method: 'POST',
      path: '/api/chamber/git/checkout-with-changes',
      args: { directory: queryDirectory, branch: body('branch'), changes: body('changes') },
    },
    fallbackError: 'Failed to checkout branch',
  }),

  // -- worktrees (git.md §7) ----------------------------------------------------------------------
  list_git_worktrees: defineCommand<GitWorktreeInfo[]>()({
    description: 'Every worktree of the repository, main first.',
    args: object({ directory: directory() }),
    http: { method: 'GET', path: '/api/git/worktrees', args: { directory: queryDirectory } },
    fallbackError: 'Failed to get worktrees',
  }),
  add_git_worktree: defineCommand<{ success: true; path: string; branch: string }>()({
    description: 'Add a linked worktree for a branch (createBranch: a new branch from HEAD).',
    args: object({
      directory: directory(),
      pathStr: pathString('path and branch are required'),
      branch: gitRef('path and branch are required'),
      createBranch: optional(boolean()),
    }),
    http: {
      method: 'POST',
      path: '/api/git/worktrees',
      args: {
        directory: queryDirectory,
        pathStr: body('path'),
        branch: body('branch'),
        createBranch: body('createBranch'),
      },
    },
    fallbackError: 'Failed to add worktree',
  }),
  remove_git_worktree: defineCommand<GitSuccess>()({
    description: 'Remove a linked worktree (force: even with local changes).',
    args: object({ directory: directory(), pathStr: pathString('path is required'), force: optional(boolean()) }),
    http: {
      method: 'DELETE',
      path: '/api/git/worktrees',
      args: { directory: queryDirectory, pathStr: body('path'), force: body('force') },
    },
    fallbackError: 'Failed to remove worktree',
  }),
  ensure_openchamber_ignored: defineCommand<GitSuccess>()({
    description: "Add '/.openchamber/' to the repository's info/exclude (idempotent).",
    args: object({ directory: directory() }),
    http: { method: 'POST', path: '/api/git/ignore-openchamber', args: { directory: queryDirectory } },
    fallbackError: 'Failed to update git ignore',
  }),
} as const;

export type GitCommandName = keyof typeof gitCommands;
