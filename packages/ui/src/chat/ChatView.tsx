/**
 * The chat main view: the open session's conversation (a virtualised list of measured message
 * rows that follows the bottom while a reply streams, unless the person scrolled up), the
 * pending permission requests as the list's last row, the model and agent pickers (names and
 * limits from the models metadata when it knows the model), and the prompt box (Composer.tsx).
 */
import type { PermissionRequest } from '@opencode-ai/sdk/v2/client';
import { useVirtualizer } from '@tanstack/react-virtual';
import { LoaderCircle, MessageSquarePlus, ShieldQuestion } from 'lucide-react';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { IconButton } from '../components/IconButton.js';
import { MeasuredRows } from '../components/MeasuredRows.js';
import { basename, relativeTo } from '../lib/paths.js';
import { useWorkspace } from '../state/workspace.js';
import { formatTokens, type MessageEntry } from './chat-model.js';
import { currentChoice, useChat } from './chat-store.js';
import { Composer } from './Composer.js';
import { DiffBlock, MessageView } from './MessageView.js';

const NO_MESSAGES: MessageEntry[] = [];
const NO_PERMISSIONS: PermissionRequest[] = [];

export function ChatView() {
  const directory = useWorkspace((state) => state.directory);
  const open = useChat((state) => state.open);
  useEffect(() => {
    if (directory) open(directory);
  }, [directory, open]);

  const sessionId = useChat((state) => state.activeSessionId);
  const session = useChat((state) => state.sessions.find((s) => s.id === state.activeSessionId));
  const busy = useChat((state) => (state.activeSessionId ? state.status[state.activeSessionId] : undefined));
  const connection = useChat((state) => state.connection);
  const messages = useChat((state) => (state.activeSessionId ? state.conversations[state.activeSessionId] : undefined));
  const loading = useChat((state) => (state.activeSessionId ? state.loading[state.activeSessionId] === true : false));
  const permissions = useChat((state) =>
    state.activeSessionId ? (state.permissions[state.activeSessionId] ?? NO_PERMISSIONS) : NO_PERMISSIONS,
  );
  const isBusy = busy === 'busy' || busy === 'retry';

  return (
    <section className="chat" aria-label="Chat" data-testid="chat-view" data-busy={isBusy}>
      <header className="chat-header">
        <div className="chat-title">
          <h1 data-testid="chat-title">{session?.title ?? 'New session'}</h1>
          <span className="chat-subtitle">
            <span className={`chat-connection is-${connection}`} data-testid="chat-connection">
              {connection === 'live' ? 'OpenCode' : connection === 'offline' ? 'Not connected' : `${connection}…`}
            </span>
            {directory ? <span className="mono">{basename(directory)}</span> : null}
          </span>
        </div>
        <span className="spacer" />
        <Pickers />
        <IconButton
          label="New session"
          onClick={() => useChat.getState().newSession()}
          testId="chat-new-session"
          title="New session (Ctrl/Cmd+Shift+S)"
        >
          <MessageSquarePlus size={16} />
        </IconButton>
      </header>
      {sessionId && (messages?.length || permissions.length) ? (
        <MessageList
          key={sessionId}
          messages={messages ?? NO_MESSAGES}
          permissions={permissions}
          sessionId={sessionId}
          busy={isBusy}
        />
      ) : (
        <div className="chat-empty" data-testid="chat-empty">
          {loading || (sessionId && !messages) ? (
            <>
              <LoaderCircle size={16} className="spin" aria-hidden="true" /> Loading the conversation…
            </>
          ) : (
            <>
              <h2>Ask the agent</h2>
              <p>
                It works in <span className="mono">{directory ? basename(directory) : 'the workspace'}</span>: reading,
                editing and running things there. Edits wait for your permission.
              </p>
              <p className="chat-hint">Enter sends · Shift+Enter adds a line · @ mentions a file</p>
            </>
          )}
        </div>
      )}
      <Composer busy={isBusy} />
    </section>
  );
}

