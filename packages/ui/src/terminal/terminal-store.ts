/**
 * The terminal tabs of the open workspace. Each tab is a runtime session shown by a
 * `TerminalInstance`; the list (session ids, titles, order, the active tab) is kept per workspace
 * in sessionStorage, so a reload re-attaches the same shells and the runtime replays their
 * scrollback. Switching workspace detaches the tabs (their shells keep running under the
 * runtime's idle limit) and attaches the other workspace's.
 */
import { create } from 'zustand';
import { preferenceFromSettings, resolveVariant } from '../lib/theme.js';
import { typographyFromSettings } from '../lib/typography.js';
import { attempt } from '../state/runtime.js';
import { useSettings } from '../state/settings.js';
import { useWorkspace } from '../state/workspace.js';
import { TerminalInstance, type TerminalAppearance } from './terminal-instance.js';
import {
  cycleIndex,
  indexAfterClose,
  isFinished,
  nextTitle,
  parseSavedPanel,
  serializeSavedPanel,
  storageKey,
  type TerminalStatus,
} from './terminal-model.js';
import { TERMINAL_THEMES } from './terminal-theme.js';

export interface TerminalTab {
  /** Stable within the page: a restarted tab keeps its key and gets a new session id. */
  key: string;
  sessionId: string;
  title: string;
  status: TerminalStatus;
}

interface TerminalState {
  directory: string | null;
  tabs: TerminalTab[];
  activeKey: string | null;
  /** A session is being created (new tab or restart): the buttons wait for it. */
  creating: boolean;
  /** Open a new shell in the workspace directory, in a new tab that becomes active. */
  open(): Promise<boolean>;
  /** Close the tab and its session. */
  close(key: string): Promise<void>;
  /** A new shell in a tab whose shell has ended. */
  restart(key: string): Promise<void>;
  activate(key: string): void;
  cycle(step: number): void;
  /** Open the first shell of a workspace the first time its panel shows with no tabs. */
  openFirst(): void;
}

const instances = new Map<string, TerminalInstance>();
/** Workspaces whose panel already opened its first shell in this page (closing all stays closed). */
const firstOpened = new Set<string>();
let nextKey = 1;

export function terminalInstance(key: string): TerminalInstance | undefined {
  return instances.get(key);
}

export function currentAppearance(): TerminalAppearance {
  const { settings, systemPrefersDark } = useSettings.getState();
  const variant = settings ? resolveVariant(preferenceFromSettings(settings), systemPrefersDark) : 'light';
  const fontSize = settings ? typographyFromSettings(settings).code : 12;
  return { theme: TERMINAL_THEMES[variant], fontSize };
}

function setStatus(key: string, status: TerminalStatus): void {
  useTerminals.setState((state) => ({
    tabs: state.tabs.map((tab) => (tab.key === key ? { ...tab, status } : tab)),
  }));
}

function addTab(sessionId: string, title: string, replay = false): TerminalTab {
  const key = `t${nextKey++}`;
  // Registered before the instance connects: its first status change names this key.
  const tab: TerminalTab = { key, sessionId, title, status: { kind: 'connecting' } };
  const instance = new TerminalInstance({
    sessionId,
    title,
    appearance: currentAppearance(),
    onStatus: (status) => setStatus(key, status),
    replay,
  });
  instances.set(key, instance);
  tab.status = instance.status;
  return tab;
}

function detachAll(): void {
  for (const instance of instances.values()) instance.dispose();
  instances.clear();
}

/** The size a new session starts at: the active terminal's grid (the same pane), else 80×24. */
function startSize(): { cols: number; rows: number } {
  const { activeKey } = useTerminals.getState();
  return (activeKey ? instances.get(activeKey)?.size() : undefined) ?? { cols: 80, rows: 24 };
}

async function createSession(directory: string, title: string) {
  const { cols, rows } = startSize();
  return attempt(`Opening ${title}`, (apis) => apis.terminal.createSession({ cwd: directory, cols, rows }));
}

function persist(state: Pick<TerminalState, 'directory' | 'tabs' | 'activeKey'>): void {
  if (!state.directory) return;
  const active = state.tabs.find((tab) => tab.key === state.activeKey);
  try {
    sessionStorage.setItem(
      storageKey(state.directory),
      serializeSavedPanel({ tabs: state.tabs, activeSessionId: active?.sessionId ?? null }),
    );
  } catch {}
}

