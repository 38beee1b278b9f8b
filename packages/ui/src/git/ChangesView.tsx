/**
 * The sidebar's source-control view: branch and sync bar (fetch, pull, push with live progress),
 * then three tabs: Changes (commit box, identity, changed files with stats), History (the log,
 * each commit expandable to its files) and Worktrees, each in its own file (`ChangesTab.tsx`,
 * `HistoryTab.tsx`, `WorktreesTab.tsx`; the bar is `SyncBar.tsx`).
 */
import { FolderGit2, LoaderCircle, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { IconButton } from '../components/IconButton.js';
import { Segmented } from '../components/Segmented.js';
import { basename } from '../lib/paths.js';
import { BranchDialog } from './BranchDialog.js';
import { ChangesTab } from './ChangesTab.js';
import { ConfirmHost } from './confirm.js';
import { useGit } from './git-store.js';
import { HistoryTab } from './HistoryTab.js';
import { SyncBar } from './SyncBar.js';
import { WorktreesTab } from './WorktreesTab.js';

type Tab = 'changes' | 'history' | 'worktrees';

export function ChangesView() {
  const repo = useGit((state) => state.repo);
  const directory = useGit((state) => state.directory);
  const entries = useGit((state) => state.entries);
  const [tab, setTab] = useState<Tab>('changes');
  const [branchesOpen, setBranchesOpen] = useState(false);

  return (
    <div className="git-view" data-testid="changes-view">
      <div className="sidebar-header">
        <h2>Source control</h2>
        <span className="spacer" />
        <IconButton label="Refresh" onClick={() => void useGit.getState().refreshAll()} testId="git-refresh">
          <RefreshCw size={14} />
        </IconButton>
      </div>
      {repo === 'no' ? (
        <div className="placeholder" data-testid="git-not-a-repo">
          <FolderGit2 size={22} aria-hidden="true" />
          <h3>Not a git repository</h3>
          <p>
            {directory ? basename(directory) : 'This folder'} has no <code>.git</code>. Open a repository&apos;s top
            folder to see its changes, branches and history.
          </p>
        </div>
      ) : repo === 'unknown' ? (
        <div className="git-loading" aria-busy="true">
          <LoaderCircle size={16} className="spin" aria-hidden="true" /> Reading the repository…
        </div>
      ) : (
        <>
          <SyncBar onBranches={() => setBranchesOpen(true)} />
          <div className="git-tabs">
            <Segmented<Tab>
              label="Source control view"
              value={tab}
              onChange={setTab}
              testId="git-tabs"
              options={[
                {
                  value: 'changes',
                  label: (
                    <>
                      Changes
                      {entries.length ? <span className="tab-count">{entries.length}</span> : null}
                    </>
                  ),
                },
                { value: 'history', label: 'History' },
                { value: 'worktrees', label: 'Worktrees' },
              ]}
            />
          </div>
          {tab === 'changes' ? <ChangesTab /> : tab === 'history' ? <HistoryTab /> : <WorktreesTab />}
          <BranchDialog open={branchesOpen} onClose={() => setBranchesOpen(false)} />
        </>
      )}
      <ConfirmHost />
    </div>
  );
}
