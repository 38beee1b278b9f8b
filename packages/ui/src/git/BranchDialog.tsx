/**
 * The branch switcher: type to filter local and remote branches, ↑/↓ to choose, Enter checks out,
 * Delete deletes (after a confirmation; a remote branch is deleted on its remote). A name that
 * matches no branch offers "Create branch" (from the current one) and "Check out" (git decides).
 */
import { Check, GitBranch, GitBranchPlus, Globe, LoaderCircle, Trash2, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Dialog } from '../components/Dialog.js';
import { IconButton } from '../components/IconButton.js';
import { confirmAction } from './confirm.js';
import { branchItems, filterBranches, type BranchItem } from './git-model.js';
import { useGit } from './git-store.js';
import { nextIndex } from './list-keys.js';

type Choice =
  { kind: 'branch'; item: BranchItem } | { kind: 'create'; name: string } | { kind: 'checkout'; name: string };

export function BranchDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Dialog open={open} onClose={onClose} label="Switch branch" className="dialog-palette">
      <BranchPalette onClose={onClose} />
    </Dialog>
  );
}

function BranchPalette({ onClose }: { onClose(): void }) {
  const branches = useGit((state) => state.branches);
  const current = useGit((state) => state.status?.current ?? '');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void useGit.getState().loadBranches();
  }, []);

  const choices = useMemo<Choice[]>(() => {
    const { local, remote } = branches ? branchItems(branches) : { local: [], remote: [] };
    const name = query.trim();
    const list: Choice[] = [
      ...filterBranches(local, query).map((item) => ({ kind: 'branch' as const, item })),
      ...filterBranches(remote, query).map((item) => ({ kind: 'branch' as const, item })),
    ];
    if (name && !local.some((item) => item.label === name)) {
      list.push({ kind: 'create', name }, { kind: 'checkout', name });
    }
    return list;
  }, [branches, query]);

  useEffect(() => setActive(0), [query]);
  useEffect(() => {
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  async function run(task: () => Promise<boolean>) {
    setBusy(true);
    try {
      if (await task()) onClose();
    } finally {
      setBusy(false);
    }
  }

  function choose(choice: Choice | undefined) {
    if (!choice || busy) return;
    const git = useGit.getState();
    if (choice.kind === 'create') void run(() => git.createBranch(choice.name));
    else if (choice.kind === 'checkout') void run(() => git.checkout(choice.name));
    else if (!choice.item.current) {
      // A remote branch is checked out by its short name: git creates the tracking branch.
      void run(() => git.checkout(choice.item.remoteBranch ?? choice.item.ref));
    }
  }

  async function remove(item: BranchItem) {
    const git = useGit.getState();
    if (item.remote && item.remoteBranch) {
      const yes = await confirmAction({
        title: 'Delete remote branch',
        message: `Delete ${item.label} on the remote ${item.remote}? Everyone who uses the remote loses it.`,
        confirmLabel: 'Delete on remote',
      });
      if (yes) await git.deleteRemoteBranch(item.remote, item.remoteBranch);
      return;
    }
    const yes = await confirmAction({
      title: 'Delete branch',
      message: `Delete the local branch ${item.label}?`,
      confirmLabel: 'Delete',
    });
    if (!yes) return;
    const first = await git.deleteBranch(item.ref, false);
    if (first.ok || !first.message?.includes('not fully merged')) return;
    const force = await confirmAction({
      title: 'Delete unmerged branch?',
      message: `${item.label} has commits that no other branch has. Deleting it loses them.`,
      detail: first.message,
      confirmLabel: 'Delete anyway',
    });
    if (force) await git.deleteBranch(item.ref, true);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const next = nextIndex(event.key, active, choices.length);
    if (next !== null && event.key !== 'Home' && event.key !== 'End') {
      event.preventDefault();
      setActive(next);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(choices[active]);
    } else if (event.key === 'Delete' && event.shiftKey) {
      const choice = choices[active];
      if (choice?.kind === 'branch' && !choice.item.current) {
        event.preventDefault();
        void remove(choice.item);
      }
    }
  }

  let lastGroup = '';
  return (
    <div className="palette branch-palette" data-testid="branch-dialog">
      <div className="palette-input">
        <GitBranch size={16} aria-hidden="true" />
        <input
          data-autofocus=""
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={`Switch from ${current || 'HEAD'}: type a branch, or a new name`}
          aria-label="Branch name"
          aria-controls="branch-options"
          aria-activedescendant={choices[active] ? `branch-option-${active}` : undefined}
          data-testid="branch-input"
        />
        {busy || !branches ? <LoaderCircle size={14} className="spin palette-busy" aria-hidden="true" /> : null}
        <IconButton label="Close" onClick={onClose}>
          <X size={16} />
        </IconButton>
      </div>
      <div ref={listRef} className="palette-list" role="listbox" id="branch-options" aria-label="Branches">
        {choices.map((choice, index) => {
          const group = choice.kind === 'branch' ? (choice.item.remote ? 'Remote branches' : 'Local branches') : 'New';
          const heading = group !== lastGroup ? group : null;
          lastGroup = group;
          const activeClass = index === active ? ' is-active' : '';
          return (
            <div key={choice.kind === 'branch' ? choice.item.ref : `${choice.kind}:${choice.name}`}>
              {heading ? <div className="palette-group">{heading}</div> : null}
              {choice.kind === 'branch' ? (
                <div
                  id={`branch-option-${index}`}
                  role="option"
                  aria-selected={index === active}
                  data-index={index}
                  data-branch={choice.item.ref}
                  data-testid="branch-option"
                  className={`palette-item branch-item${activeClass}`}
                  onMouseMove={() => setActive(index)}
                  onClick={() => choose(choice)}
                >
                  {choice.item.current ? (
                    <Check size={14} className="branch-icon is-current" aria-label="current" />
                  ) : choice.item.remote ? (
                    <Globe size={14} className="branch-icon" aria-hidden="true" />
                  ) : (
                    <GitBranch size={14} className="branch-icon" aria-hidden="true" />
                  )}
                  <span className="palette-name">{choice.item.label}</span>
                  <span className="palette-path">
                    <code>{choice.item.commit.slice(0, 7)}</code> {choice.item.subject}
                  </span>
                  {!choice.item.current ? (
                    <span className="branch-delete" onClick={(event) => event.stopPropagation()}>
                      <IconButton
                        label={
                          choice.item.remote
                            ? `Delete ${choice.item.label} on the remote`
                            : `Delete ${choice.item.label}`
                        }
                        onClick={() => void remove(choice.item)}
                        testId="branch-delete"
                      >
                        <Trash2 size={13} />
                      </IconButton>
                    </span>
                  ) : null}
                </div>
              ) : (
                <div
                  id={`branch-option-${index}`}
                  role="option"
                  aria-selected={index === active}
                  data-index={index}
                  data-testid={`branch-${choice.kind}`}
                  className={`palette-item branch-item${activeClass}`}
                  onMouseMove={() => setActive(index)}
                  onClick={() => choose(choice)}
                >
                  {choice.kind === 'create' ? (
                    <GitBranchPlus size={14} className="branch-icon" aria-hidden="true" />
                  ) : (
                    <GitBranch size={14} className="branch-icon" aria-hidden="true" />
                  )}
                  <span className="palette-name">
                    {choice.kind === 'create' ? 'Create branch' : 'Check out'} <strong>{choice.name}</strong>
                  </span>
                  <span className="palette-path">
                    {choice.kind === 'create'
                      ? `from ${current || 'HEAD'}, and switch to it`
                      : 'as git resolves the name'}
                  </span>
                </div>
              )}
            </div>
          );
        })}
        {branches && choices.length === 0 ? <div className="palette-empty">No branches.</div> : null}
      </div>
      <div className="palette-footer">
        <span>
          <kbd>↑</kbd>
          <kbd>↓</kbd> choose
        </span>
        <span>
          <kbd>↵</kbd> check out
        </span>
        <span>
          <kbd>⇧</kbd>
          <kbd>Del</kbd> delete
        </span>
      </div>
    </div>
  );
}
