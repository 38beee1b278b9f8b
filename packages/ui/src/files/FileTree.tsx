/**
 * The workspace's file tree: lazy (a directory is listed when first expanded), virtualised (only
 * the rows in view are in the DOM, so 10k entries in one directory scroll like 10) and driven by
 * the keyboard as an ARIA tree: arrows, Home/End, PageUp/PageDown, Enter and type-ahead.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { ChevronRight, CircleExclamationPoint, Link2, LoaderCircle } from 'lucide-react';
import { useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { dirname } from '../lib/paths.js';
import { useSettings } from '../state/settings.js';
import { typographyFromSettings } from '../lib/typography.js';
import { describeLetter, letterClass, treeStatus } from '../git/git-model.js';
import { useGit } from '../git/git-store.js';
import { EntryIcon } from './FileIcon.js';
import { findByPrefix, flattenTree, rowIndexOf, type TreeRow } from './tree-model.js';
import { useTree } from './tree-store.js';

const INDENT_PX = 14;
const TYPE_AHEAD_RESET_MS = 700;

/** Row height follows the interface font size so larger text never clips. */
export function useRowHeight(): number {
  const uiLabel = useSettings((state) => (state.settings ? typographyFromSettings(state.settings).uiLabel : 13));
  return Math.round(uiLabel * 1.7 + 2);
}

function nextEntry(rows: readonly TreeRow[], from: number, step: number): number {
  for (let index = from + step; index >= 0 && index < rows.length; index += step) {
    if (rows[index]?.kind === 'entry') return index;
  }
  return -1;
}

