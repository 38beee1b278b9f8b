/**
 * The workspace window: title bar, activity rail, sidebar (files, or changes once git lands),
 * main area, bottom panel (terminals once they land), status bar; dialogs and toasts on top.
 */
import type { FsSearchHit } from '@chamber/contract';
import {
  ChevronsDownUp,
  Files,
  FolderOpen,
  GitBranch,
  MessagesSquare,
  PanelBottom,
  RefreshCw,
  Search,
  Settings,
  X,
} from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { ChatMain, ChatSidebar, newChatSession } from '../chat/lazy.js';
import { Dialog } from '../components/Dialog.js';
import { IconButton } from '../components/IconButton.js';
import { Kbd } from '../components/Kbd.js';
import { PanelResizer } from '../components/PanelResizer.js';
import { Toasts } from '../components/Toasts.js';
import { MainArea } from '../files/EntryDetails.js';
import { FileTree } from '../files/FileTree.js';
import { QuickOpen } from '../files/QuickOpen.js';
import { ChangesView } from '../git/ChangesView.js';
import { DiffViewer } from '../git/DiffViewer.js';
import { startGitFollower, useGit } from '../git/git-store.js';
import { useTree } from '../files/tree-store.js';
import { useViewer } from '../files/viewer-store.js';
import { startWorkspaceWatch } from '../files/workspace-watch.js';
import { matchesShortcut, shortcutLabel } from '../lib/keyboard.js';
import { basename, displayPath } from '../lib/paths.js';
import { IS_MAC } from '../lib/platform.js';
import { SettingsDialog } from '../settings/SettingsDialog.js';
import { SHORTCUTS, shortcutKeys, type ShortcutId } from '../shortcuts.js';
import { useLayout, type SidebarView } from '../state/layout.js';
import { runtimeApis } from '../state/runtime.js';
import { useWorkspace } from '../state/workspace.js';
import { focusActiveTerminal, openTerminal, TerminalPanel } from '../terminal/TerminalPanel.js';
import { useTerminals } from '../terminal/terminal-store.js';
import { WorkspacePicker } from '../workspace/WorkspacePicker.js';
import { boot } from './boot.js';
import { useDocumentAppearance } from './theme-effect.js';

type Overlay = 'quickOpen' | 'settings' | null;

const SIDEBAR_LABEL: Record<SidebarView, string> = { files: 'Files', changes: 'Changes', chat: 'Sessions' };

function keysText(id: ShortcutId): string {
  return shortcutLabel(shortcutKeys(id), IS_MAC).join(IS_MAC ? '' : '+');
}

