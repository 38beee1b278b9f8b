/**
 * xterm.js colours per UI theme. Background and foreground are the workspace's own (`--bg`,
 * `--text` in styles/tokens.css), so the terminal reads as part of the window; the ANSI palette is
 * tuned per variant so every colour keeps its contrast on that background.
 */
import type { ITheme } from '@xterm/xterm';
import type { ThemeVariant } from '../lib/theme.js';

export const TERMINAL_THEMES: Record<ThemeVariant, ITheme> = {
  light: {
    background: '#ffffff',
    foreground: '#1b1f24',
    cursor: '#4a57d6',
    cursorAccent: '#ffffff',
    selectionBackground: 'rgba(74, 87, 214, 0.22)',
    scrollbarSliderBackground: 'rgba(15, 23, 42, 0.16)',
    scrollbarSliderHoverBackground: 'rgba(15, 23, 42, 0.26)',
    scrollbarSliderActiveBackground: 'rgba(15, 23, 42, 0.34)',
    black: '#1b1f24',
    red: '#c93a3a',
    green: '#2f7d32',
    yellow: '#9a6700',
    blue: '#3f51c9',
    magenta: '#8e44ad',
    cyan: '#16808f',
    white: '#8a939e',
    brightBlack: '#5d6773',
    brightRed: '#e0524f',
    brightGreen: '#3c9a3f',
    brightYellow: '#b7830e',
    brightBlue: '#4a57d6',
    brightMagenta: '#a65fc4',
    brightCyan: '#1f97a8',
    brightWhite: '#cfd4db',
  },
  dark: {
    background: '#16181d',
    foreground: '#e5e7eb',
    cursor: '#8a94ff',
    cursorAccent: '#16181d',
    selectionBackground: 'rgba(138, 148, 255, 0.3)',
    scrollbarSliderBackground: 'rgba(255, 255, 255, 0.14)',
    scrollbarSliderHoverBackground: 'rgba(255, 255, 255, 0.24)',
    scrollbarSliderActiveBackground: 'rgba(255, 255, 255, 0.32)',
    black: '#2a2e36',
    red: '#f07171',
    green: '#8fd18a',
    yellow: '#f2c46b',
    blue: '#8a94ff',
    magenta: '#d39bf0',
    cyan: '#6fd0dc',
    white: '#c9ced6',
    brightBlack: '#6b7380',
    brightRed: '#ff8f8f',
    brightGreen: '#a8e3a3',
    brightYellow: '#ffd88a',
    brightBlue: '#a8b0ff',
    brightMagenta: '#e2b6f7',
    brightCyan: '#95e2eb',
    brightWhite: '#ffffff',
  },
};

/** The monospace stack of `--font-mono`, which xterm needs as a plain font-family string. */
export const TERMINAL_FONT_FAMILY =
  "ui-monospace, 'SF Mono', 'JetBrains Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace";
