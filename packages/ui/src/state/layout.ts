/**
 * Window layout: which sidebar view shows, whether the sidebar and the bottom panel are open.
 * Not part of settings.json (the reference schema has no such keys): kept per browser profile.
 */
import { create } from 'zustand';

export type SidebarView = 'files' | 'changes' | 'chat';

interface LayoutState {
  sidebarView: SidebarView;
  sidebarVisible: boolean;
  panelVisible: boolean;
  /** The bottom panel's height in CSS pixels (dragged or set from the keyboard). */
  panelHeight: number;
  showSidebar(view: SidebarView): void;
  toggleSidebar(): void;
  togglePanel(): void;
  showPanel(): void;
  setPanelHeight(height: number): void;
}

export const PANEL_HEIGHT = { default: 248, min: 120, max: 900 };

/** Within the limits, and leaving the main area at least 160 px of a `viewport`-high window. */
export function clampPanelHeight(height: number, viewport: number): number {
  const max = Math.max(PANEL_HEIGHT.min, Math.min(PANEL_HEIGHT.max, viewport - 160));
  return Math.round(Math.min(max, Math.max(PANEL_HEIGHT.min, height)));
}

const STORAGE_KEY = 'chamber:layout';

function restore(): Pick<LayoutState, 'sidebarView' | 'sidebarVisible' | 'panelVisible' | 'panelHeight'> {
  const fallback = {
    sidebarView: 'files' as const,
    sidebarVisible: true,
    panelVisible: true,
    panelHeight: PANEL_HEIGHT.default,
  };
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<LayoutState> | null;
    return {
      sidebarView: saved?.sidebarView === 'changes' || saved?.sidebarView === 'chat' ? saved.sidebarView : 'files',
      sidebarVisible: saved?.sidebarVisible !== false,
      panelVisible: saved?.panelVisible !== false,
      panelHeight:
        typeof saved?.panelHeight === 'number' && Number.isFinite(saved.panelHeight)
          ? clampPanelHeight(saved.panelHeight, PANEL_HEIGHT.max + 160)
          : PANEL_HEIGHT.default,
    };
  } catch {
    return fallback;
  }
}

export const useLayout = create<LayoutState>()((set) => ({
  ...restore(),
  showSidebar: (view) => set({ sidebarView: view, sidebarVisible: true }),
  toggleSidebar: () => set((state) => ({ sidebarVisible: !state.sidebarVisible })),
  togglePanel: () => set((state) => ({ panelVisible: !state.panelVisible })),
  showPanel: () => set({ panelVisible: true }),
  setPanelHeight: (height) => set({ panelHeight: height }),
}));

useLayout.subscribe(({ sidebarView, sidebarVisible, panelVisible, panelHeight }) => {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ sidebarView, sidebarVisible, panelVisible, panelHeight }));
  } catch {}
});
