/** The Worktrees tab's actions. */
import { attempt, attemptOutcome } from '../state/runtime.js';
import type { ActionsOf, GitSliceContext, WorktreesState } from './git-state.js';

export function createWorktreesActions({ set, get, current, action }: GitSliceContext): ActionsOf<WorktreesState> {
  return {
    async loadWorktrees() {
      const { directory } = get();
      if (!directory || get().repo !== 'yes') return;
      const worktrees = await attempt('Listing worktrees', (apis) => apis.git.listGitWorktrees(directory));
      if (worktrees && current(directory)) set({ worktrees });
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
  };
}
