/**
 * Quick-open (Ctrl/Cmd+P): results as you type from `search_files` (the runtime ranks them), the
 * matched characters highlighted, ↑/↓ to move, Enter to open the file (and reveal it in the tree).
 * Answers that arrive after a newer query was sent are dropped.
 */
import type { FsSearchHit } from '@chamber/contract';
import { Search } from 'lucide-react';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Dialog } from '../components/Dialog.js';
import { highlightHit, splitByRanges, type Range } from '../lib/fuzzy-highlight.js';
import { attemptOutcome } from '../state/runtime.js';
import { EntryIcon } from './FileIcon.js';

const RESULT_LIMIT = 50;
const DEBOUNCE_MS = 60;

interface QuickOpenProps {
  open: boolean;
  directory: string;
  onClose(): void;
  /** `line`: the query ended in `:<line>` (`app.ts:120`), so the file opens at that line. */
  onChoose(hit: FsSearchHit, line?: number): void;
}

/** `name:120` → the name to search and the line to open at, as editors' quick-open reads it. */
export function splitLineSuffix(query: string): { name: string; line?: number } {
  const match = /^(.*?):(\d{1,9})$/.exec(query.trim());
  if (!match || !match[1]) return { name: query };
  return { name: match[1], line: Number(match[2]) };
}

export function QuickOpen({ open, directory, onClose, onChoose }: QuickOpenProps) {
  return (
    <Dialog open={open} onClose={onClose} label="Quick open" className="dialog-palette">
      <QuickOpenBody directory={directory} onClose={onClose} onChoose={onChoose} />
    </Dialog>
  );
}

function QuickOpenBody({ directory, onClose, onChoose }: Omit<QuickOpenProps, 'open'>) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<FsSearchHit[]>([]);
  const [answered, setAnswered] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const [failed, setFailed] = useState<string | null>(null);
  const sequence = useRef(0);
  const listRef = useRef<HTMLUListElement>(null);

  const { name: searched, line } = splitLineSuffix(query);

  useEffect(() => {
    const id = ++sequence.current;
    const timer = setTimeout(async () => {
      const outcome = await attemptOutcome('Searching files', (apis) =>
        apis.files.searchFiles({ directory, query: searched, limit: RESULT_LIMIT }),
      );
      if (id !== sequence.current) return;
      if (outcome.ok) {
        setHits(outcome.value.files);
        setFailed(null);
      } else {
        setHits([]);
        setFailed(outcome.message);
      }
      setAnswered(searched);
      setActive(0);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [directory, searched]);

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const count = hits.length;
    if (event.key === 'ArrowDown' || (event.key === 'n' && event.ctrlKey)) {
      setActive((index) => (count ? (index + 1) % count : 0));
    } else if (event.key === 'ArrowUp' || (event.key === 'p' && event.ctrlKey)) {
      setActive((index) => (count ? (index - 1 + count) % count : 0));
    } else if (event.key === 'PageDown') {
      setActive((index) => Math.min(count - 1, index + 8));
    } else if (event.key === 'PageUp') {
      setActive((index) => Math.max(0, index - 8));
    } else if (event.key === 'Enter') {
      const hit = hits[active];
      if (hit) onChoose(hit, line);
    } else return;
    event.preventDefault();
  }

  const pending = answered !== searched;
  const shown = answered ?? '';
  return (
    <div className="palette">
      <div className="palette-input">
        <Search size={16} aria-hidden="true" />
        <input
          data-autofocus
          role="combobox"
          aria-expanded="true"
          aria-controls="quick-open-results"
          aria-activedescendant={hits[active] ? `quick-open-${active}` : undefined}
          aria-label="Search files by name"
          placeholder="Search files by name (name:line opens at a line)…"
          spellCheck={false}
          autoComplete="off"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          data-testid="quick-open-input"
        />
        {pending ? <span className="palette-busy" aria-hidden="true" /> : null}
      </div>
      <ul id="quick-open-results" ref={listRef} role="listbox" aria-label="Matching files" className="palette-list">
        {hits.map((hit, index) => {
          const marked = highlightHit(hit.relativePath || hit.name, shown);
          return (
            <li
              key={hit.path}
              id={`quick-open-${index}`}
              data-index={index}
              role="option"
              aria-selected={index === active}
              className={`palette-item${index === active ? ' is-active' : ''}`}
              onMouseMove={() => setActive(index)}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => onChoose(hit, line)}
              data-testid="quick-open-item"
              data-path={hit.path}
            >
              <EntryIcon name={hit.name} isDirectory={false} size={15} />
              <span className="palette-name">
                <Marked text={marked.name} ranges={marked.nameRanges} />
              </span>
              <span className="palette-path">
                <Marked text={marked.directory} ranges={marked.directoryRanges} />
              </span>
            </li>
          );
        })}
      </ul>
      {answered !== null && hits.length === 0 ? (
        <div className="palette-empty">{failed ? failed : `No files match “${shown}”`}</div>
      ) : null}
      <div className="palette-footer">
        <span>
          <kbd>↑</kbd>
          <kbd>↓</kbd> move
        </span>
        <span>
          <kbd>Enter</kbd> {line ? `open at line ${line}` : 'open'}
        </span>
        <span>
          <kbd>:</kbd> line
        </span>
        <span>
          <kbd>Esc</kbd> close
        </span>
        <span className="palette-count">
          {answered !== null ? `${hits.length}${hits.length === RESULT_LIMIT ? '+' : ''} files` : ''}
        </span>
        <button type="button" className="visually-hidden" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function Marked({ text, ranges }: { text: string; ranges: readonly Range[] }) {
  return (
    <>
      {splitByRanges(text, ranges).map((piece, index) =>
        piece.match ? <mark key={index}>{piece.text}</mark> : <span key={index}>{piece.text}</span>,
      )}
    </>
  );
}
