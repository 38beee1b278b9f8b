/**
 * The main area's diff of one changed file: unified or side by side (remembered per browser),
 * line numbers, added/removed colours, the runtime's truncation notice. Rows are virtualised and
 * measured (long lines wrap), so a multi-megabyte diff scrolls like a short one.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { Columns2, FileDiff, FileText, LoaderCircle, Rows3, TriangleAlert, X } from 'lucide-react';
import { useMemo, useRef, useState } from 'react';
import { IconButton } from '../components/IconButton.js';
import { MeasuredRows } from '../components/MeasuredRows.js';
import { Segmented } from '../components/Segmented.js';
import { useViewer } from '../files/viewer-store.js';
import { basename, dirname, joinPath } from '../lib/paths.js';
import { DiffStat } from './DiffStat.js';
import {
  parseUnifiedDiff,
  splitRows,
  unifiedRows,
  type DiffLine,
  type SplitRow,
  type UnifiedRow,
} from './diff-model.js';
import { describeLetter } from './git-model.js';
import { useGit } from './git-store.js';

type Layout = 'unified' | 'split';
const LAYOUT_KEY = 'chamber:diff-layout';

function savedLayout(): Layout {
  try {
    return localStorage.getItem(LAYOUT_KEY) === 'split' ? 'split' : 'unified';
  } catch {
    return 'unified';
  }
}

export function DiffViewer() {
  const diff = useGit((state) => state.diff);
  const directory = useGit((state) => state.directory);
  const entry = useGit((state) =>
    state.diff?.commit ? undefined : state.entries.find((e) => e.path === state.diff?.path),
  );
  const [layout, setLayout] = useState<Layout>(savedLayout);
  const parsed = useMemo(() => (diff?.text != null ? parseUnifiedDiff(diff.text) : null), [diff?.text]);
  if (!diff) return null;

  const chooseLayout = (next: Layout) => {
    setLayout(next);
    try {
      localStorage.setItem(LAYOUT_KEY, next);
    } catch {}
  };
  const folder = dirname(diff.path);

  return (
    <article className="diff-viewer" aria-label={`Diff of ${diff.path}`} data-testid="diff-viewer" data-layout={layout}>
      <header className="diff-header">
        <FileDiff size={16} aria-hidden="true" className="diff-header-icon" />
        <div className="diff-title">
          <h1 data-testid="diff-path">{basename(diff.path)}</h1>
          <span className="diff-subtitle">
            {folder ? <span className="mono">{folder}</span> : null}
            {diff.commit ? (
              <>
                <span>{describeLetter(diff.commit.changeType)}</span>
                <span data-testid="diff-commit" title={diff.commit.subject}>
                  in <code>{diff.commit.hash.slice(0, 7)}</code> {diff.commit.subject}
                </span>
              </>
            ) : (
              <>
                {entry ? <span>{describeLetter(entry.letter)}</span> : null}
                <span>{diff.staged ? 'staged' : 'working tree'}</span>
              </>
            )}
          </span>
        </div>
        {parsed ? <DiffStat insertions={parsed.additions} deletions={parsed.deletions} /> : null}
        <span className="spacer" />
        <Segmented
          label="Diff layout"
          value={layout}
          onChange={chooseLayout}
          testId="diff-layout"
          options={[
            {
              value: 'unified',
              label: (
                <>
                  <Rows3 size={13} aria-hidden="true" /> Unified
                </>
              ),
            },
            {
              value: 'split',
              label: (
                <>
                  <Columns2 size={13} aria-hidden="true" /> Side by side
                </>
              ),
            },
          ]}
        />
        {directory ? (
          <IconButton
            label="Open the file"
            title="Open the file as it is now"
            onClick={() => void useViewer.getState().openFile(joinPath(directory, diff.path))}
            testId="diff-open-file"
          >
            <FileText size={15} />
          </IconButton>
        ) : null}
        <IconButton label="Close the diff" onClick={() => useGit.getState().closeDiff()} testId="diff-close">
          <X size={16} />
        </IconButton>
      </header>
      {parsed?.truncated ? (
        <div className="diff-notice" role="note" data-testid="diff-truncated">
          <TriangleAlert size={14} aria-hidden="true" />
          {parsed.truncated}
        </div>
      ) : null}
      {!parsed ? (
        <div className="git-loading" aria-busy="true">
          <LoaderCircle size={16} className="spin" aria-hidden="true" /> Reading the diff…
        </div>
      ) : parsed.binary ? (
        <div className="diff-empty">Binary file: no text to compare.</div>
      ) : parsed.hunks.length === 0 ? (
        <div className="diff-empty">
          No textual changes to show{diff.commit ? ' in this commit' : diff.staged ? '' : ' in the working tree'}.
        </div>
      ) : layout === 'unified' ? (
        <DiffRows rows={unifiedRows(parsed)} render={renderUnified} />
      ) : (
        <DiffRows rows={splitRows(parsed)} render={renderSplit} />
      )}
    </article>
  );
}

const ROW_ESTIMATE = 20;

function DiffRows<R extends UnifiedRow | SplitRow>({ rows, render }: { rows: R[]; render(row: R): React.ReactNode }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    overscan: 20,
  });
  return (
    <div ref={scrollRef} className="diff-scroll" tabIndex={0} data-testid="diff-rows" aria-label="Diff lines">
      <MeasuredRows
        virtualizer={virtualizer}
        rows={rows}
        className="diff-inner"
        slotClassName="diff-slot"
        render={render}
      />
    </div>
  );
}

function HunkHeader({ header }: { header: string }) {
  return (
    <div className="diff-row diff-hunk" data-testid="diff-hunk">
      {header}
    </div>
  );
}

function Text({ line }: { line: DiffLine }) {
  return (
    <span className="diff-text">
      {line.text || ' '}
      {line.noNewline ? (
        <span className="diff-eof" title="No newline at end of file">
          ⏎̸
        </span>
      ) : null}
    </span>
  );
}

const SIGN = { add: '+', del: '−', context: ' ' } as const;

/** One row of a unified diff (also drawn by the chat for file edits). */
export function renderUnified(row: UnifiedRow) {
  if (row.type === 'hunk') return <HunkHeader header={row.hunk.header} />;
  const { line } = row;
  return (
    <div className={`diff-row diff-unified is-${line.kind}`} data-testid="diff-line" data-kind={line.kind}>
      <span className="diff-num" data-testid="diff-old-number">
        {line.oldNumber ?? ''}
      </span>
      <span className="diff-num" data-testid="diff-new-number">
        {line.newNumber ?? ''}
      </span>
      <span className="diff-sign" aria-hidden="true">
        {SIGN[line.kind]}
      </span>
      <Text line={line} />
    </div>
  );
}

function Side({ line, side }: { line: DiffLine | null; side: 'old' | 'new' }) {
  if (!line) return <div className="diff-side is-empty" aria-hidden="true" />;
  const kind = line.kind === 'context' ? 'context' : line.kind;
  return (
    <div className={`diff-side is-${kind}`} data-testid={`diff-${side}`} data-kind={kind}>
      <span className="diff-num">{side === 'old' ? line.oldNumber : line.newNumber}</span>
      <span className="diff-sign" aria-hidden="true">
        {SIGN[kind]}
      </span>
      <Text line={line} />
    </div>
  );
}

function renderSplit(row: SplitRow) {
  if (row.type === 'hunk') return <HunkHeader header={row.hunk.header} />;
  return (
    <div className="diff-row diff-split" data-testid="diff-pair">
      <Side line={row.left} side="old" />
      <Side line={row.right} side="new" />
    </div>
  );
}
