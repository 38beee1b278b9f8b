import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { matchesShortcut } from '../src/lib/keyboard.js';
import { SHORTCUTS } from '../src/shortcuts.js';
import { clampPanelHeight, PANEL_HEIGHT } from '../src/state/layout.js';
import {
  cycleIndex,
  debounce,
  exitDescription,
  indexAfterClose,
  isAttached,
  isFinished,
  isTerminalReport,
  nextTitle,
  parseSavedPanel,
  serializeSavedPanel,
  statusText,
  storageKey,
} from '../src/terminal/terminal-model.js';

describe('saved terminal tabs', () => {
  it('round-trip session ids, titles, order and the active tab', () => {
    const panel = {
      tabs: [
        { sessionId: 'b2', title: 'Terminal 2' },
        { sessionId: 'a1', title: 'Terminal 1' },
      ],
      activeSessionId: 'a1',
    };
    expect(parseSavedPanel(serializeSavedPanel(panel))).toEqual(panel);
  });

  it('are kept per workspace', () => {
    expect(storageKey('/home/me/work')).toBe('chamber:terminals:/home/me/work');
    expect(storageKey('/home/me/work')).not.toBe(storageKey('/home/me/other'));
  });

  it('drop anything malformed instead of throwing', () => {
    const empty = { tabs: [], activeSessionId: null };
    expect(parseSavedPanel(null)).toEqual(empty);
    expect(parseSavedPanel('{not json')).toEqual(empty);
    expect(parseSavedPanel('"text"')).toEqual(empty);
    expect(parseSavedPanel('{"tabs":"nope"}')).toEqual(empty);
    const text = JSON.stringify({
      tabs: [
        { sessionId: 'a', title: 'One' },
        { sessionId: 7 },
        null,
        { sessionId: 'a', title: 'dup' },
        { sessionId: 'b' },
      ],
      activeSessionId: 'gone',
    });
    // Duplicates and non-string ids go, a missing title gets one, an unknown active tab falls back to the first.
    expect(parseSavedPanel(text)).toEqual({
      tabs: [
        { sessionId: 'a', title: 'One' },
        { sessionId: 'b', title: 'Terminal' },
      ],
      activeSessionId: 'a',
    });
  });

  it('are bounded, so a hand-edited entry cannot open hundreds of tabs', () => {
    const tabs = Array.from({ length: 500 }, (_, i) => ({ sessionId: `s${i}`, title: `T${i}` }));
    expect(parseSavedPanel(JSON.stringify({ tabs })).tabs).toHaveLength(64);
  });
});

describe('terminal tabs', () => {
  it('are titled with the lowest free number', () => {
    expect(nextTitle([])).toBe('Terminal 1');
    expect(nextTitle(['Terminal 1', 'Terminal 2'])).toBe('Terminal 3');
    expect(nextTitle(['Terminal 2', 'Terminal 3'])).toBe('Terminal 1');
  });

  it('cycle with wrap-around in both directions', () => {
    expect(cycleIndex(0, 1, 3)).toBe(1);
    expect(cycleIndex(2, 1, 3)).toBe(0);
    expect(cycleIndex(0, -1, 3)).toBe(2);
    expect(cycleIndex(-1, 1, 2)).toBe(1);
    expect(cycleIndex(0, 1, 0)).toBe(-1);
  });

  it('hand the focus to the next tab on close, else the previous, else none', () => {
    expect(indexAfterClose(0, 3)).toBe(0);
    expect(indexAfterClose(1, 3)).toBe(1);
    expect(indexAfterClose(2, 3)).toBe(1);
    expect(indexAfterClose(0, 1)).toBe(-1);
  });
});

