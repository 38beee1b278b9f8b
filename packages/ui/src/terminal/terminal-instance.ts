/**
 * One terminal tab's xterm.js instance and its connection to a runtime session. It lives outside
 * React: hiding the panel or switching tabs detaches its element, and showing it again re-attaches
 * the same terminal with its scrollback, so nothing is replayed twice within one page.
 *
 * Output flow: `terminal.connect` subscribes from position 0 (after a reload the runtime's ring
 * buffer replays the scrollback once) and the transport resumes from the last position after a
 * dropped connection. Each data chunk is acknowledged only when xterm has parsed it (the promise
 * returned to `onEvent`), so a flood is throttled at the runtime, not buffered in the page.
 */
import { TERMINAL_ERRORS, type Subscription, type TerminalStreamEvent } from '@chamber/contract';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { matchesShortcut } from '../lib/keyboard.js';
import { IS_MAC } from '../lib/platform.js';
import { SHORTCUTS } from '../shortcuts.js';
import { attempt, attemptOutcome, errorMessage, runtimeApis } from '../state/runtime.js';
import { showToast } from '../state/toasts.js';
import { debounce, exitDescription, isAttached, isTerminalReport, type TerminalStatus } from './terminal-model.js';
import { TERMINAL_FONT_FAMILY } from './terminal-theme.js';

export interface TerminalAppearance {
  theme: ITheme;
  fontSize: number;
}

/** What the e2e tests read through the view's element (`element.chamberTerminal.text()`). */
export interface TerminalProbe {
  /** Every line of the buffer, scrollback included, right-trimmed, without trailing blank lines. */
  text(): string;
  cols(): number;
  rows(): number;
  /** What the theme and code size settings made of it. */
  appearance(): { background: string | undefined; fontSize: number | undefined };
  /** Write straight to the screen, bypassing the shell (the benchmark's xterm-only baseline). */
  write(text: string): Promise<void>;
}

/** The reference terminal tab's retry policy: 3 attempts, 500 ms doubling up to 8 s. */
const STREAM_OPTIONS = { retry: { maxRetries: 3, initialDelayMs: 500, maxDelayMs: 8000 }, connectionTimeoutMs: 10_000 };
const RESIZE_DEBOUNCE_MS = 80;
const SCROLLBACK_LINES = 10_000;
/** A replay is over once output has been quiet this long after `connected` (or after the cap). */
const REPLAY_QUIET_MS = 200;
const REPLAY_MAX_MS = 5_000;

export class TerminalInstance {
  readonly element: HTMLDivElement;
  #sessionId: string;
  readonly #title: string;
  #status: TerminalStatus = { kind: 'connecting' };
  readonly #terminal: Terminal;
  readonly #fit = new FitAddon();
  readonly #onStatus: (status: TerminalStatus) => void;
  #subscription: Subscription | null = null;
  #opened = false;
  /** Has the stream been opened (at the first mount)? */
  #started = false;
  #disposed = false;
  /** The size last sent to the runtime, so an unchanged fit sends nothing. */
  #sentSize = '';
  readonly #observer: ResizeObserver;
  readonly #refit = debounce(() => this.fit(), RESIZE_DEBOUNCE_MS);
  /**
   * Re-attached after a reload: the first output is old scrollback, whose queries (device
   * attributes, cursor position...) xterm would answer again into the live shell as typed text.
   * Those answers are dropped until the replay is over.
   */
  #replaying: boolean;
  readonly #replayEnd = debounce(() => this.#stopReplay(), REPLAY_QUIET_MS);
  #replayCap: ReturnType<typeof setTimeout> | null = null;

