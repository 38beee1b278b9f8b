import { describe, expect, it } from 'vitest';
import { placeToasts } from '../src/components/toast-placement.js';

const viewport = { width: 1280, height: 800 };
const stack = { width: 400, height: 64 };
const overlaps = (a: { top: number; left: number; right: number; bottom: number }, b: typeof a) =>
  !(a.right <= b.left || a.left >= b.right || a.bottom <= b.top || a.top >= b.bottom);

function boxOf(placement: ReturnType<typeof placeToasts>) {
  const left = placement.left ?? viewport.width - (placement.right ?? 0) - stack.width;
  const top = placement.top ?? viewport.height - (placement.bottom ?? 0) - stack.height;
  return { left, top, right: left + stack.width, bottom: top + stack.height };
}

describe('placeToasts', () => {
  it('puts the stack below a dialog when it fits there', () => {
    const dialog = { top: 100, left: 300, right: 980, bottom: 600 };
    expect(placeToasts(dialog, stack, viewport)).toEqual({ top: 608, right: 8 });
    expect(overlaps(boxOf(placeToasts(dialog, stack, viewport)), dialog)).toBe(false);
  });

  it('above when only the top has room', () => {
    const dialog = { top: 200, left: 300, right: 980, bottom: 760 };
    const placed = placeToasts(dialog, stack, viewport);
    expect(placed).toEqual({ bottom: 608, right: 8 });
    expect(overlaps(boxOf(placed), dialog)).toBe(false);
  });

  it('beside a dialog that fills the height', () => {
    const dialog = { top: 40, left: 190, right: 770, bottom: 760 };
    const placed = placeToasts(dialog, stack, viewport);
    expect(placed.left).toBe(778);
    expect(overlaps(boxOf(placed), dialog)).toBe(false);
  });

  it('to the left when only the left has room', () => {
    const dialog = { top: 40, left: 500, right: 1270, bottom: 760 };
    const placed = placeToasts(dialog, stack, viewport);
    expect(placed.right).toBe(viewport.width - 500 + 8);
    expect(overlaps(boxOf(placed), dialog)).toBe(false);
  });

  it('top centre, over the title bar, when nothing else fits', () => {
    expect(placeToasts({ top: 10, left: 10, right: 1270, bottom: 790 }, stack, viewport)).toEqual({
      top: 8,
      left: 440,
    });
  });
});
