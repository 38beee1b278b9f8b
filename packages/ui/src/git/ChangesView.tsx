/**
 * The sidebar's source-control view: branch and sync bar (fetch, pull, push with live progress),
 * then three tabs: Changes (commit box, identity, changed files with stats), History (the log,
 * each commit expandable to its files) and Worktrees.
 */
import {
  ArrowDown,
  ArrowDownToLine,
  ArrowUp,
  ArrowUpFromLine,
  FolderGit2,
  GitBranch,
  LoaderCircle,
  RefreshCw,
  Sparkles,
  Undo2,
} from 'lucide-react';
import { useEffect, useState } from 'react';
import { IconButton } from '../components/IconButton.js';
import { Segmented } from '../components/Segmented.js';
import { matchesShortcut } from '../lib/keyboard.js';
import { basename, dirname } from '../lib/paths.js';
import { IS_MAC } from '../lib/platform.js';
import { BranchDialog } from './BranchDialog.js';
import { ConfirmHost } from './confirm.js';
import { describeLetter, operationVerb, progressText, type ChangeEntry } from './git-model.js';
import { useGit, type RemoteOperation } from './git-store.js';
import { HistoryTab } from './HistoryTab.js';
import { listKeyDown, useKeyList } from './list-keys.js';
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

function SyncBar({ onBranches }: { onBranches(): void }) {
  const status = useGit((state) => state.status);
  const operation = useGit((state) => state.operation);
  const progress = useGit((state) => state.progress);
  const run = (op: RemoteOperation) => void useGit.getState().remote(op);
  const branch = status?.current ?? '…';

  return (
    <div className="git-sync">
      <div className="git-sync-row">
        <button
          type="button"
          className="button branch-button"
          onClick={onBranches}
          title={`${branch}${status?.tracking ? ` → ${status.tracking}` : ''} — switch branch`}
          data-testid="branch-button"
        >
          <GitBranch size={14} aria-hidden="true" />
          <span className="branch-name" data-testid="current-branch">
            {branch}
          </span>
          {status && (status.ahead > 0 || status.behind > 0) ? (
            <span className="branch-track" aria-label={`${status.ahead} ahead, ${status.behind} behind`}>
              {status.ahead > 0 ? (
                <span>
                  <ArrowUp size={11} aria-hidden="true" />
                  {status.ahead}
                </span>
              ) : null}
              {status.behind > 0 ? (
                <span>
                  <ArrowDown size={11} aria-hidden="true" />
                  {status.behind}
                </span>
              ) : null}
            </span>
          ) : null}
        </button>
        <SyncButton op="fetch" label="Fetch" running={operation} onRun={run}>
          <RefreshCw size={14} />
        </SyncButton>
        <SyncButton op="pull" label="Pull" running={operation} onRun={run}>
          <ArrowDownToLine size={14} />
        </SyncButton>
        <SyncButton op="push" label="Push" running={operation} onRun={run}>
          <ArrowUpFromLine size={14} />
        </SyncButton>
      </div>
      {operation ? (
        <div className="git-progress" role="status" data-testid="git-progress">
          <div className="git-progress-text">
            <LoaderCircle size={12} className="spin" aria-hidden="true" />
            <strong>{operationVerb(operation)}</strong>
            <span data-testid="git-progress-phase">{progress ? progressText(progress) : 'Starting…'}</span>
          </div>
          <div className="git-progress-track" aria-hidden="true">
            <div
              className={`git-progress-bar${progress?.percent == null ? ' is-indeterminate' : ''}`}
              style={progress?.percent != null ? { width: `${progress.percent}%` } : undefined}
            />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function SyncButton({
  op,
  label,
  running,
  onRun,
  children,
}: {
  op: RemoteOperation;
  label: string;
  running: RemoteOperation | null;
  onRun(op: RemoteOperation): void;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      className={`icon-button${running === op ? ' is-running' : ''}`}
      aria-label={label}
      title={label}
      disabled={running !== null}
      onClick={() => onRun(op)}
      data-testid={`git-${op}`}
    >
      {running === op ? <LoaderCircle size={14} className="spin" /> : children}
    </button>
  );
}

function ChangesTab() {
  const loaded = useGit((state) => state.status !== null);
  const entries = useGit((state) => state.entries);
  const chosen = useGit((state) => state.chosen);
  const diff = useGit((state) => state.diff);
  const { active, setActive, listProps } = useKeyList(entries.length, 'change');
  const { toggle, chooseAll, openDiff, discard, discardAll } = useGit.getState();

  const count = entries.filter((entry) => chosen.has(entry.path)).length;
  const all = entries.length > 0 && count === entries.length;

  return (
    <div className="git-tab git-changes">
      <CommitBox count={count} />
      {!loaded ? (
        <div className="git-loading" aria-busy="true">
          <LoaderCircle size={16} className="spin" aria-hidden="true" /> Reading the status…
        </div>
      ) : entries.length === 0 ? (
        <div className="git-empty" data-testid="git-clean">
          Nothing to commit: the working tree is clean.
        </div>
      ) : (
        <>
          <div className="git-list-header">
            <label className="git-check">
              <input
                type="checkbox"
                checked={all}
                ref={(input) => {
                  if (input) input.indeterminate = count > 0 && !all;
                }}
                onChange={() => chooseAll(!all)}
                aria-label="Select all changes"
                data-testid="select-all"
              />
            </label>
            <span>{count === entries.length ? 'All changes' : `${count} of ${entries.length} chosen`}</span>
            <span className="spacer" />
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => void discardAll()}
              title="Discard every change in the working tree (asks first)"
              data-testid="discard-all"
            >
              <Undo2 size={13} aria-hidden="true" /> Discard all
            </button>
          </div>
          <div
            {...listProps}
            className="git-list"
            role="listbox"
            aria-label="Changed files"
            data-testid="changes-list"
            onKeyDown={listKeyDown({
              count: entries.length,
              active,
              setActive: (index) => {
                setActive(index);
                const entry = entries[index];
                if (entry) void openDiff(entry.path);
              },
              onEnter: (index) => {
                const entry = entries[index];
                if (entry) void openDiff(entry.path);
              },
              onSpace: (index) => {
                const entry = entries[index];
                if (entry) toggle(entry.path);
              },
              onDelete: (index) => {
                const entry = entries[index];
                if (entry) void discard(entry.path);
              },
            })}
          >
            {entries.map((entry, index) => (
              <ChangeRow
                key={entry.path}
                entry={entry}
                index={index}
                active={index === active}
                open={diff?.path === entry.path}
                chosen={chosen.has(entry.path)}
                onOpen={() => {
                  setActive(index);
                  void openDiff(entry.path);
                }}
                onToggle={() => toggle(entry.path)}
                onDiscard={() => void discard(entry.path)}
              />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function ChangeRow({
  entry,
  index,
  active,
  open,
  chosen,
  onOpen,
  onToggle,
  onDiscard,
}: {
  entry: ChangeEntry;
  index: number;
  active: boolean;
  open: boolean;
  chosen: boolean;
  onOpen(): void;
  onToggle(): void;
  onDiscard(): void;
}) {
  const folder = dirname(entry.path);
  return (
    <div
      id={`change-${index}`}
      role="option"
      aria-selected={open}
      data-index={index}
      data-path={entry.path}
      data-testid="change-row"
      className={`git-row${active ? ' is-active' : ''}${open ? ' is-open' : ''}`}
      onClick={onOpen}
    >
      <input
        type="checkbox"
        tabIndex={-1}
        checked={chosen}
        onChange={onToggle}
        onClick={(event) => event.stopPropagation()}
        aria-label={`Commit ${entry.path}`}
        data-testid="change-check"
      />
      <span className="git-row-name" title={entry.path}>
        <span className="git-file">{basename(entry.path)}</span>
        {folder ? (
          <span className="git-dir">
            <bdi>{folder}</bdi>
          </span>
        ) : null}
      </span>
      <button
        type="button"
        tabIndex={-1}
        className="icon-button row-action"
        aria-label={`Discard changes to ${entry.path}`}
        title="Discard changes (Delete)"
        onClick={(event) => {
          event.stopPropagation();
          onDiscard();
        }}
        data-testid="discard-change"
      >
        <Undo2 size={13} />
      </button>
      <DiffStat insertions={entry.insertions} deletions={entry.deletions} />
      <span
        className={`git-letter letter-${letterClass(entry.letter)}`}
        title={`${describeLetter(entry.letter)} (index '${entry.index}', working tree '${entry.workingDir}')`}
        data-testid="change-letter"
      >
        {entry.letter}
      </span>
    </div>
  );
}

export function letterClass(letter: string): string {
  return letter === '!' ? 'conflict' : letter.toLowerCase();
}

export function DiffStat({ insertions, deletions }: { insertions: number; deletions: number }) {
  return (
    <span className="diff-stat" data-testid="diff-stat">
      <span className="stat-add">+{insertions}</span>
      <span className="stat-del">−{deletions}</span>
    </span>
  );
}

function CommitBox({ count }: { count: number }) {
  const message = useGit((state) => state.message);
  const generating = useGit((state) => state.generating);
  const committing = useGit((state) => state.committing);
  const { setMessage, commit, generateMessage } = useGit.getState();
  const shortcut = IS_MAC ? '⌘↵' : 'Ctrl+Enter';

  return (
    <div className="commit-box">
      <textarea
        className="input commit-message"
        value={message}
        placeholder={`Commit message (${shortcut} to commit)`}
        aria-label="Commit message"
        rows={3}
        onChange={(event) => setMessage(event.target.value)}
        onKeyDown={(event) => {
          if (matchesShortcut(event, 'mod+enter', IS_MAC)) {
            event.preventDefault();
            void commit();
          }
        }}
        data-testid="commit-message"
      />
      <div className="commit-actions">
        <button
          type="button"
          className="button button-ghost"
          onClick={() => void generateMessage()}
          disabled={generating || count === 0}
          title="Write the message with AI from the chosen files' diffs"
          data-testid="generate-message"
          aria-busy={generating}
        >
          {generating ? (
            <LoaderCircle size={14} className="spin" aria-hidden="true" />
          ) : (
            <Sparkles size={14} aria-hidden="true" />
          )}
          {generating ? 'Writing…' : 'Write with AI'}
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="button button-primary"
          onClick={() => void commit()}
          disabled={committing || count === 0 || !message.trim()}
          title={`Commit the chosen files (${shortcut})`}
          data-testid="commit-button"
        >
          {committing ? <LoaderCircle size={14} className="spin" aria-hidden="true" /> : null}
          Commit{count ? ` ${count} ${count === 1 ? 'file' : 'files'}` : ''}
        </button>
      </div>
      <IdentityRow />
    </div>
  );
}

function IdentityRow() {
  const identities = useGit((state) => state.identities);
  const identity = useGit((state) => state.identity);
  const directory = useGit((state) => state.directory);

  useEffect(() => {
    void useGit.getState().loadIdentities();
  }, [directory]);

  const who = identity?.userName ? `${identity.userName}${identity.userEmail ? ` <${identity.userEmail}>` : ''}` : null;
  return (
    <label className="identity-row" title="The identity commits in this repository are made with">
      <span className="identity-label">as</span>
      <select
        className="identity-select"
        value=""
        aria-label="Git identity"
        onChange={(event) => {
          if (event.target.value) void useGit.getState().applyIdentity(event.target.value);
        }}
        data-testid="identity-select"
      >
        <option value="">{who ?? 'No identity configured'}</option>
        {(identities ?? []).map((profile) => (
          <option key={profile.id} value={profile.id}>
            Use {profile.name || profile.userName} &lt;{profile.userEmail}&gt;
          </option>
        ))}
      </select>
    </label>
  );
}