  constructor(options: {
    sessionId: string;
    title: string;
    appearance: TerminalAppearance;
    onStatus(status: TerminalStatus): void;
    /** The session already has output this page has never shown (a tab restored after a reload). */
    replay?: boolean;
  }) {
    this.#replaying = options.replay === true;
    this.#sessionId = options.sessionId;
    this.#title = options.title;
    this.#onStatus = options.onStatus;
    this.element = document.createElement('div');
    this.element.className = 'terminal-view';
    this.element.dataset.testid = 'terminal-view';
    this.#terminal = new Terminal({
      fontFamily: TERMINAL_FONT_FAMILY,
      fontSize: options.appearance.fontSize,
      theme: options.appearance.theme,
      scrollback: SCROLLBACK_LINES,
      cursorBlink: true,
    });
    this.#terminal.loadAddon(this.#fit);
    // The window's shortcuts win over the shell (as in VS Code): xterm leaves these keys alone,
    // so they bubble to the global handler.
    this.#terminal.attachCustomKeyEventHandler(
      (event) => !SHORTCUTS.some((shortcut) => matchesShortcut(event, shortcut.keys, IS_MAC)),
    );
    this.#terminal.onData((data) => this.#send(data));
    this.#observer = new ResizeObserver(() => this.#refit());
    const probe: TerminalProbe = {
      text: () => this.text(),
      cols: () => this.#terminal.cols,
      rows: () => this.#terminal.rows,
      appearance: () => ({
        background: this.#terminal.options.theme?.background,
        fontSize: this.#terminal.options.fontSize,
      }),
      write: (text) => new Promise((resolve) => this.#terminal.write(text, resolve)),
    };
    (this.element as HTMLDivElement & { chamberTerminal?: TerminalProbe }).chamberTerminal = probe;
  }

  get status(): TerminalStatus {
    return this.#status;
  }

  /** Put the terminal into `container` (the first time, xterm renders into it). */
  mount(container: HTMLElement): void {
    if (this.#disposed) return;
    if (this.element.parentElement !== container) container.appendChild(this.element);
    if (!this.#opened) {
      this.#opened = true;
      this.#terminal.open(this.element);
    }
    this.#observer.observe(this.element);
    this.fit();
    // The stream starts once the grid has the pane's size: a replayed scrollback is laid out at
    // the width the shell wrote it for, not at xterm's default 80 columns and then reflowed.
    if (!this.#started) {
      this.#started = true;
      this.#connect();
    }
  }

  /** Take the element out of the page, keeping the terminal and its scrollback. */
  unmount(): void {
    this.#observer.disconnect();
    this.#refit.cancel();
    this.element.remove();
  }

  focus(): void {
    this.#terminal.focus();
  }

  setAppearance(appearance: TerminalAppearance): void {
    this.#terminal.options.theme = appearance.theme;
    if (this.#terminal.options.fontSize !== appearance.fontSize) {
      this.#terminal.options.fontSize = appearance.fontSize;
      this.fit();
    }
  }

  /** Fit the grid to the element and tell the runtime the new size (only while attached and changed). */
  fit(): void {
    if (!this.#opened || this.#disposed || !this.element.isConnected) return;
    // A terminal without a size (its panel is closed) would shrink the shell to nothing.
    if (this.element.clientWidth === 0 || this.element.clientHeight === 0) return;
    const size = this.#fit.proposeDimensions();
    if (!size || !Number.isFinite(size.cols) || !Number.isFinite(size.rows)) return;
    const cols = Math.max(2, size.cols);
    const rows = Math.max(1, size.rows);
    if (cols !== this.#terminal.cols || rows !== this.#terminal.rows) this.#terminal.resize(cols, rows);
    this.#sendSize();
  }

  /** The grid size to create a session with. */
  size(): { cols: number; rows: number } {
    return { cols: this.#terminal.cols, rows: this.#terminal.rows };
  }

  /** Show a new session in this tab (after the old one ended): a clean screen, a new stream. */
  restart(sessionId: string): void {
    this.#started = true;
    this.#subscription?.close();
    this.#subscription = null;
    this.#sessionId = sessionId;
    this.#sentSize = '';
    this.#stopReplay();
    this.#terminal.reset();
    this.#connect();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#stopReplay();
    this.#subscription?.close();
    this.#subscription = null;
    this.unmount();
    this.#terminal.dispose();
  }

  text(): string {
    const buffer = this.#terminal.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      if (!line) continue;
      // A wrapped line continues the one before it: join them, as the shell printed them.
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += line.translateToString(true);
      else lines.push(line.translateToString(true));
    }
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines.join('\n');
  }

  #setStatus(status: TerminalStatus): void {
    this.#status = status;
    this.#onStatus(status);
  }

  #connect(): void {
    this.#setStatus({ kind: 'connecting' });
    const sessionId = this.#sessionId;
    try {
      this.#subscription = runtimeApis().terminal.connect(
        sessionId,
        {
          onEvent: (event) => (this.#sessionId === sessionId ? this.#receive(event) : undefined),
          onError: (error, fatal) => {
            if (this.#sessionId !== sessionId || !fatal || this.#disposed) return;
            this.#ended(errorMessage(error));
          },
        },
        STREAM_OPTIONS,
      );
    } catch (error) {
      this.#ended(errorMessage(error));
    }
  }

  #ended(message: string): void {
    this.#subscription = null;
    this.#setStatus({ kind: 'ended', message });
    showToast({ tone: 'error', message, context: `Attaching ${this.#title}` });
  }

  #receive(event: TerminalStreamEvent): Promise<void> | undefined {
    if (this.#disposed) return undefined;
    switch (event.type) {
      case 'connected':
        if (this.#replaying && this.#replayCap === null) {
          this.#replayCap = setTimeout(() => this.#stopReplay(), REPLAY_MAX_MS);
          this.#replayEnd();
        }
        this.#setStatus({ kind: 'live' });
        // The session may have been made (or last resized) at another size: a reload in a
        // smaller window, a second window. Send ours.
        this.#sentSize = '';
        this.fit();
        this.#sendSize();
        return undefined;
      case 'data':
        // Acknowledged once xterm has parsed it: the runtime's flow control sees real progress.
        return new Promise((resolve) =>
          this.#terminal.write(event.data ?? '', () => {
            if (this.#replaying) this.#replayEnd();
            resolve();
          }),
        );
      case 'reconnecting':
        this.#setStatus({ kind: 'reconnecting', attempt: event.attempt ?? 0, maxAttempts: event.maxAttempts ?? 0 });
        return undefined;
      case 'exit': {
        this.#subscription = null;
        const exitCode = typeof event.exitCode === 'number' ? event.exitCode : undefined;
        const signal = typeof event.signal === 'number' ? event.signal : undefined;
        // Dimmed, as the reference's tab wrote it; then no cursor: nothing reads input any more.
        this.#terminal.write(`\r\n\x1b[2m[${exitDescription(exitCode, signal)}]\x1b[0m\r\n\x1b[?25l`);
        this.#setStatus({ kind: 'exited', exitCode, signal });
        return undefined;
      }
    }
  }

  #stopReplay(): void {
    const wasReplaying = this.#replaying;
    this.#replaying = false;
    this.#replayEnd.cancel();
    if (this.#replayCap !== null) clearTimeout(this.#replayCap);
    this.#replayCap = null;
    // The size waited for the replay (see #sendSize): the session is known live or exited now.
    if (wasReplaying && !this.#disposed) this.#sendSize();
  }

  #send(data: string): void {
    if (!isAttached(this.#status)) return;
    if (this.#replaying && isTerminalReport(data)) return;
    const sessionId = this.#sessionId;
    void attempt(`Typing into ${this.#title}`, (apis) => apis.terminal.sendInput(sessionId, data));
  }

  #sendSize(): void {
    if (!isAttached(this.#status) || !this.#opened) return;
    // A restored tab's session may have exited before the reload: its `exit` comes after the
    // replayed output, and a resize sent before it would be refused ("Terminal session not
    // found"). The size goes once the replay is over, to a session still live.
    if (this.#replaying) return;
    const { cols, rows } = this.#terminal;
    const key = `${cols}x${rows}`;
    if (key === this.#sentSize) return;
    this.#sentSize = key;
    const sessionId = this.#sessionId;
    void attemptOutcome(`Resizing ${this.#title}`, (apis) => apis.terminal.resize({ sessionId, cols, rows }), {
      // The shell exited while the size was on its way: the tab says so itself (exited/ended).
      handles: (message) => message === TERMINAL_ERRORS.notFound && this.#sessionId === sessionId,
    });
  }
}