function restore(directory: string): Pick<TerminalState, 'tabs' | 'activeKey'> {
  let saved = parseSavedPanel(null);
  try {
    saved = parseSavedPanel(sessionStorage.getItem(storageKey(directory)));
  } catch {}
  const tabs = saved.tabs.map((tab) => addTab(tab.sessionId, tab.title, true));
  const active = tabs.find((tab) => tab.sessionId === saved.activeSessionId) ?? tabs[0];
  return { tabs, activeKey: active?.key ?? null };
}

export const useTerminals = create<TerminalState>()((set, get) => ({
  directory: null,
  tabs: [],
  activeKey: null,
  creating: false,

  async open() {
    const { directory, tabs } = get();
    if (!directory || get().creating) return false;
    const title = nextTitle(tabs.map((tab) => tab.title));
    set({ creating: true });
    try {
      const session = await createSession(directory, title);
      if (!session) return false;
      if (get().directory !== directory) {
        // The workspace changed while the session was being made: it belongs to no tab.
        void attempt(`Closing ${title}`, (apis) => apis.terminal.close(session.sessionId));
        return false;
      }
      const tab = addTab(session.sessionId, title);
      set((state) => ({ tabs: [...state.tabs, tab], activeKey: tab.key }));
      return true;
    } finally {
      set({ creating: false });
    }
  },

  async close(key) {
    const { tabs, activeKey } = get();
    const index = tabs.findIndex((tab) => tab.key === key);
    if (index < 0) return;
    const tab = tabs[index]!;
    const instance = instances.get(key);
    instances.delete(key);
    instance?.dispose();
    const remaining = tabs.filter((other) => other.key !== key);
    const nextActive = activeKey === key ? (remaining[indexAfterClose(index, tabs.length)]?.key ?? null) : activeKey;
    set({ tabs: remaining, activeKey: nextActive });
    // A shell that already ended has no session to close (the runtime would answer 404).
    if (!isFinished(tab.status)) {
      await attempt(`Closing ${tab.title}`, (apis) => apis.terminal.close(tab.sessionId));
    }
  },

  async restart(key) {
    const { directory } = get();
    const tab = get().tabs.find((candidate) => candidate.key === key);
    const instance = instances.get(key);
    if (!directory || !tab || !instance || get().creating) return;
    set({ creating: true });
    try {
      const session = await createSession(directory, tab.title);
      if (!session) return;
      if (instances.get(key) !== instance) {
        void attempt(`Closing ${tab.title}`, (apis) => apis.terminal.close(session.sessionId));
        return;
      }
      set((state) => ({
        tabs: state.tabs.map((other) => (other.key === key ? { ...other, sessionId: session.sessionId } : other)),
        activeKey: key,
      }));
      instance.restart(session.sessionId);
    } finally {
      set({ creating: false });
    }
  },

  activate(key) {
    if (get().tabs.some((tab) => tab.key === key)) set({ activeKey: key });
  },

  cycle(step) {
    const { tabs, activeKey } = get();
    const index = cycleIndex(
      tabs.findIndex((tab) => tab.key === activeKey),
      step,
      tabs.length,
    );
    if (index >= 0) set({ activeKey: tabs[index]!.key });
  },

  openFirst() {
    const { directory, tabs } = get();
    if (!directory || tabs.length > 0 || firstOpened.has(directory)) return;
    firstOpened.add(directory);
    void get().open();
  },
}));

/** Attach the tabs of the workspace that is open (and detach those of the one before). */
function attachWorkspace(directory: string | null): void {
  if (useTerminals.getState().directory === directory) return;
  detachAll();
  if (!directory) {
    useTerminals.setState({ directory, tabs: [], activeKey: null });
    return;
  }
  const restored = restore(directory);
  // A workspace that had tabs in this page session already had its first shell.
  if (restored.tabs.length > 0) firstOpened.add(directory);
  // One update: an empty list in between would be saved over the one just read.
  useTerminals.setState({ directory, ...restored });
}

useWorkspace.subscribe((state) => attachWorkspace(state.phase === 'open' ? state.directory : null));
attachWorkspace(useWorkspace.getState().phase === 'open' ? useWorkspace.getState().directory : null);

useTerminals.subscribe((state, previous) => {
  if (state.tabs !== previous.tabs || state.activeKey !== previous.activeKey) persist(state);
});

// Theme and code font size follow the settings.
useSettings.subscribe((state, previous) => {
  if (state.settings === previous.settings && state.systemPrefersDark === previous.systemPrefersDark) return;
  const appearance = currentAppearance();
  for (const instance of instances.values()) instance.setAppearance(appearance);
});