function Pickers() {
  const models = useChat((state) => state.models);
  const agents = useChat((state) => state.agents);
  const defaultModel = useChat((state) => state.defaultModel);
  const activeSessionId = useChat((state) => state.activeSessionId);
  const draftChoice = useChat((state) => state.draftChoice);
  // Re-read when a choice is saved (it lives in localStorage, outside the store).
  useChat((state) => state.choiceVersion);
  const choice = currentChoice({ activeSessionId, draftChoice });
  const setChoice = useChat((state) => state.setChoice);
  const providers = useMemo(() => {
    const groups = new Map<string, typeof models>();
    for (const model of models) groups.set(model.providerName, [...(groups.get(model.providerName) ?? []), model]);
    return [...groups.entries()];
  }, [models]);
  const defaultAgent = agents.find((agent) => agent.name === 'build') ?? agents[0];
  return (
    <div className="chat-pickers">
      <label className="chat-picker">
        <span className="sr-only">Agent</span>
        <select
          value={choice.agent ?? defaultAgent?.name ?? ''}
          onChange={(event) => setChoice({ agent: event.target.value })}
          data-testid="agent-picker"
          title="Agent"
        >
          {agents.map((agent) => (
            <option key={agent.name} value={agent.name} title={agent.description}>
              {agent.name}
            </option>
          ))}
        </select>
      </label>
      <label className="chat-picker">
        <span className="sr-only">Model</span>
        <select
          value={choice.model ?? defaultModel ?? ''}
          onChange={(event) => setChoice({ model: event.target.value })}
          data-testid="model-picker"
          title="Model"
        >
          {providers.map(([provider, options]) => (
            <optgroup key={provider} label={provider}>
              {options.map((model) => (
                <option key={model.key} value={model.key} title={modelLimits(model)}>
                  {model.name}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </label>
    </div>
  );
}

/** "128k context · 8k output", what is known of a model's limits. */
function modelLimits(model: { contextLimit: number; outputLimit: number }): string {
  const parts: string[] = [];
  if (model.contextLimit) parts.push(`${formatTokens(model.contextLimit)} context`);
  if (model.outputLimit) parts.push(`${formatTokens(model.outputLimit)} output`);
  return parts.join(' · ');
}

type Row = { kind: 'message'; entry: MessageEntry } | { kind: 'permissions' } | { kind: 'working' };

function MessageList({
  messages,
  permissions,
  sessionId,
  busy,
}: {
  messages: MessageEntry[];
  permissions: PermissionRequest[];
  sessionId: string;
  busy: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const rows = useMemo<Row[]>(() => {
    const list: Row[] = messages.map((entry) => ({ kind: 'message', entry }));
    if (permissions.length) list.push({ kind: 'permissions' });
    else if (busy) list.push({ kind: 'working' });
    return list;
  }, [messages, permissions, busy]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 120,
    overscan: 6,
    getItemKey: (index) => {
      const row = rows[index];
      return row?.kind === 'message' ? row.entry.info.id : (row?.kind ?? index);
    },
  });
  const total = virtualizer.getTotalSize();

  // Follow the bottom while it is in view: streaming text, a new message, a permission prompt.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [total, rows]);

  // ...and when the list itself gets shorter (the prompt box grew: more lines, attachments, the
  // refined prompt), so the last message does not slip under it.
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <div
      ref={scrollRef}
      className="chat-scroll"
      data-testid="chat-messages"
      tabIndex={0}
      aria-label="Conversation"
      onScroll={(event) => {
        const element = event.currentTarget;
        stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
      }}
    >
      <MeasuredRows
        virtualizer={virtualizer}
        rows={rows}
        className="chat-inner"
        slotClassName="chat-slot"
        render={(row, index) =>
          row.kind === 'message' ? (
            <MessageView
              entry={row.entry}
              interrupted={isInterrupted(row.entry, busy && index === messages.length - 1)}
            />
          ) : row.kind === 'permissions' ? (
            <PermissionPrompts sessionId={sessionId} requests={permissions} />
          ) : (
            <div className="chat-working" data-testid="chat-working">
              <LoaderCircle size={14} className="spin" aria-hidden="true" /> Working…
            </div>
          )
        }
      />
    </div>
  );
}

/**
 * An assistant message that is neither complete nor failed can only still be streaming when it is
 * the last one of a busy session; anywhere else OpenCode stopped under it (killed, restarted) and
 * nothing will ever finish it.
 */
function isInterrupted(entry: MessageEntry, mayStillStream: boolean): boolean {
  const { info } = entry;
  return info.role === 'assistant' && info.time.completed === undefined && !info.error && !mayStillStream;
}

/** The answers to a permission request, in the order shown; the first is the default action. */
const PERMISSION_REPLIES = [
  { reply: 'once', label: 'Allow once', className: 'button button-primary' },
  { reply: 'always', label: 'Always allow', className: 'button' },
  { reply: 'reject', label: 'Reject', className: 'button button-ghost' },
] as const;

function PermissionPrompts({ sessionId, requests }: { sessionId: string; requests: PermissionRequest[] }) {
  const reply = useChat((state) => state.replyPermission);
  const directory = useChat((state) => state.directory) ?? '';
  return (
    <div className="chat-permissions">
      {requests.map((request) => {
        const diff = typeof request.metadata.diff === 'string' ? request.metadata.diff : null;
        const file = typeof request.metadata.filepath === 'string' ? request.metadata.filepath : null;
        const target = file ? (relativeTo(directory, file) ?? file) : request.patterns.join(', ');
        return (
          <div
            key={request.id}
            className="chat-permission"
            role="group"
            aria-label={`Permission: ${request.permission}`}
            data-testid="permission-prompt"
            data-permission={request.permission}
          >
            <div className="chat-permission-head">
              <ShieldQuestion size={16} aria-hidden="true" />
              <span>
                The agent asks to <strong>{request.permission}</strong> <span className="mono">{target}</span>
              </span>
            </div>
            {diff ? <DiffBlock text={diff} /> : null}
            <div className="chat-permission-actions">
              {PERMISSION_REPLIES.map((choice) => (
                <button
                  key={choice.reply}
                  type="button"
                  className={choice.className}
                  onClick={() => void reply(sessionId, request.id, choice.reply)}
                  data-testid={`permission-${choice.reply}`}
                >
                  {choice.label}
                </button>
              ))}
            </div>
          </div>
        );
      })}
    </div>
  );
}
