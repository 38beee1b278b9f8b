/**
 * The repository's worktrees: the main one first, then linked ones, each openable as the
 * workspace and (linked ones) removable after a confirmation; a form adds one for a branch.
 */
import { FolderOpen, Plus, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { IconButton } from '../components/IconButton.js';
import { displayPath } from '../lib/paths.js';
import { useWorkspace } from '../state/workspace.js';
import { confirmAction } from './confirm.js';
import { branchSlug, shortRef } from './git-model.js';
import { useGit } from './git-store.js';
import { useKeyList } from './list-keys.js';

export function WorktreesTab() {
  const worktrees = useGit((state) => state.worktrees);
  const directory = useGit((state) => state.directory);
  const home = useWorkspace((state) => state.home);

  useEffect(() => {
    void useGit.getState().loadWorktrees();
  }, [directory]);

  const list = worktrees ?? [];
  const { active, setActive, listProps, onKeyDown } = useKeyList(list, 'worktree');
  const open = (path: string) => void useWorkspace.getState().open(path);
  async function remove(path: string) {
    const yes = await confirmAction({
      title: 'Remove worktree',
      message: `Remove the worktree at ${displayPath(path, home)}? Its folder is deleted; the branch stays.`,
      confirmLabel: 'Remove',
    });
    if (!yes) return;
    const first = await useGit.getState().removeWorktree(path, false);
    if (first.ok || !first.message?.includes('--force')) return;
    const force = await confirmAction({
      title: 'Remove anyway?',
      message: 'The worktree has changes that are not committed. Removing it loses them.',
      detail: first.message,
      confirmLabel: 'Remove with its changes',
    });
    if (force) await useGit.getState().removeWorktree(path, true);
  }

  return (
    <div className="git-tab git-worktrees">
      <div
        {...listProps}
        className="git-list"
        role="listbox"
        aria-label="Worktrees"
        data-testid="worktree-list"
        onKeyDown={onKeyDown({
          onEnter: (worktree) => {
            if (worktree.worktree !== directory) open(worktree.worktree);
          },
          // The first is the main worktree, which cannot be removed.
          onDelete: (worktree, index) => {
            if (index > 0) void remove(worktree.worktree);
          },
        })}
      >
        {list.map((worktree, index) => {
          const here = worktree.worktree === directory;
          return (
            <div
              key={worktree.worktree}
              id={`worktree-${index}`}
              role="option"
              aria-selected={here}
              data-index={index}
              data-path={worktree.worktree}
              data-testid="worktree-row"
              className={`git-row worktree-row${index === active ? ' is-active' : ''}`}
              onClick={() => setActive(index)}
            >
              <span className="git-row-name">
                <span className="git-file">
                  {shortRef(worktree.branch) ?? `detached ${worktree.head?.slice(0, 7) ?? ''}`}
                  {index === 0 ? <span className="ref-badge">main worktree</span> : null}
                  {here ? <span className="ref-badge is-here">open</span> : null}
                </span>
                <span className="git-dir" title={worktree.worktree}>
                  <bdi>{displayPath(worktree.worktree, home)}</bdi>
                </span>
              </span>
              {!here ? (
                <IconButton
                  label={`Open ${worktree.worktree} as the workspace`}
                  onClick={() => open(worktree.worktree)}
                >
                  <FolderOpen size={14} />
                </IconButton>
              ) : null}
              {index > 0 ? (
                <IconButton
                  label={`Remove the worktree ${worktree.worktree}`}
                  onClick={() => void remove(worktree.worktree)}
                >
                  <Trash2 size={14} />
                </IconButton>
              ) : null}
            </div>
          );
        })}
      </div>
      <AddWorktree />
    </div>
  );
}

function AddWorktree() {
  const directory = useGit((state) => state.directory);
  const [branch, setBranch] = useState('');
  const [path, setPath] = useState('');
  const [createBranch, setCreateBranch] = useState(true);
  const [busy, setBusy] = useState(false);
  const suggested = directory && branch.trim() ? `${directory}/.openchamber/${branchSlug(branch)}` : '';

  async function add() {
    const target = path.trim() || suggested;
    if (!branch.trim() || !target) return;
    setBusy(true);
    try {
      if (await useGit.getState().addWorktree(target, branch.trim(), createBranch)) {
        setBranch('');
        setPath('');
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="worktree-form"
      onSubmit={(event) => {
        event.preventDefault();
        void add();
      }}
      data-testid="worktree-form"
    >
      <h3>Add a worktree</h3>
      <input
        className="input"
        placeholder="Branch"
        aria-label="Branch of the new worktree"
        value={branch}
        onChange={(event) => setBranch(event.target.value)}
        data-testid="worktree-branch"
      />
      <input
        className="input mono"
        placeholder={suggested || 'Folder (default: .openchamber/<branch>)'}
        aria-label="Folder of the new worktree"
        value={path}
        onChange={(event) => setPath(event.target.value)}
        data-testid="worktree-path"
      />
      <div className="worktree-form-row">
        <label className="git-check-label">
          <input type="checkbox" checked={createBranch} onChange={(event) => setCreateBranch(event.target.checked)} />
          Create the branch
        </label>
        <span className="spacer" />
        <button type="submit" className="button" disabled={busy || !branch.trim()} data-testid="worktree-add">
          <Plus size={14} aria-hidden="true" /> Add
        </button>
      </div>
    </form>
  );
}