export function App() {
  useDocumentAppearance();
  const phase = useWorkspace((state) => state.phase);
  const directory = useWorkspace((state) => state.directory);
  const pickerOpen = useWorkspace((state) => state.pickerOpen);
  const setPickerOpen = useWorkspace((state) => state.setPickerOpen);
  const layout = useLayout();
  const [overlay, setOverlay] = useState<Overlay>(null);
  const treeRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void boot();
  }, []);
  useEffect(() => startGitFollower(), []);
  useEffect(() => startWorkspaceWatch(), []);
  const diffOpen = useGit((state) => state.diff !== null);

  const actions: Record<ShortcutId, () => void> = {
    quickOpen: () => {
      if (directory) setOverlay('quickOpen');
    },
    openWorkspace: () => {
      if (phase === 'open') setPickerOpen(true);
    },
    settings: () => setOverlay('settings'),
    toggleSidebar: () => layout.toggleSidebar(),
    togglePanel: () => {
      layout.togglePanel();
      if (useLayout.getState().panelVisible) focusActiveTerminal();
    },
    focusFiles: () => {
      layout.showSidebar('files');
      requestAnimationFrame(() => treeRef.current?.focus());
    },
    showChanges: () => layout.showSidebar('changes'),
    showChat: () => {
      layout.showSidebar('chat');
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid=chat-input]')?.focus());
    },
    newSession: () => {
      if (phase !== 'open') return;
      layout.showSidebar('chat');
      newChatSession();
    },
    newTerminal: () => {
      if (phase !== 'open') return;
      layout.showPanel();
      openTerminal();
    },
    nextTerminal: () => cycleTerminals(1),
    previousTerminal: () => cycleTerminals(-1),
  };
  const actionsRef = useRef(actions);
  actionsRef.current = actions;

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      for (const shortcut of SHORTCUTS) {
        if (matchesShortcut(event, shortcut.keys, IS_MAC)) {
          event.preventDefault();
          actionsRef.current[shortcut.id]();
          return;
        }
      }
    }
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  async function reveal(hit: FsSearchHit, line?: number) {
    setOverlay(null);
    layout.showSidebar('files');
    // Opened at a line, the viewer takes the focus; otherwise the tree keeps it for the keys.
    await useViewer.getState().openFile(hit.path, line);
    if (line === undefined && useTree.getState().selected === hit.path) treeRef.current?.focus();
  }

  return (
    <div className="app" data-phase={phase}>
      <TitleBar
        onQuickOpen={() => setOverlay('quickOpen')}
        onSettings={() => setOverlay('settings')}
        onSwitchWorkspace={() => setPickerOpen(true)}
      />
      {phase === 'open' && directory ? (
        <div className={`workbench${layout.sidebarVisible ? '' : ' no-sidebar'}`}>
          <ActivityRail onSettings={() => setOverlay('settings')} />
          {layout.sidebarVisible ? (
            <aside className="sidebar" aria-label={SIDEBAR_LABEL[layout.sidebarView]}>
              {layout.sidebarView === 'files' ? (
                <FilesSidebar treeRef={treeRef} onQuickOpen={() => setOverlay('quickOpen')} />
              ) : layout.sidebarView === 'chat' ? (
                <ChatSidebar />
              ) : (
                <ChangesView />
              )}
            </aside>
          ) : null}
          <div className="editor-column">
            <main className="main" aria-label={layout.sidebarView === 'chat' ? 'Chat' : 'Selection'}>
              {layout.sidebarView === 'chat' ? <ChatMain /> : diffOpen ? <DiffViewer /> : <MainArea />}
            </main>
            {layout.panelVisible ? (
              <section className="panel" aria-label="Terminal panel" style={{ height: layout.panelHeight }}>
                <PanelResizer />
                <TerminalPanel onHide={layout.togglePanel} />
              </section>
            ) : null}
          </div>
        </div>
      ) : phase === 'choosing' ? (
        <div className="first-run">
          <div className="first-run-card">
            <h1>Open a workspace</h1>
            <p>Choose the folder you and your agent work in. Chamber opens it again next time.</p>
            <WorkspacePicker />
          </div>
        </div>
      ) : (
        <div className="booting" aria-busy="true" />
      )}
      <StatusBar />
      <Dialog open={pickerOpen} onClose={() => setPickerOpen(false)} label="Open a workspace" className="dialog-picker">
        <header className="dialog-header">
          <h2>Open a workspace</h2>
          <IconButton label="Close" onClick={() => setPickerOpen(false)}>
            <X size={16} />
          </IconButton>
        </header>
        <WorkspacePicker onDone={() => setPickerOpen(false)} />
      </Dialog>
      {directory ? (
        <QuickOpen
          open={overlay === 'quickOpen'}
          directory={directory}
          onClose={() => setOverlay(null)}
          onChoose={(hit, line) => void reveal(hit, line)}
        />
      ) : null}
      <SettingsDialog open={overlay === 'settings'} onClose={() => setOverlay(null)} />
      <Toasts />
    </div>
  );
}

function cycleTerminals(step: number): void {
  useLayout.getState().showPanel();
  useTerminals.getState().cycle(step);
  focusActiveTerminal();
}

