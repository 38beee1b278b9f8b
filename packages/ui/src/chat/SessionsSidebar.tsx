/**
 * The chat's sidebar: OpenCode's sessions of the open workspace, newest first, with their titles
 * and how long ago they changed. Keyboard: ↑/↓ move, Enter opens, F2 renames (Enter keeps,
 * Escape drops), Delete deletes after the confirmation dialog.
 */
import type { Session } from '@opencode-ai/sdk/v2/client';
import { LoaderCircle, MessageSquarePlus, Pencil, Trash2 } from 'lucide-react';
import { useEffect, useState, type KeyboardEvent } from 'react';
import { IconButton } from '../components/IconButton.js';
import { ConfirmHost, confirmAction } from '../git/confirm.js';
import { formatRelativeTime } from '../lib/format.js';
import { useWorkspace } from '../state/workspace.js';
import { useChat } from './chat-store.js';

export function SessionsSidebar() {
  const directory = useWorkspace((state) => state.directory);
  const open = useChat((state) => state.open);
  useEffect(() => {
    if (directory) open(directory);
  }, [directory, open]);
  const sessions = useChat((state) => state.sessions);
  const activeId = useChat((state) => state.activeSessionId);
  const status = useChat((state) => state.status);
  const [renaming, setRenaming] = useState<string | null>(null);
  // Re-rendered every 30 s so the relative times move on.
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const now = Date.now();

  async function remove(session: Session) {
    const confirmed = await confirmAction({
      title: 'Delete session',
      message: `Delete “${session.title}” and its whole conversation? This cannot be undone.`,
      confirmLabel: 'Delete',
    });
    if (confirmed) await useChat.getState().deleteSession(session.id);
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (renaming) return;
    const index = sessions.findIndex((session) => session.id === activeId);
    const current = sessions[index];
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = sessions[Math.max(0, Math.min(sessions.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) useChat.getState().selectSession(next.id);
    } else if (event.key === 'F2' && current) {
      event.preventDefault();
      setRenaming(current.id);
    } else if (event.key === 'Delete' && current) {
      event.preventDefault();
      void remove(current);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      document.querySelector<HTMLTextAreaElement>('[data-testid=chat-input]')?.focus();
    }
  }

  return (
    <>
      <div className="sidebar-header">
        <h2>Sessions</h2>
        <span className="spacer" />
        <IconButton label="New session" onClick={() => useChat.getState().newSession()} testId="sessions-new">
          <MessageSquarePlus size={14} />
        </IconButton>
      </div>
      {sessions.length === 0 ? (
        <p className="sessions-empty">No sessions yet: your first prompt starts one.</p>
      ) : (
        <ul
          className="sessions-list"
          role="listbox"
          aria-label="Sessions"
          tabIndex={0}
          onKeyDown={onKeyDown}
          aria-activedescendant={activeId ? `session-${activeId}` : undefined}
          data-testid="sessions-list"
        >
          {sessions.map((session) => (
            <li
              key={session.id}
              id={`session-${session.id}`}
              role="option"
              aria-selected={session.id === activeId}
              className={`session-row${session.id === activeId ? ' is-active' : ''}`}
              onClick={() => useChat.getState().selectSession(session.id)}
              onDoubleClick={() => setRenaming(session.id)}
              data-testid="session-row"
              data-id={session.id}
            >
              {renaming === session.id ? (
                <RenameInput session={session} onDone={() => setRenaming(null)} />
              ) : (
                <>
                  <span className="session-title" data-testid="session-title">
                    {session.title}
                  </span>
                  <span className="session-meta">
                    {status[session.id] === 'busy' || status[session.id] === 'retry' ? (
                      <LoaderCircle size={11} className="spin" aria-label="working" />
                    ) : null}
                    {/* OpenCode's clock may run a little ahead of the page's: never "in 2 seconds". */}
                    {formatRelativeTime(Math.min(session.time.updated, now), now)}
                  </span>
                  <span className="session-actions">
                    <IconButton label="Rename" onClick={() => setRenaming(session.id)} testId="session-rename">
                      <Pencil size={12} />
                    </IconButton>
                    <IconButton label="Delete" onClick={() => void remove(session)} testId="session-delete">
                      <Trash2 size={12} />
                    </IconButton>
                  </span>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <ConfirmHost />
    </>
  );
}

function RenameInput({ session, onDone }: { session: Session; onDone(): void }) {
  const [title, setTitle] = useState(session.title);
  return (
    <input
      className="input session-rename"
      value={title}
      autoFocus
      aria-label="Session title"
      onChange={(event) => setTitle(event.target.value)}
      onClick={(event) => event.stopPropagation()}
      onBlur={onDone}
      onKeyDown={(event) => {
        event.stopPropagation();
        if (event.key === 'Enter') {
          event.preventDefault();
          if (title.trim() && title !== session.title) void useChat.getState().renameSession(session.id, title);
          onDone();
        } else if (event.key === 'Escape') {
          event.preventDefault();
          onDone();
        }
      }}
      data-testid="session-rename-input"
    />
  );
}
