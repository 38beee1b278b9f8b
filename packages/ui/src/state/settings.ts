/**
 * Settings as the runtime formats them (`load_settings` / `save_settings`), plus the system theme.
 * Saves are optimistic (the UI changes at once) and the server's answer then replaces the local
 * copy; while a save is in flight, `settings://changed` events (our own echoes, or another
 * window's) are held back so an older state never overwrites a newer click.
 */
import type { DataDirectoryResponse, SettingsPayload } from '@chamber/contract';
import { create } from 'zustand';
import { attempt } from './runtime.js';

interface SettingsState {
  /** null until the first load answered. */
  settings: SettingsPayload | null;
  dataDirectory: DataDirectoryResponse | null;
  systemPrefersDark: boolean;
  load(): Promise<SettingsPayload | undefined>;
  save(changes: Partial<SettingsPayload>, context?: string): Promise<SettingsPayload | undefined>;
  /** A `settings://changed` payload. */
  receive(settings: SettingsPayload): void;
  setSystemPrefersDark(dark: boolean): void;
  loadDataDirectory(): Promise<void>;
}

let savesInFlight = 0;
let latestSave = 0;

function mergeLocally(current: SettingsPayload | null, changes: Partial<SettingsPayload>): SettingsPayload {
  const next: SettingsPayload = { ...current, ...changes };
  if (changes.typographySizes) next.typographySizes = { ...current?.typographySizes, ...changes.typographySizes };
  return next;
}

export const useSettings = create<SettingsState>()((set, get) => ({
  settings: null,
  dataDirectory: null,
  systemPrefersDark: false,

  async load() {
    const loaded = await attempt('Loading settings', (apis) => apis.settings.load());
    if (loaded) set({ settings: loaded.settings });
    return loaded?.settings;
  },

  async save(changes, context = 'Saving settings') {
    const before = get().settings;
    const id = ++latestSave;
    savesInFlight++;
    set({ settings: mergeLocally(before, changes) });
    try {
      const saved = await attempt(context, (apis) => apis.settings.save(changes));
      if (id === latestSave) {
        // A failed save is undone, so what the UI shows is what settings.json holds.
        if (saved) set({ settings: saved });
        else set({ settings: before });
      }
      return saved;
    } finally {
      savesInFlight--;
    }
  },

  receive(settings) {
    if (savesInFlight === 0) set({ settings });
  },

  setSystemPrefersDark(dark) {
    set({ systemPrefersDark: dark });
  },

  async loadDataDirectory() {
    const dataDirectory = await attempt('Reading the data directory', (apis) => apis.settings.dataDirectory());
    if (dataDirectory) set({ dataDirectory });
  },
}));