describe('terminal states', () => {
  it('are described in the reference’s words', () => {
    expect(statusText({ kind: 'connecting' })).toBe('Connecting…');
    expect(statusText({ kind: 'live' })).toBe('Live');
    expect(statusText({ kind: 'reconnecting', attempt: 2, maxAttempts: 3 })).toBe('Reconnecting (2/3)...');
    expect(statusText({ kind: 'exited', exitCode: 5, signal: 0 })).toBe('Process exited with code 5 (signal 0)');
    expect(statusText({ kind: 'ended', message: 'Terminal session not found' })).toBe(
      'Terminal session ended: Terminal session not found',
    );
    expect(exitDescription()).toBe('Process exited');
    expect(exitDescription(undefined, 1)).toBe('Process exited (signal 1)');
  });

  it('take input only while live, and offer a new shell once finished', () => {
    expect(isAttached({ kind: 'live' })).toBe(true);
    expect(isAttached({ kind: 'reconnecting', attempt: 1, maxAttempts: 3 })).toBe(false);
    expect(isFinished({ kind: 'exited', exitCode: 0 })).toBe(true);
    expect(isFinished({ kind: 'ended', message: 'x' })).toBe(true);
    expect(isFinished({ kind: 'connecting' })).toBe(false);
  });
});

describe('terminal reports (answers a replayed scrollback must not send again)', () => {
  it('recognise what xterm answers to queries', () => {
    for (const report of [
      '\x1b[?1;2c', // primary device attributes
      '\x1b[>0;276;0c', // secondary
      '\x1b[0n', // status
      '\x1b[12;5R', // cursor position
      '\x1b[8;24;80t', // window size
      '\x1b[?2004;1$y', // mode
      '\x1b]11;rgb:1616/1818/1d1d\x1b\\', // background colour (OSC, ST)
      '\x1b]10;rgb:e5e5/e7e7/ebeb\x07', // foreground colour (OSC, BEL)
      '\x1bP1$r0m\x1b\\', // DECRQSS
    ]) {
      expect(isTerminalReport(report), JSON.stringify(report)).toBe(true);
    }
  });

  it('leave keys and text alone', () => {
    for (const typed of ['a', 'ls\r', '\x1b[A', '\x1b[15~', '\x1bOP', '\x1b[1;5D', '\x03', '\x1b[200~paste\x1b[201~']) {
      expect(isTerminalReport(typed), JSON.stringify(typed)).toBe(false);
    }
  });
});

describe('resize debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once after the last call of a burst, and not at all when cancelled', () => {
    const run = vi.fn();
    const debounced = debounce(run, 80);
    for (let i = 0; i < 10; i++) {
      debounced();
      vi.advanceTimersByTime(20);
    }
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(80);
    expect(run).toHaveBeenCalledTimes(1);
    debounced();
    debounced.cancel();
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('terminal shortcuts', () => {
  const key = (key: string, code: string, modifiers: { ctrlKey?: boolean; shiftKey?: boolean } = {}) => ({
    key,
    code,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    ...modifiers,
  });

  it('match the physical key when Shift changes its character', () => {
    // Shift+` types '~' (and Shift+[ '{') on a US layout.
    expect(matchesShortcut(key('~', 'Backquote', { ctrlKey: true, shiftKey: true }), 'ctrl+shift+`', false)).toBe(true);
    expect(matchesShortcut(key('{', 'BracketLeft', { ctrlKey: true, shiftKey: true }), 'ctrl+shift+[', false)).toBe(
      true,
    );
    expect(matchesShortcut(key('`', 'Backquote', { ctrlKey: true }), 'ctrl+shift+`', false)).toBe(false);
    expect(matchesShortcut(key('`', 'Backquote', { ctrlKey: true }), 'ctrl+`', false)).toBe(true);
  });

  it('are in the one shortcut table, each with its own keys', () => {
    const ids = SHORTCUTS.map((shortcut) => shortcut.id);
    expect(ids).toEqual(expect.arrayContaining(['newTerminal', 'nextTerminal', 'previousTerminal', 'togglePanel']));
    const keys = SHORTCUTS.map((shortcut) => shortcut.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('panel height', () => {
  it('stays within its limits and leaves the main area room', () => {
    expect(clampPanelHeight(300, 1000)).toBe(300);
    expect(clampPanelHeight(40, 1000)).toBe(PANEL_HEIGHT.min);
    expect(clampPanelHeight(5000, 3000)).toBe(PANEL_HEIGHT.max);
    expect(clampPanelHeight(700, 800)).toBe(640); // 160 px left for the main area
    expect(clampPanelHeight(700, 200)).toBe(PANEL_HEIGHT.min); // a tiny window: the minimum still
    expect(clampPanelHeight(250.6, 1000)).toBe(251);
  });
});
