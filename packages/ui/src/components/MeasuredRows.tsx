/**
 * The rows of a virtualised list whose rows have their own heights (messages, diff lines, commits
 * with their files): each visible row sits in an absolutely placed slot that the virtualizer
 * measures, inside a spacer as tall as the whole list. The slot and spacer classes carry the
 * positioning (`position: relative` on the spacer, `absolute` at the top on the slots).
 */
import type { Virtualizer } from '@tanstack/react-virtual';
import type { ReactNode } from 'react';

export function MeasuredRows<R>({
  virtualizer,
  rows,
  className,
  slotClassName,
  slotRole,
  render,
}: {
  virtualizer: Virtualizer<HTMLDivElement, Element>;
  rows: readonly R[];
  className: string;
  slotClassName: string;
  /** `none` where the rows themselves carry the list's roles (a tree's items). */
  slotRole?: 'none';
  render(row: R, index: number): ReactNode;
}) {
  return (
    <div className={className} style={{ height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((item) => {
        const row = rows[item.index];
        return (
          <div
            key={item.key}
            ref={virtualizer.measureElement}
            data-index={item.index}
            className={slotClassName}
            role={slotRole}
            style={{ transform: `translateY(${item.start}px)` }}
          >
            {row === undefined ? null : render(row, item.index)}
          </div>
        );
      })}
    </div>
  );
}
