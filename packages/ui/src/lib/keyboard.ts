/** Keyboard shortcuts: one notation ('mod+p', 'mod+shift+e', 'ctrl+`'), one matcher. */

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** The physical key ('Backquote', 'BracketRight', 'KeyP'), when known. */
  code?: string;
}

/** Physical keys whose character changes with Shift (and the layout), by the unshifted US character. */
const CODE_CHARACTERS: Record<string, string> = {
  Backquote: '`',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Minus: '-',
  Equal: '=',
  Comma: ',',
  Period: '.',
  Slash: '/',
  Semicolon: ';',
  Quote: "'",
};

export function isMacPlatform(nav: { platform?: string; userAgent?: string } | undefined): boolean {
  const text = `${nav?.platform ?? ''} ${nav?.userAgent ?? ''}`;
  return /Mac|iPhone|iPad/i.test(text);
}

/**
 * True when `event` is `shortcut`. `mod` is ⌘ on macOS and Ctrl elsewhere; modifiers not named
 * must be up, so 'mod+p' does not fire on Ctrl+Shift+P.
 */
export function matchesShortcut(event: KeyLike, shortcut: string, isMac: boolean): boolean {
  const parts = shortcut.toLowerCase().split('+');
  const key = parts.pop() ?? '';
  const wants = { ctrl: false, meta: false, shift: false, alt: false };
  for (const part of parts) {
    if (part === 'mod') wants[isMac ? 'meta' : 'ctrl'] = true;
    else if (part === 'ctrl' || part === 'meta' || part === 'shift' || part === 'alt') wants[part] = true;
  }
  if (event.ctrlKey !== wants.ctrl || event.metaKey !== wants.meta) return false;
  if (event.shiftKey !== wants.shift || event.altKey !== wants.alt) return false;
  // Shift+` is '~' as a character: the physical key decides for the punctuation keys.
  return event.key.toLowerCase() === key || (event.code !== undefined && CODE_CHARACTERS[event.code] === key);
}

/** 'mod+shift+e' → ['Ctrl', 'Shift', 'E'] (or ['⌘', '⇧', 'E'] on macOS), for <kbd> hints. */
export function shortcutLabel(shortcut: string, isMac: boolean): string[] {
  return shortcut.split('+').map((part) => {
    const lower = part.toLowerCase();
    if (lower === 'mod') return isMac ? '⌘' : 'Ctrl';
    if (lower === 'shift') return isMac ? '⇧' : 'Shift';
    if (lower === 'alt') return isMac ? '⌥' : 'Alt';
    if (lower === 'ctrl') return isMac ? '⌃' : 'Ctrl';
    return part.length === 1 ? part.toUpperCase() : part;
  });
}
