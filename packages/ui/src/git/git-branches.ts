/** The branch dialog's actions: branches, checkout (with local changes in the way), create, delete. */
import { attempt, attemptOutcome } from '../state/runtime.js';
import { showToast } from '../state/toasts.js';
import { chooseAction } from './confirm.js';
import type { ActionsOf, BranchesState, GitSliceContext } from './git-state.js';

export function createBranchesActions({ set, get, current, action }: GitSliceContext): ActionsOf<BranchesState> {
  return {
    async loadBranches() {
      const { directory } = get();
      if (!directory || get().repo !== 'yes') return;
      const branches = await attempt('Listing branches', (apis) => apis.git.getGitBranches(directory));
      if (branches && current(directory)) set({ branches });
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
  };
}

/** git's refusal to check out over local changes (files the checkout would overwrite). */
export function isBlockedByLocalChanges(message: string): boolean {
  return /would be overwritten by checkout|untracked working tree files would be (overwritten|removed) by checkout/.test(
    message,
  );
}