function TitleBar({
  onQuickOpen,
  onSettings,
  onSwitchWorkspace,
}: {
  onQuickOpen(): void;
  onSettings(): void;
  onSwitchWorkspace(): void;
}) {
  const directory = useWorkspace((state) => state.directory);
  const home = useWorkspace((state) => state.home);
  return (
    <header className="titlebar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Chamber
      </div>
      {directory ? (
        <button
          type="button"
          className="workspace-switch"
          onClick={onSwitchWorkspace}
          title={`${directory} — switch workspace (${keysText('openWorkspace')})`}
          data-testid="workspace-switch"
        >
          <FolderOpen size={14} aria-hidden="true" />
          <span className="workspace-name">{basename(directory)}</span>
          <span className="workspace-path">{displayPath(directory, home)}</span>
        </button>
      ) : null}
      <span className="spacer" />
      {directory ? (
        <button type="button" className="search-trigger" onClick={onQuickOpen} data-testid="quick-open-trigger">
          <Search size={14} aria-hidden="true" />
          <span>Go to file…</span>
          <Kbd shortcut={shortcutKeys('quickOpen')} />
        </button>
      ) : null}
      <span className="spacer" />
      <IconButton
        label="Settings"
        title={`Settings (${keysText('settings')})`}
        onClick={onSettings}
        testId="open-settings"
      >
        <Settings size={16} />
      </IconButton>
    </header>
  );
}

function ActivityRail({ onSettings }: { onSettings(): void }) {
  const { sidebarView, sidebarVisible, showSidebar, togglePanel, panelVisible } = useLayout();
  const item = (view: SidebarView, label: string, icon: ReactNode, id: ShortcutId) => {
    const active = sidebarVisible && sidebarView === view;
    return (
      <button
        type="button"
        className={`rail-button${active ? ' is-active' : ''}`}
        aria-pressed={active}
        aria-label={label}
        title={`${label} (${keysText(id)})`}
        onClick={() => showSidebar(view)}
        data-testid={`rail-${view}`}
      >
        {icon}
      </button>
    );
  };
  return (
    <nav className="rail" aria-label="Views">
      {item('files', 'Files', <Files size={19} />, 'focusFiles')}
      {item('changes', 'Changes', <GitBranch size={19} />, 'showChanges')}
      {item('chat', 'Chat', <MessagesSquare size={19} />, 'showChat')}
      <span className="spacer" />
      <button
        type="button"
        className={`rail-button${panelVisible ? ' is-active' : ''}`}
        aria-pressed={panelVisible}
        aria-label="Terminal panel"
        title={`Terminal panel (${keysText('togglePanel')})`}
        onClick={togglePanel}
      >
        <PanelBottom size={19} />
      </button>
      <button type="button" className="rail-button" aria-label="Settings" title="Settings" onClick={onSettings}>
        <Settings size={19} />
      </button>
    </nav>
  );
}

function SidebarHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="sidebar-header">
      <h2>{title}</h2>
      <span className="spacer" />
      {children}
    </div>
  );
}

function FilesSidebar({ treeRef, onQuickOpen }: { treeRef: RefObject<HTMLDivElement | null>; onQuickOpen(): void }) {
  const root = useTree((state) => state.root);
  const refresh = useTree((state) => state.refresh);
  const collapseAll = useTree((state) => state.collapseAll);
  return (
    <>
      <SidebarHeader title={root ? basename(root) : 'Files'}>
        <IconButton label="Go to file" onClick={onQuickOpen}>
          <Search size={14} />
        </IconButton>
        <IconButton label="Refresh" onClick={() => void refresh()}>
          <RefreshCw size={14} />
        </IconButton>
        <IconButton label="Collapse all" onClick={collapseAll}>
          <ChevronsDownUp size={14} />
        </IconButton>
      </SidebarHeader>
      <FileTree treeRef={treeRef} />
    </>
  );
}

function StatusBar() {
  const directory = useWorkspace((state) => state.directory);
  const platform = runtimeApis().runtime.platform;
  return (
    <footer className="statusbar">
      <span className="status-item" data-testid="status-transport">
        <span className={`status-dot status-${platform}`} aria-hidden="true" />
        {platform === 'desktop' ? 'Desktop · IPC' : 'Web · HTTP'}
      </span>
      {directory ? <span className="status-item mono">{directory}</span> : null}
      <span className="spacer" />
      <span className="status-item">
        <Kbd shortcut={shortcutKeys('quickOpen')} /> files
      </span>
      <span className="status-item">
        <Kbd shortcut={shortcutKeys('settings')} /> settings
      </span>
    </footer>
  );
}
