/**
 * The bottom panel's top edge: drag it (or focus it and use ↑/↓, Home/End) to change the panel's
 * height; a double click restores the default. The height is kept with the layout.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';
import { clampPanelHeight, PANEL_HEIGHT, useLayout } from '../state/layout.js';

const KEY_STEP = 16;

export function PanelResizer() {
  const height = useLayout((state) => state.panelHeight);
  const setHeight = useLayout((state) => state.setPanelHeight);
  const drag = useRef<{ startY: number; startHeight: number } | null>(null);
  const set = (next: number) => setHeight(clampPanelHeight(next, window.innerHeight));

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startY: event.clientY, startHeight: height };
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (!drag.current) return;
    set(drag.current.startHeight + drag.current.startY - event.clientY);
  }

  function onPointerUp(event: PointerEvent<HTMLDivElement>) {
    drag.current = null;
    if (event.currentTarget.hasPointerCapture(event.pointerId)) {
      event.currentTarget.releasePointerCapture(event.pointerId);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const next: Record<string, number> = {
      ArrowUp: height + KEY_STEP,
      ArrowDown: height - KEY_STEP,
      Home: PANEL_HEIGHT.min,
      End: PANEL_HEIGHT.max,
    };
    if (!(event.key in next)) return;
    event.preventDefault();
    set(next[event.key]!);
  }

  return (
    <div
      className="panel-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the panel"
      aria-valuenow={height}
      aria-valuemin={PANEL_HEIGHT.min}
      aria-valuemax={PANEL_HEIGHT.max}
      tabIndex={0}
      title="Drag to resize the panel (double-click: default height)"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onDoubleClick={() => set(PANEL_HEIGHT.default)}
      onKeyDown={onKeyDown}
      data-testid="panel-resizer"
    />
  );
}
