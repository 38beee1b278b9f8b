/** Every global shortcut, in one table: the keyboard handler and the help lists both read it. */
export type ShortcutId =
  | 'quickOpen'
  | 'openWorkspace'
  | 'settings'
  | 'toggleSidebar'
  | 'togglePanel'
  | 'focusFiles'
  | 'showChanges'
  | 'showChat'
  | 'newSession'
  | 'newTerminal'
  | 'nextTerminal'
  | 'previousTerminal';

export interface Shortcut {
  id: ShortcutId;
  keys: string;
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'quickOpen', keys: 'mod+p', label: 'Quick open a file' },
  { id: 'openWorkspace', keys: 'mod+o', label: 'Open a workspace folder' },
  { id: 'focusFiles', keys: 'mod+shift+e', label: 'Files' },
  { id: 'showChanges', keys: 'mod+shift+g', label: 'Changes' },
  { id: 'showChat', keys: 'mod+shift+a', label: 'Chat with the agent' },
  { id: 'newSession', keys: 'mod+shift+s', label: 'New chat session' },
  { id: 'togglePanel', keys: 'ctrl+`', label: 'Show or hide the terminal panel' },
  { id: 'newTerminal', keys: 'ctrl+shift+`', label: 'New terminal' },
  { id: 'nextTerminal', keys: 'ctrl+shift+]', label: 'Next terminal' },
  { id: 'previousTerminal', keys: 'ctrl+shift+[', label: 'Previous terminal' },
  { id: 'toggleSidebar', keys: 'mod+b', label: 'Show or hide the sidebar' },
  { id: 'settings', keys: 'mod+,', label: 'Settings' },
];

export function shortcutKeys(id: ShortcutId): string {
  return SHORTCUTS.find((shortcut) => shortcut.id === id)?.keys ?? '';
}
