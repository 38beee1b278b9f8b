/**
 * The terminal panel's pure logic: the tab list kept per workspace in sessionStorage (so a reload
 * re-attaches to the same shells), tab titles, cycling, and the words for each connection state.
 */

/** One tab as it is persisted: which runtime session it shows, under which title. */
export interface SavedTab {
  sessionId: string;
  title: string;
}

export interface SavedPanel {
  tabs: SavedTab[];
  /** The session of the tab that had the focus. */
  activeSessionId: string | null;
}

export type TerminalStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  | { kind: 'reconnecting'; attempt: number; maxAttempts: number }
  | { kind: 'exited'; exitCode?: number; signal?: number }
  /** The stream could not be (re)established: the session is gone, or the runtime refused it. */
  | { kind: 'ended'; message: string };

const STORAGE_PREFIX = 'chamber:terminals:';
/** Far above the runtime's 20 sessions: a hand-edited entry cannot make the panel open hundreds. */
const MAX_SAVED_TABS = 64;

export function storageKey(directory: string): string {
  return STORAGE_PREFIX + directory;
}

/** What sessionStorage held for a workspace; anything malformed is dropped, never thrown. */
export function parseSavedPanel(text: string | null): SavedPanel {
  const empty: SavedPanel = { tabs: [], activeSessionId: null };
  if (!text) return empty;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return empty;
  }
  if (!value || typeof value !== 'object') return empty;
  const record = value as { tabs?: unknown; activeSessionId?: unknown };
  const tabs: SavedTab[] = [];
  const seen = new Set<string>();
  for (const tab of Array.isArray(record.tabs) ? record.tabs : []) {
    if (!tab || typeof tab !== 'object') continue;
    const { sessionId, title } = tab as { sessionId?: unknown; title?: unknown };
    if (typeof sessionId !== 'string' || !sessionId || seen.has(sessionId)) continue;
    seen.add(sessionId);
    tabs.push({ sessionId, title: typeof title === 'string' && title ? title : 'Terminal' });
    if (tabs.length === MAX_SAVED_TABS) break;
  }
  const active = typeof record.activeSessionId === 'string' && seen.has(record.activeSessionId);
  return { tabs, activeSessionId: active ? (record.activeSessionId as string) : (tabs[0]?.sessionId ?? null) };
}

export function serializeSavedPanel(panel: SavedPanel): string {
  return JSON.stringify({
    tabs: panel.tabs.map(({ sessionId, title }) => ({ sessionId, title })),
    activeSessionId: panel.activeSessionId,
  });
}

/** 'Terminal 1', 'Terminal 2', ...: the lowest number no open tab uses. */
export function nextTitle(titles: readonly string[]): string {
  const used = new Set(titles);
  let n = 1;
  while (used.has(`Terminal ${n}`)) n++;
  return `Terminal ${n}`;
}

/** The index `step` tabs away from `index`, wrapping around; -1 when there are no tabs. */
export function cycleIndex(index: number, step: number, count: number): number {
  if (count <= 0) return -1;
  const from = index < 0 ? 0 : index;
  return (((from + step) % count) + count) % count;
}

/** Which tab gets the focus when the tab at `index` of `count` closes: the next one, else the previous. */
export function indexAfterClose(index: number, count: number): number {
  if (count <= 1) return -1;
  return index < count - 1 ? index : index - 1;
}

/** The reference's words: `Process exited with code 5 (signal 0)`, each part only when known. */
export function exitDescription(exitCode?: number, signal?: number): string {
  let text = 'Process exited';
  if (typeof exitCode === 'number') text += ` with code ${exitCode}`;
  if (typeof signal === 'number') text += ` (signal ${signal})`;
  return text;
}

/** The short state shown on a tab and in the panel's status line. */
export function statusText(status: TerminalStatus): string {
  switch (status.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return 'Live';
    case 'reconnecting':
      return `Reconnecting (${status.attempt}/${status.maxAttempts})...`;
    case 'exited':
      return exitDescription(status.exitCode, status.signal);
    case 'ended':
      return `Terminal session ended: ${status.message}`;
  }
}

/** A session that can take input and a resize. */
export function isAttached(status: TerminalStatus): boolean {
  return status.kind === 'live';
}

/** A tab whose shell is gone: it offers a new shell instead. */
export function isFinished(status: TerminalStatus): boolean {
  return status.kind === 'exited' || status.kind === 'ended';
}

/**
 * Answers xterm gives by itself to queries in the output: device attributes (`ESC [ ? 1 ; 2 c`,
 * `ESC [ > 0 ; 276 ; 0 c`), status and cursor reports (`ESC [ 0 n`, `ESC [ 12 ; 5 R`), window
 * reports (`ESC [ 8 ; 24 ; 80 t`), mode reports (`ESC [ ? 2004 ; 1 $ y`), and OSC/DCS replies
 * (colours, `DECRQSS`). A replayed scrollback must not answer its old queries into today's shell.
 */
export function isTerminalReport(data: string): boolean {
  const ESC = '\x1b';
  if (!data.startsWith(ESC)) return false;
  const body = data.slice(1);
  // OSC and DCS replies end with the string terminator (ESC backslash) or BEL.
  if (body.startsWith(']') || body.startsWith('P')) return data.endsWith(`${ESC}\\`) || data.endsWith('\x07');
  return (
    /^\[[?>]?[\d;]*c$/.test(body) ||
    /^\[\??\d+(;\d+)?[nR]$/.test(body) ||
    /^\[\d+(;\d+)*t$/.test(body) ||
    /^\[\??\d+;\d+\$y$/.test(body)
  );
}

/**
 * Call `run` once `delayMs` after the last of a burst of calls (a drag of the window edge fires
 * dozens of resize observations; the PTY needs one resize at the end).
 */
export function debounce(run: () => void, delayMs: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const call = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      run();
    }, delayMs);
  };
  call.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return call;
}
