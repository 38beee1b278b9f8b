/**
 * The log: one row per commit (subject, refs, author, when); Enter or → expands a commit to its
 * details (full message, author, date, hash to copy) and the files it changed with their stats
 * (`get_commit_files`), ← collapses it; Enter or a click on a file shows its diff in that commit
 * (`get_commit_file_diff`). Rows are virtualised and measured, and the next page of the log loads
 * as the list nears its end, so a 10k-commit history scrolls like a short one.
 */
import type { CommitFileEntry, GitLogEntry } from '@chamber/contract';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ChevronRight, Copy, LoaderCircle } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import { IconButton } from '../components/IconButton.js';
import { MeasuredRows } from '../components/MeasuredRows.js';
import { copyText } from '../lib/clipboard.js';
import { formatRelativeTime } from '../lib/format.js';
import { basename, dirname } from '../lib/paths.js';
import { DiffStat } from './DiffStat.js';
import { describeLetter, letterClass, refLabels } from './git-model.js';
import { useGit, type CommitFiles } from './git-store.js';
import { useKeyList } from './list-keys.js';

type HistoryRow =
  | { kind: 'commit'; entry: GitLogEntry; open: boolean }
  | { kind: 'details'; entry: GitLogEntry }
  | { kind: 'loading'; hash: string }
  | { kind: 'file'; hash: string; file: CommitFileEntry }
  | { kind: 'none'; hash: string };

export function historyRows(log: GitLogEntry[], commitFiles: Record<string, CommitFiles>): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const entry of log) {
    const files = commitFiles[entry.hash];
    rows.push({ kind: 'commit', entry, open: files !== undefined });
    if (!files) continue;
    rows.push({ kind: 'details', entry });
    if (files.status === 'loading') rows.push({ kind: 'loading', hash: entry.hash });
    else if (files.files.length === 0) rows.push({ kind: 'none', hash: entry.hash });
    else for (const file of files.files) rows.push({ kind: 'file', hash: entry.hash, file });
  }
  return rows;
}

/** Rows left below the view when the next page is asked for. */
const LOAD_AHEAD_ROWS = 40;

