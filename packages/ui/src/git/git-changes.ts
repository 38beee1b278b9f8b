/** The Changes tab's actions: the commit selection and message, diffs, discards, identities. */
import { attempt } from '../state/runtime.js';
import { showToast } from '../state/toasts.js';
import { basename } from '../lib/paths.js';
import { confirmAction } from './confirm.js';
import { commitMessageText, type ChangeEntry } from './git-model.js';
import type { ActionsOf, ChangesState, GitSliceContext } from './git-state.js';

/** What an open diff was loaded for: when the status shows another key, the diff is stale. */
export function diffKey(entry: ChangeEntry): string {
  return `${entry.index}${entry.workingDir}:${entry.insertions}/${entry.deletions}`;
}

export function createChangesActions({ set, get, current, action }: GitSliceContext): ActionsOf<ChangesState> {
  return {
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
      const keep = previous?.path === path && !previous.commit;
      set({ diff: { path, staged: entry.staged, key, text: keep ? previous.text : null } });
      const answer = await attempt(`Diff of ${path}`, (apis) =>
        apis.git.getGitDiff(directory, { path, staged: entry.staged }),
      );
      if (!current(directory) || get().diff?.path !== path || get().diff?.commit) return;
      set({ diff: { path, staged: entry.staged, key, text: answer ? answer.diff : (get().diff?.text ?? '') } });
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
      const { directory, chosen, entries, generating, message: before } = get();
      if (!directory || generating) return;
      const files = entries.filter((entry) => chosen.has(entry.path)).map((entry) => entry.path);
      set({ generating: true });
      try {
        const answer = await attempt('Writing a commit message', (apis) =>
          apis.git.generateCommitMessage(directory, files),
        );
        if (!answer || !current(directory)) return;
        // Text the person typed while the model wrote is theirs: it is never replaced unasked
        // (a field emptied meanwhile takes the answer).
        const now = get().message;
        if (now !== before && now.trim() !== '') {
          showToast({
            tone: 'info',
            message: 'Kept the message you typed while AI was writing; Write with AI again to replace it',
          });
          return;
        }
        set({ message: commitMessageText(answer.message) });
      } finally {
        set({ generating: false });
      }
    },

    async discard(path) {
      const entry = get().entries.find((candidate) => candidate.path === path);
      if (!entry) return false;
      const untracked = entry.letter === 'U' || entry.letter === 'A';
      const yes = await confirmAction({
        title: `Discard changes to ${basename(path)}?`,
        message: untracked
          ? `${path} is new: discarding deletes it. This cannot be undone.`
          : `${path} goes back to its last committed state; your changes to it are lost. This cannot be undone.`,
        confirmLabel: 'Discard changes',
      });
      if (!yes) return false;
      const done = await action((directory) =>
        attempt(`Discarding ${path}`, (apis) => apis.git.revertGitFile(directory, path).then(() => true)),
      );
      return done === true;
    },

    async discardAll() {
      const paths = get().entries.map((entry) => entry.path);
      if (paths.length === 0) return false;
      const yes = await confirmAction({
        title: `Discard all ${paths.length} ${paths.length === 1 ? 'change' : 'changes'}?`,
        message:
          'Every changed file goes back to its last committed state and new files are deleted. This cannot be undone.',
        confirmLabel: 'Discard all changes',
      });
      if (!yes) return false;
      const done = await action(async (directory) => {
        // One file at a time: the runtime serialises writes to a repository anyway, and the first
        // failure (toasted) stops the rest.
        for (const path of paths) {
          const reverted = await attempt(`Discarding ${path}`, (apis) =>
            apis.git.revertGitFile(directory, path).then(() => true),
          );
          if (!reverted) return false;
        }
        return true;
      });
      return done === true;
    },

    async applyIdentity(profileId) {
      const { directory } = get();
      if (!directory) return;
      const applied = await attempt('Applying the identity', (apis) => apis.git.setGitIdentity(directory, profileId));
      if (applied) showToast({ tone: 'info', message: `Committing as ${applied.profile.userName}` });
      await get().loadIdentities();
    },
  };
}
