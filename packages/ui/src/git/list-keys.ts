/**
 * Keyboard for the git views' focusable lists (one tab stop, an active row): arrows, Home/End,
 * Enter, Space, left/right (collapse/expand) and Delete call the handlers the view gives; the
 * active row is kept in view. Pure key → index logic is `nextIndex`.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';

export function nextIndex(key: string, active: number, count: number, page = 10): number | null {
  if (count === 0) return null;
  const at = active < 0 ? -1 : Math.min(active, count - 1);
  switch (key) {
    case 'ArrowDown':
      return Math.min(at + 1, count - 1);
    case 'ArrowUp':
      return at < 0 ? count - 1 : Math.max(at - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return Math.min(Math.max(at, 0) + page, count - 1);
    case 'PageUp':
      return Math.max(at - page, 0);
    default:
      return null;
  }
}

export interface ListKeyHandlers {
  count: number;
  active: number;
  setActive(index: number): void;
  onEnter?(index: number): void;
  onSpace?(index: number): void;
  onLeft?(index: number): void;
  onRight?(index: number): void;
  onDelete?(index: number): void;
}

export function listKeyDown(handlers: ListKeyHandlers) {
  return (event: KeyboardEvent<HTMLElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const { active } = handlers;
    const next = nextIndex(event.key, active, handlers.count);
    if (next !== null) {
      event.preventDefault();
      handlers.setActive(next);
      return;
    }
    if (active < 0 || active >= handlers.count) return;
    const handler =
      event.key === 'Enter'
        ? handlers.onEnter
        : event.key === ' '
          ? handlers.onSpace
          : event.key === 'ArrowLeft'
            ? handlers.onLeft
            : event.key === 'ArrowRight'
              ? handlers.onRight
              : event.key === 'Delete'
                ? handlers.onDelete
                : undefined;
    if (!handler) return;
    event.preventDefault();
    handler(active);
  };
}

/** Scroll the row marked `data-index={active}` inside `list` into view when `active` changes. */
export function useActiveInView(list: RefObject<HTMLElement | null>, active: number): void {
  useEffect(() => {
    list.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [list, active]);
}

/** What a list's keys do to its rows: each handler gets the active row and its index. */
export interface RowKeyHandlers<T> {
  /** After the arrows (or Home, End, Page keys) made another row active. */
  onMove?(row: T, index: number): void;
  onEnter?(row: T, index: number): void;
  onSpace?(row: T, index: number): void;
  onLeft?(row: T, index: number): void;
  onRight?(row: T, index: number): void;
  onDelete?(row: T, index: number): void;
}

/**
 * One focusable list of `rows` whose ids are `<idPrefix>-<index>`: the active row (none until the
 * list takes the focus, then the first), kept in range and in view; spread `listProps` on it and
 * give `onKeyDown(handlers)` as its key handler.
 */
export function useKeyList<T>(rows: readonly T[], idPrefix: string) {
  const count = rows.length;
  const ref = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(-1);
  useActiveInView(ref, active);
  useEffect(() => {
    if (active >= count) setActive(count - 1);
  }, [active, count]);
  const listProps = {
    ref,
    tabIndex: 0,
    'aria-activedescendant': active >= 0 && active < count ? `${idPrefix}-${active}` : undefined,
    onFocus: () => {
      if (active < 0 && count > 0) setActive(0);
    },
  };
  const onKeyDown = (handlers: RowKeyHandlers<T>) => {
    const withRow = (handler: ((row: T, index: number) => void) | undefined) =>
      handler &&
      ((index: number) => {
        const row = rows[index];
        if (row !== undefined) handler(row, index);
      });
    const moved = withRow(handlers.onMove);
    return listKeyDown({
      count,
      active,
      setActive: (index) => {
        setActive(index);
        moved?.(index);
      },
      onEnter: withRow(handlers.onEnter),
      onSpace: withRow(handlers.onSpace),
      onLeft: withRow(handlers.onLeft),
      onRight: withRow(handlers.onRight),
      onDelete: withRow(handlers.onDelete),
    });
  };
  return { active, setActive, listProps, onKeyDown };
}
