/**
 * `WorktreeMetadata` from one `git worktree list` entry, the mapping of the reference UI's
 * `worktreeService.mapWorktreeToMetadata` (labels without `refs/heads/`). Pure string work on
 * '/'-separated paths, so the runtime (its worktree cache) and the client compute the same thing.
 */
import type { GitWorktreeInfo, WorktreeMetadata } from './commands/git-types.js';

export function worktreeMetadataOf(info: GitWorktreeInfo, projectDirectory: string): WorktreeMetadata {
  const branch = (info.branch ?? '')
    .replace(/^refs\/heads\//, '')
    .replace(/^heads\//, '')
    .replace(/^refs\//, '');
  const base = info.worktree.replace(/\/+$/, '');
  const metadata: WorktreeMetadata = {
    path: info.worktree,
    projectDirectory,
    branch,
    label: branch || base.slice(base.lastIndexOf('/') + 1),
  };
  const project = projectDirectory.replace(/\/+$/, '');
  if (base.startsWith(`${project}/`)) metadata.relativePath = base.slice(project.length + 1);
  return metadata;
}

/** Linked worktrees of one listing (the main worktree, listed first, is the project itself). */
export function linkedWorktreesOf(worktrees: readonly GitWorktreeInfo[]): {
  projectDirectory: string;
  worktrees: WorktreeMetadata[];
} | null {
  const main = worktrees[0];
  if (!main) return null;
  return {
    projectDirectory: main.worktree,
    worktrees: worktrees.slice(1).map((info) => worktreeMetadataOf(info, main.worktree)),
  };
}
