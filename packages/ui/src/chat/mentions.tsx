/**
 * `@` file mentions in the prompt box: typing `@` and a few letters asks the runtime's fuzzy
 * search (the same as quick-open), ↑/↓ choose, Enter or Tab insert `@relative/path`, Escape
 * closes. The files chosen are remembered so the prompt can attach them when sent.
 */
import type { FsSearchHit } from '@chamber/contract';
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject, type SyntheticEvent } from 'react';
import { EntryIcon } from '../files/FileIcon.js';
import { attemptOutcome } from '../state/runtime.js';
import { useWorkspace } from '../state/workspace.js';
import { insertMention, mentionAt, type MentionQuery } from './chat-model.js';

const LIMIT = 8;
const DEBOUNCE_MS = 60;

export interface MentionMenuProps {
  hits: FsSearchHit[];
  active: number;
  onChoose(hit: FsSearchHit): void;
}

export interface Mentions {
  menu: MentionMenuProps | null;
  /** True when the key was the menu's (the prompt box must not act on it). */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  onSelect(event: SyntheticEvent<HTMLTextAreaElement>): void;
  /** Files chosen from the menu, by the relative path inserted. */
  chosen: ReadonlyMap<string, FsSearchHit>;
}

export function useMentions(
  text: string,
  ref: RefObject<HTMLTextAreaElement | null>,
  setText: (text: string) => void,
): Mentions {
  const directory = useWorkspace((state) => state.directory);
  const [caret, setCaret] = useState(0);
  const [hits, setHits] = useState<FsSearchHit[]>([]);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const chosen = useRef(new Map<string, FsSearchHit>());
  const sequence = useRef(0);
  const mention: MentionQuery | null = mentionAt(text, caret);
  const query = mention && mention.start !== dismissed ? mention.query : null;

  useEffect(() => {
    const id = ++sequence.current;
    if (query === null || !directory) {
      setHits([]);
      return;
    }
    const timer = setTimeout(async () => {
      const outcome = await attemptOutcome('Searching files', (apis) =>
        apis.files.searchFiles({ directory, query, limit: LIMIT }),
      );
      if (id !== sequence.current) return;
      setHits(outcome.ok ? outcome.value.files : []);
      setActive(0);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [directory, query]);

  const open = query !== null && hits.length > 0;

  function choose(hit: FsSearchHit) {
    if (!mention) return;
    const next = insertMention(text, mention, caret, hit.relativePath);
    chosen.current.set(hit.relativePath, hit);
    setText(next.text);
    setCaret(next.caret);
    setHits([]);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(next.caret, next.caret);
    });
  }

  return {
    menu: open ? { hits, active, onChoose: choose } : null,
    chosen: chosen.current,
    onSelect(event) {
      setCaret(event.currentTarget.selectionStart);
    },
    onKeyDown(event) {
      // The caret moves with typing; keep it current for the next render's query.
      requestAnimationFrame(() => {
        if (ref.current) setCaret(ref.current.selectionStart);
      });
      if (!open) return false;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setActive((index) => (index + step + hits.length) % hits.length);
        return true;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        const hit = hits[active];
        if (hit) choose(hit);
        return true;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissed(mention?.start ?? null);
        return true;
      }
      return false;
    },
  };
}

export function MentionMenu({ hits, active, onChoose }: MentionMenuProps) {
  return (
    <ul className="chat-mentions" role="listbox" aria-label="Files" data-testid="mention-menu">
      {hits.map((hit, index) => (
        <li
          key={hit.path}
          role="option"
          aria-selected={index === active}
          className={index === active ? 'is-active' : undefined}
          onMouseDown={(event) => {
            // Keep the focus in the prompt box.
            event.preventDefault();
            onChoose(hit);
          }}
          data-testid="mention-option"
        >
          <EntryIcon name={hit.name} isDirectory={false} size={14} />
          <span className="chat-mention-name">{hit.name}</span>
          <span className="chat-mention-path mono">{hit.relativePath}</span>
        </li>
      ))}
    </ul>
  );
}