export function FileTree({ treeRef }: { treeRef?: React.RefObject<HTMLDivElement | null> }) {
  const root = useTree((state) => state.root);
  const directories = useTree((state) => state.directories);
  const expanded = useTree((state) => state.expanded);
  const selected = useTree((state) => state.selected);
  const revealSeq = useTree((state) => state.revealSeq);
  const { select, toggle, expand, collapse } = useTree.getState();

  const rows = useMemo(() => (root ? flattenTree(root, directories, expanded) : []), [root, directories, expanded]);
  const gitDirectory = useGit((state) => state.directory);
  const changes = useGit((state) => state.entries);
  const marks = useMemo(
    () => (gitDirectory && gitDirectory === root ? treeStatus(gitDirectory, changes) : new Map<string, string>()),
    [gitDirectory, root, changes],
  );
  const rowHeight = useRowHeight();
  const ownRef = useRef<HTMLDivElement>(null);
  const scrollRef = treeRef ?? ownRef;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const typeAhead = useRef({ text: '', at: 0 });

  useEffect(() => virtualizer.measure(), [virtualizer, rowHeight]);

  const selectedIndex = selected ? rowIndexOf(rows, selected) : -1;

  useEffect(() => {
    if (revealSeq === 0) return;
    const index = selected ? rowIndexOf(rows, selected) : -1;
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'center' });
    // Only a new reveal scrolls; later renders keep the person's scroll position.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealSeq]);

  function moveTo(index: number) {
    const row = rows[index];
    if (row?.kind !== 'entry') return;
    select(row.entry.path);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    const current = selectedIndex;
    const row = current >= 0 ? rows[current] : undefined;
    const entry = row?.kind === 'entry' ? row : undefined;
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(current < 0 ? nextEntry(rows, -1, 1) : nextEntry(rows, current, 1));
        break;
      case 'ArrowUp':
        moveTo(current < 0 ? nextEntry(rows, -1, 1) : nextEntry(rows, current, -1));
        break;
      case 'Home':
        moveTo(nextEntry(rows, -1, 1));
        break;
      case 'End':
        moveTo(nextEntry(rows, rows.length, -1));
        break;
      case 'PageDown':
        moveTo(nextEntry(rows, Math.min(rows.length - 1, Math.max(current, 0) + page) - 1, 1));
        break;
      case 'PageUp':
        moveTo(nextEntry(rows, Math.max(0, current - page) + 1, -1));
        break;
      case 'ArrowRight':
        if (entry?.entry.isDirectory) {
          if (!entry.expanded) expand(entry.entry.path);
          else if (rows[current + 1]?.kind === 'entry') moveTo(current + 1);
        }
        break;
      case 'ArrowLeft':
        if (entry?.entry.isDirectory && entry.expanded) collapse(entry.entry.path);
        else if (entry) {
          const parent = dirname(entry.entry.path);
          if (parent && parent !== root) moveTo(rowIndexOf(rows, parent));
        }
        break;
      case 'Enter':
      case ' ':
        if (entry?.entry.isDirectory) toggle(entry.entry.path);
        else if (current < 0) moveTo(nextEntry(rows, -1, 1));
        break;
      default:
        if (event.key.length === 1 && event.key !== ' ') {
          const now = Date.now();
          const state = typeAhead.current;
          state.text = now - state.at > TYPE_AHEAD_RESET_MS ? event.key : state.text + event.key;
          state.at = now;
          // A fresh prefix searches from the next row; a growing one may stay on the current row.
          const from = state.text.length === 1 ? current + 1 : Math.max(current, 0);
          const found = findByPrefix(rows, state.text, from);
          if (found >= 0) moveTo(found);
        } else handled = false;
    }
    if (handled) event.preventDefault();
  }

  const activeId = selectedIndex >= 0 ? `tree-row-${selectedIndex}` : undefined;

  return (
    <div
      ref={scrollRef}
      className="tree"
      role="tree"
      aria-label="Files"
      tabIndex={0}
      aria-activedescendant={activeId}
      onKeyDown={onKeyDown}
      data-testid="file-tree"
      style={{ '--row-height': `${rowHeight}px` } as React.CSSProperties}
    >
      <div className="tree-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index] as TreeRow;
          return (
            <div
              key={row.key}
              className="tree-row-slot"
              style={{ transform: `translateY(${item.start}px)`, height: item.size }}
            >
              <Row
                row={row}
                id={`tree-row-${item.index}`}
                selected={item.index === selectedIndex}
                mark={row.kind === 'entry' ? marks.get(row.entry.path) : undefined}
                onActivate={(path, isDirectory) => {
                  select(path);
                  if (isDirectory) toggle(path);
                }}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}

function Guides({ depth }: { depth: number }) {
  if (depth === 0) return null;
  return (
    <>
      {Array.from({ length: depth }, (_, level) => (
        <span key={level} className="tree-guide" style={{ left: 15 + level * INDENT_PX }} aria-hidden="true" />
      ))}
    </>
  );
}

function Row({
  row,
  id,
  selected,
  mark,
  onActivate,
}: {
  row: TreeRow;
  id: string;
  selected: boolean;
  /** The git status letter of a changed file, or 'dir' for a folder holding changes. */
  mark?: string;
  onActivate(path: string, isDirectory: boolean): void;
}) {
  const indent = { paddingLeft: 8 + row.depth * INDENT_PX };
  if (row.kind !== 'entry') {
    return (
      <div className={`tree-row tree-row-${row.kind}`} style={indent} role="none">
        <Guides depth={row.depth} />
        <span className="tree-twisty" aria-hidden="true" />
        {row.kind === 'loading' ? (
          <>
            <LoaderCircle size={14} className="spin" aria-hidden="true" /> <span>Loading…</span>
          </>
        ) : row.kind === 'empty' ? (
          <span>Empty folder</span>
        ) : (
          <>
            <CircleExclamationPoint size={14} aria-hidden="true" /> <span title={row.message}>{row.message}</span>
          </>
        )}
      </div>
    );
  }
  const { entry, expanded } = row;
  const hidden = entry.name.startsWith('.');
  return (
    <div
      id={id}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-selected={selected}
      aria-expanded={entry.isDirectory ? expanded : undefined}
      className={`tree-row${selected ? ' is-selected' : ''}${hidden ? ' is-hidden' : ''}${mark ? ` git-${mark === 'dir' ? 'holds' : letterClass(mark)}` : ''}`}
      style={indent}
      data-path={entry.path}
      title={entry.path}
      onMouseDown={(event) => event.preventDefault() /* keep focus on the tree, not the row */}
      onClick={(event) => {
        (event.currentTarget.closest('[role=tree]') as HTMLElement | null)?.focus();
        onActivate(entry.path, entry.isDirectory);
      }}
    >
      <Guides depth={row.depth} />
      <span className={`tree-twisty${expanded ? ' is-open' : ''}`} aria-hidden="true">
        {entry.isDirectory ? <ChevronRight size={14} /> : null}
      </span>
      <EntryIcon name={entry.name} isDirectory={entry.isDirectory} open={expanded} size={15} />
      <span className="tree-name">{entry.name}</span>
      {entry.isSymbolicLink ? <Link2 size={12} className="tree-link" aria-label="symbolic link" /> : null}
      {mark === 'dir' ? (
        <span className="tree-git-dot" title="Holds changes" data-testid="tree-git-mark" data-mark="dir" />
      ) : mark ? (
        <span
          className={`git-letter letter-${letterClass(mark)} tree-git`}
          title={describeLetter(mark)}
          data-testid="tree-git-mark"
          data-mark={mark}
        >
          {mark}
        </span>
      ) : null}
    </div>
  );
}
