/**
 * The log: one row per commit (subject, refs, author, when); Enter or → expands a commit to the
 * files it changed with their stats (`get_commit_files`), ← collapses it.
 */
import type { CommitFileEntry, GitLogEntry } from '@chamber/contract';
import { ChevronRight, LoaderCircle } from 'lucide-react';
import { useEffect, useMemo } from 'react';
import { formatRelativeTime } from '../lib/format.js';
import { basename, dirname } from '../lib/paths.js';
import { DiffStat, letterClass } from './ChangesView.js';
import { describeLetter, refLabels } from './git-model.js';
import { useGit, type CommitFiles } from './git-store.js';
import { listKeyDown, useKeyList } from './list-keys.js';

type HistoryRow =
  | { kind: 'commit'; entry: GitLogEntry; open: boolean }
  | { kind: 'loading'; hash: string }
  | { kind: 'file'; hash: string; file: CommitFileEntry }
  | { kind: 'none'; hash: string };

export function historyRows(log: GitLogEntry[], commitFiles: Record<string, CommitFiles>): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const entry of log) {
    const files = commitFiles[entry.hash];
    rows.push({ kind: 'commit', entry, open: files !== undefined });
    if (!files) continue;
    if (files.status === 'loading') rows.push({ kind: 'loading', hash: entry.hash });
    else if (files.files.length === 0) rows.push({ kind: 'none', hash: entry.hash });
    else for (const file of files.files) rows.push({ kind: 'file', hash: entry.hash, file });
  }
  return rows;
}

export function HistoryTab() {
  const log = useGit((state) => state.log);
  const commitFiles = useGit((state) => state.commitFiles);
  const head = useGit((state) => state.status?.current);
  useEffect(() => {
    void useGit.getState().loadHistory();
  }, [head]);

  const rows = useMemo(() => historyRows(log ?? [], commitFiles), [log, commitFiles]);
  const { active, setActive, listProps } = useKeyList(rows.length, 'history');
  const toggle = (hash: string) => void useGit.getState().toggleCommit(hash);
  const commitOf = (index: number) => {
    const row = rows[index];
    return row ? (row.kind === 'commit' ? row.entry.hash : row.hash) : null;
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

  return (
    <div
      {...listProps}
      className="git-tab git-list git-history"
      role="tree"
      aria-label="History"
      data-testid="history-list"
      onKeyDown={listKeyDown({
        count: rows.length,
        active,
        setActive,
        onEnter: (index) => {
          const hash = commitOf(index);
          if (hash && rows[index]?.kind === 'commit') toggle(hash);
        },
        onRight: (index) => {
          const row = rows[index];
          if (row?.kind === 'commit' && !row.open) toggle(row.entry.hash);
          else if (row?.kind === 'commit') setActive(Math.min(index + 1, rows.length - 1));
        },
        onLeft: (index) => {
          const row = rows[index];
          if (row?.kind === 'commit') {
            if (row.open) toggle(row.entry.hash);
            return;
          }
          // From a file to its commit.
          const parent = rows.findIndex((r) => r.kind === 'commit' && r.entry.hash === commitOf(index));
          if (parent >= 0) setActive(parent);
        },
      })}
    >
      {rows.map((row, index) => {
        const common = {
          id: `history-${index}`,
          'data-index': index,
          className: `git-row${index === active ? ' is-active' : ''}`,
        };
        if (row.kind === 'commit') {
          const { entry } = row;
          const time = Date.parse(entry.date);
          return (
            <div
              key={entry.hash}
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
                <span
                  className="commit-subject"
                  title={entry.body ? `${entry.message}\n\n${entry.body}` : entry.message}
                >
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
        if (row.kind === 'file') {
          const folder = dirname(row.file.path);
          return (
            <div
              key={`${row.hash}:${row.file.path}`}
              {...common}
              className={`${common.className} commit-file`}
              role="treeitem"
              aria-level={2}
              data-path={row.file.path}
              data-testid="commit-file"
              onClick={() => setActive(index)}
              title={`${describeLetter(row.file.changeType)} ${row.file.path}`}
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
          <div
            key={`${row.hash}:${row.kind}`}
            {...common}
            className={`${common.className} commit-file is-note`}
            role="treeitem"
            aria-level={2}
          >
            {row.kind === 'loading' ? (
              <>
                <LoaderCircle size={12} className="spin" aria-hidden="true" /> Listing files…
              </>
            ) : (
              'No file changes (a merge commit)'
            )}
          </div>
        );
      })}
    </div>
  );
}
