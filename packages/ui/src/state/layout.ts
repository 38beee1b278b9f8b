/**
 * Window layout: which sidebar view shows, whether the sidebar and the bottom panel are open.
 * Not part of settings.json (the reference schema has no such keys): kept per browser profile.
 */
import { create } from 'zustand';

export type SidebarView = 'files' | 'changes';

interface LayoutState {
  sidebarView: SidebarView;
  sidebarVisible: boolean;
  panelVisible: boolean;
  showSidebar(view: SidebarView): void;
  toggleSidebar(): void;
  togglePanel(): void;
  showPanel(): void;
}

const STORAGE_KEY = 'chamber:layout';

function restore(): Pick<LayoutState, 'sidebarView' | 'sidebarVisible' | 'panelVisible'> {
  const fallback = { sidebarView: 'files' as const, sidebarVisible: true, panelVisible: true };
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<LayoutState> | null;
    return {
      sidebarView: saved?.sidebarView === 'changes' ? 'changes' : 'files',
      sidebarVisible: saved?.sidebarVisible !== false,
      panelVisible: saved?.panelVisible !== false,
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
}));

useLayout.subscribe(({ sidebarView, sidebarVisible, panelVisible }) => {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ sidebarView, sidebarVisible, panelVisible }));
  } catch {}
});
