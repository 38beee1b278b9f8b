/**
 * The bottom panel's terminals: a tab per shell, the active one's xterm filling the pane, a state
 * line for anything but a live connection (connecting, reconnecting, exited, ended) with the way
 * on (restart, new shell).
 */
import { Plus, RotateCcw, SquareTerminal, X } from 'lucide-react';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { IconButton } from '../components/IconButton.js';
import { Kbd } from '../components/Kbd.js';
import { shortcutLabel } from '../lib/keyboard.js';
import { IS_MAC } from '../lib/platform.js';
import { shortcutKeys } from '../shortcuts.js';
import { isFinished, statusText, type TerminalStatus } from './terminal-model.js';
import { terminalInstance, useTerminals, type TerminalTab } from './terminal-store.js';

/** Give the active terminal the keyboard once React has shown it. */
export function focusActiveTerminal(): void {
  requestAnimationFrame(() => {
    const { activeKey } = useTerminals.getState();
    if (activeKey) terminalInstance(activeKey)?.focus();
  });
}

/** Open a new shell and give it the keyboard. */
export function openTerminal(): void {
  void useTerminals
    .getState()
    .open()
    .then((opened) => {
      if (opened) focusActiveTerminal();
    });
}

function newTerminalTitle(): string {
  return `New terminal (${shortcutLabel(shortcutKeys('newTerminal'), IS_MAC).join(IS_MAC ? '' : '+')})`;
}

export function TerminalPanel({ onHide }: { onHide(): void }) {
  const tabs = useTerminals((state) => state.tabs);
  const activeKey = useTerminals((state) => state.activeKey);
  const creating = useTerminals((state) => state.creating);
  const openFirst = useTerminals((state) => state.openFirst);

  useEffect(() => {
    openFirst();
  }, [openFirst]);

  function onTabKeyDown(event: KeyboardEvent) {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    event.preventDefault();
    useTerminals.getState().cycle(event.key === 'ArrowRight' ? 1 : -1);
    requestAnimationFrame(() => {
      const key = useTerminals.getState().activeKey;
      document.querySelector<HTMLElement>(`[data-terminal-tab="${key}"]`)?.focus();
    });
  }

  return (
    <>
      <div className="panel-tabs" data-testid="terminal-tabs">
        <div className="terminal-tablist" role="tablist" aria-label="Terminals" onKeyDown={onTabKeyDown}>
          {tabs.map((tab) => (
            <TabButton key={tab.key} tab={tab} active={tab.key === activeKey} />
          ))}
        </div>
        <IconButton label="New terminal" title={newTerminalTitle()} onClick={openTerminal} testId="terminal-new">
          <Plus size={14} />
        </IconButton>
        <span className="spacer" />
        <IconButton label="Hide the panel" onClick={onHide}>
          <X size={14} />
        </IconButton>
      </div>
      <div className="terminal-panes">
        {tabs.map((tab) => (
          <TerminalPane key={tab.key} tab={tab} active={tab.key === activeKey} creating={creating} />
        ))}
        {tabs.length === 0 ? (
          <div className="terminal-empty" data-testid="terminal-empty">
            <SquareTerminal size={20} aria-hidden="true" />
            <span>{creating ? 'Opening a shell…' : 'No terminal is open.'}</span>
            <button type="button" className="button" onClick={openTerminal} disabled={creating}>
              New terminal
            </button>
            <Kbd shortcut={shortcutKeys('newTerminal')} />
          </div>
        ) : null}
      </div>
    </>
  );
}

function statusTone(status: TerminalStatus): string {
  if (status.kind === 'live') return 'live';
  if (isFinished(status)) return 'ended';
  return 'pending';
}

function TabButton({ tab, active }: { tab: TerminalTab; active: boolean }) {
  const activate = useTerminals((state) => state.activate);
  const close = useTerminals((state) => state.close);
  return (
    <div className={`panel-tab terminal-tab${active ? ' is-active' : ''}`} data-testid="terminal-tab">
      <button
        type="button"
        role="tab"
        id={`terminal-tab-${tab.key}`}
        aria-selected={active}
        aria-controls={`terminal-pane-${tab.key}`}
        tabIndex={active ? 0 : -1}
        className="terminal-tab-label"
        data-terminal-tab={tab.key}
        data-status={tab.status.kind}
        title={`${tab.title}: ${statusText(tab.status)}`}
        onClick={() => {
          activate(tab.key);
          focusActiveTerminal();
        }}
      >
        <span className={`terminal-dot terminal-dot-${statusTone(tab.status)}`} aria-hidden="true" />
        {tab.title}
      </button>
      <button
        type="button"
        className="terminal-tab-close"
        aria-label={`Close ${tab.title}`}
        title={`Close ${tab.title}`}
        onClick={() => void close(tab.key)}
        data-testid="terminal-close"
      >
        <X size={12} />
      </button>
    </div>
  );
}

function TerminalPane({ tab, active, creating }: { tab: TerminalTab; active: boolean; creating: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const restart = useTerminals((state) => state.restart);

  useEffect(() => {
    const instance = terminalInstance(tab.key);
    const container = host.current;
    if (!instance || !container) return;
    instance.mount(container);
    return () => instance.unmount();
  }, [tab.key]);

  useEffect(() => {
    // Shown again (another tab was active): its size may have changed meanwhile.
    if (active) terminalInstance(tab.key)?.fit();
  }, [active, tab.key]);

  const { status } = tab;
  return (
    <div
      className="terminal-pane"
      role="tabpanel"
      id={`terminal-pane-${tab.key}`}
      aria-labelledby={`terminal-tab-${tab.key}`}
      hidden={!active}
      data-testid="terminal-pane"
      data-session-id={tab.sessionId}
      data-status={status.kind}
    >
      {status.kind !== 'live' ? (
        <div className={`terminal-state terminal-state-${statusTone(status)}`} data-testid="terminal-state">
          <span className="terminal-state-text">{statusText(status)}</span>
          {isFinished(status) ? (
            <button
              type="button"
              className="button"
              onClick={() => void restart(tab.key).then(focusActiveTerminal)}
              disabled={creating}
              data-testid="terminal-restart"
            >
              <RotateCcw size={13} aria-hidden="true" />
              {status.kind === 'exited' ? 'Restart' : 'New shell'}
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="terminal-host" ref={host} />
    </div>
  );
}