export function HistoryTab() {
  const log = useGit((state) => state.log);
  const logComplete = useGit((state) => state.logComplete);
  const loadingMore = useGit((state) => state.loadingMore);
  const commitFiles = useGit((state) => state.commitFiles);
  const diff = useGit((state) => state.diff);
  const head = useGit((state) => state.status?.current);
  useEffect(() => {
    void useGit.getState().loadHistory();
  }, [head]);

  const rows = useMemo(() => historyRows(log ?? [], commitFiles), [log, commitFiles]);
  const { active, setActive, listProps, onKeyDown } = useKeyList(rows, 'history');
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => listProps.ref.current,
    estimateSize: (index) => (rows[index]?.kind === 'commit' ? 46 : rows[index]?.kind === 'details' ? 96 : 24),
    getItemKey: (index) => rowKey(rows[index]),
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (active >= 0 && active < rows.length) virtualizer.scrollToIndex(active, { align: 'auto' });
  }, [active, rows.length, virtualizer]);

  useEffect(() => {
    if (log && !logComplete && lastShown >= rows.length - LOAD_AHEAD_ROWS) void useGit.getState().loadMoreHistory();
  }, [log, logComplete, lastShown, rows.length]);

  const toggle = (hash: string) => void useGit.getState().toggleCommit(hash);
  const openFile = (hash: string, path: string) => void useGit.getState().openCommitDiff(hash, path);
  const commitOf = (index: number) => {
    const row = rows[index];
    return row ? (row.kind === 'commit' || row.kind === 'details' ? row.entry.hash : row.hash) : null;
  };

  if (!log) {
    return (
      <div className="git-loading" aria-busy="true">
        <LoaderCircle size={16} className="spin" aria-hidden="true" /> Reading the history…
      </div>
    );
  }
  if (log.length === 0) return <div className="git-empty">No commits yet.</div>;
  const now = Date.now();

  const renderRow = (row: HistoryRow, index: number) => {
    const common = { id: `history-${index}`, className: `git-row${index === active ? ' is-active' : ''}` };
    if (row.kind === 'commit') {
      const { entry } = row;
      const time = Date.parse(entry.date);
      return (
        <div
          {...common}
          className={`${common.className} commit-row`}
          role="treeitem"
          aria-expanded={row.open}
          aria-level={1}
          data-hash={entry.hash}
          data-testid="commit-row"
          onClick={() => {
            setActive(index);
            toggle(entry.hash);
          }}
        >
          <ChevronRight size={13} className={`tree-twisty${row.open ? ' is-open' : ''}`} aria-hidden="true" />
          <span className="commit-main">
            <span className="commit-subject" title={entry.body ? `${entry.message}\n\n${entry.body}` : entry.message}>
              {entry.message}
            </span>
            <span className="commit-meta">
              <code>{entry.hash.slice(0, 7)}</code> · {entry.author_name} ·{' '}
              <span title={new Date(time).toLocaleString()}>
                {Number.isFinite(time) ? formatRelativeTime(time, now) : entry.date}
              </span>
              {refLabels(entry.refs).map((ref) => (
                <span key={ref} className="ref-badge">
                  {ref}
                </span>
              ))}
            </span>
          </span>
        </div>
      );
    }
    if (row.kind === 'details') return <CommitDetails entry={row.entry} id={common.id} />;
    if (row.kind === 'file') {
      const folder = dirname(row.file.path);
      const open = diff?.commit?.hash === row.hash && diff.path === row.file.path;
      return (
        <div
          {...common}
          className={`${common.className} commit-file${open ? ' is-open' : ''}`}
          role="treeitem"
          aria-level={2}
          aria-selected={open}
          data-path={row.file.path}
          data-testid="commit-file"
          onClick={() => {
            setActive(index);
            openFile(row.hash, row.file.path);
          }}
          title={`${describeLetter(row.file.changeType)} ${row.file.path}: show its diff in this commit`}
        >
          <span className={`git-letter letter-${letterClass(row.file.changeType)}`}>{row.file.changeType}</span>
          <span className="git-row-name">
            <span className="git-file">{basename(row.file.path)}</span>
            {folder ? (
              <span className="git-dir">
                <bdi>{folder}</bdi>
              </span>
            ) : null}
          </span>
          {row.file.isBinary ? (
            <span className="diff-stat">binary</span>
          ) : (
            <DiffStat insertions={row.file.insertions} deletions={row.file.deletions} />
          )}
        </div>
      );
    }
    return (
      <div {...common} className={`${common.className} commit-file is-note`} role="treeitem" aria-level={2}>
        {row.kind === 'loading' ? (
          <>
            <LoaderCircle size={12} className="spin" aria-hidden="true" /> Listing files…
          </>
        ) : (
          'No file changes (a merge commit)'
        )}
      </div>
    );
  };

  return (
    <div
      {...listProps}
      className="git-tab git-list git-history"
      role="tree"
      aria-label="History"
      data-testid="history-list"
      onKeyDown={onKeyDown({
        onEnter: (row) => {
          if (row.kind === 'commit') toggle(row.entry.hash);
          else if (row.kind === 'file') openFile(row.hash, row.file.path);
        },
        onRight: (row, index) => {
          if (row.kind === 'commit' && !row.open) toggle(row.entry.hash);
          else if (row.kind === 'commit') setActive(Math.min(index + 1, rows.length - 1));
        },
        onLeft: (row, index) => {
          if (row.kind === 'commit') {
            if (row.open) toggle(row.entry.hash);
            return;
          }
          // From a file (or the details) to its commit.
          const parent = rows.findIndex((r) => r.kind === 'commit' && r.entry.hash === commitOf(index));
          if (parent >= 0) setActive(parent);
        },
      })}
    >
      <MeasuredRows
        virtualizer={virtualizer}
        rows={rows}
        className="history-inner"
        slotClassName="history-slot"
        slotRole="none"
        render={renderRow}
      />
      {loadingMore ? (
        <div className="git-loading history-more" aria-busy="true">
          <LoaderCircle size={14} className="spin" aria-hidden="true" /> Loading older commits…
        </div>
      ) : null}
    </div>
  );
}

function rowKey(row: HistoryRow | undefined): string {
  if (!row) return '';
  switch (row.kind) {
    case 'commit':
      return row.entry.hash;
    case 'details':
      return `${row.entry.hash}:details`;
    case 'file':
      return `${row.hash}:${row.file.path}`;
    default:
      return `${row.hash}:${row.kind}`;
  }
}

/** The whole commit: message with its body, author, exact date, the hash to copy. */
function CommitDetails({ entry, id }: { entry: GitLogEntry; id: string }) {
  const time = Date.parse(entry.date);
  const body = entry.body.trim();
  return (
    <div id={id} className="commit-details" role="treeitem" aria-level={2} data-testid="commit-details">
      <p className="commit-full-message" data-testid="commit-full-message">
        <strong>{entry.message}</strong>
        {body ? `\n\n${body}` : null}
      </p>
      <dl className="commit-facts">
        <dt>Author</dt>
        <dd>
          {entry.author_name} <span className="commit-email">&lt;{entry.author_email}&gt;</span>
        </dd>
        <dt>Date</dt>
        <dd data-testid="commit-date">{Number.isFinite(time) ? new Date(time).toLocaleString() : entry.date}</dd>
        <dt>Commit</dt>
        <dd className="commit-hash">
          <code data-testid="commit-hash">{entry.hash}</code>
          <IconButton
            label="Copy the commit hash"
            onClick={() => void copyText(entry.hash, 'Commit hash copied')}
            testId="copy-commit-hash"
          >
            <Copy size={13} />
          </IconButton>
        </dd>
      </dl>
    </div>
  );
}
