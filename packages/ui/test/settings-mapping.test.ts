import { describe, expect, it } from 'vitest';
import { preferenceFromSettings, resolveVariant, themeChanges } from '../src/lib/theme.js';
import { parsePixels, typographyChange, typographyFromSettings } from '../src/lib/typography.js';
import { pinnedDirectories, recentDirectories, togglePinned } from '../src/workspace/directories.js';
import { matchesShortcut, shortcutLabel } from '../src/lib/keyboard.js';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('theme ↔ settings', () => {
  it('reads the preference from the reference keys', () => {
    expect(preferenceFromSettings({ useSystemTheme: true, themeVariant: 'dark' })).toBe('system');
    expect(preferenceFromSettings({ themeVariant: 'light' })).toBe('light');
    expect(preferenceFromSettings({ themeId: 'flexoki-dark' })).toBe('dark');
    expect(preferenceFromSettings({})).toBe('system');
  });

  it('writes every theme key the reference keeps', () => {
    expect(themeChanges('dark', false)).toEqual({
      useSystemTheme: false,
      themeVariant: 'dark',
      themeId: 'chamber-dark',
      lightThemeId: 'chamber-light',
      darkThemeId: 'chamber-dark',
    });
    expect(themeChanges('system', true)).toMatchObject({ useSystemTheme: true, themeVariant: 'dark' });
    expect(resolveVariant('system', false)).toBe('light');
  });
});

describe('font sizes ↔ typographySizes', () => {
  it('reads pixel sizes and falls back to defaults for anything else', () => {
    expect(parsePixels('14px')).toBe(14);
    expect(parsePixels('1.2rem')).toBeNull();
    expect(parsePixels('400px')).toBeNull();
    expect(typographyFromSettings({ typographySizes: { uiLabel: '15px', code: 'big' } })).toEqual({
      uiLabel: 15,
      code: 12,
    });
  });

  it('saves one key as a CSS length', () => {
    expect(typographyChange('code', 14)).toEqual({ typographySizes: { code: '14px' } });
  });
});

describe('pinned and recent directories', () => {
  it('lists recent workspaces newest first, without home, pinned ones or duplicates', () => {
    const settings = {
      lastDirectory: '/w/c',
      approvedDirectories: ['/home/me', '/w/a', '/w/b', '/w/c'],
      pinnedDirectories: ['/w/b'],
    };
    expect(recentDirectories(settings, '/home/me')).toEqual(['/w/c', '/w/a']);
    expect(pinnedDirectories(settings)).toEqual(['/w/b']);
  });

  it('pins at the end and unpins in place', () => {
    expect(togglePinned({ pinnedDirectories: ['/a', '/b'] }, '/c')).toEqual(['/a', '/b', '/c']);
    expect(togglePinned({ pinnedDirectories: ['/a', '/b', '/c'] }, '/b')).toEqual(['/a', '/c']);
  });
});

describe('keyboard shortcuts', () => {
  it('match mod as Ctrl off macOS and ⌘ on it, with exact modifiers', () => {
    expect(matchesShortcut(key('p', { ctrlKey: true }), 'mod+p', false)).toBe(true);
    expect(matchesShortcut(key('p', { metaKey: true }), 'mod+p', true)).toBe(true);
    expect(matchesShortcut(key('p', { ctrlKey: true }), 'mod+p', true)).toBe(false);
    expect(matchesShortcut(key('P', { ctrlKey: true, shiftKey: true }), 'mod+p', false)).toBe(false);
    expect(matchesShortcut(key('E', { ctrlKey: true, shiftKey: true }), 'mod+shift+e', false)).toBe(true);
  });

  it('label shortcuts for the platform', () => {
    expect(shortcutLabel('mod+shift+e', false)).toEqual(['Ctrl', 'Shift', 'E']);
    expect(shortcutLabel('mod+p', true)).toEqual(['⌘', 'P']);
  });
});
