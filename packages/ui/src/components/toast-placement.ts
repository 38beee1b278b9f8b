/**
 * Where the toast stack goes while a modal is open: beside the dialog, never over it, so a
 * failure never hides the buttons the person is about to press (the picker's Open sits at the
 * dialog's bottom right, exactly where toasts normally stack). Below the dialog if the stack fits
 * there, else above, else to its right or left; only a window too small for any of those puts it
 * at the top, centred: over the middle of the dialog's title bar, away from its action row and
 * its close button. (While a modal is open only the newest toast is shown, so the stack is small.)
 */
export interface Rect {
  top: number;
  left: number;
  right: number;
  bottom: number;
}

export interface Placement {
  top?: number;
  bottom?: number;
  left?: number;
  right?: number;
}

/** Gap between the dialog and the stack, and from the window's edges. */
const GAP = 8;
const EDGE = 8;

export function placeToasts(
  dialog: Rect,
  stack: { width: number; height: number },
  viewport: { width: number; height: number },
): Placement {
  const fitsBelow = viewport.height - dialog.bottom >= stack.height + GAP + EDGE;
  if (fitsBelow) return { top: dialog.bottom + GAP, right: EDGE };
  const fitsAbove = dialog.top >= stack.height + GAP + EDGE;
  if (fitsAbove) return { bottom: viewport.height - dialog.top + GAP, right: EDGE };
  const top = Math.max(EDGE, Math.min(dialog.top, viewport.height - stack.height - EDGE));
  if (viewport.width - dialog.right >= stack.width + GAP + EDGE) return { top, left: dialog.right + GAP };
  if (dialog.left >= stack.width + GAP + EDGE) return { top, right: viewport.width - dialog.left + GAP };
  return { top: EDGE, left: Math.max(EDGE, Math.round((viewport.width - stack.width) / 2)) };
}
