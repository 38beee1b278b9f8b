/**
 * One message of the conversation and its parts: the person's text; the assistant's Markdown,
 * reasoning (collapsible), tool calls with their state, input, output and (for file edits) the
 * diff drawn by the git diff viewer's rows; the model's error; the token/cost line.
 */
import type { Part, ToolPart } from '@opencode-ai/sdk/v2/client';
import {
  Brain,
  ChevronRight,
  CircleAlert,
  CircleCheck,
  CircleDashed,
  CircleSlash,
  FileText,
  LoaderCircle,
  ShieldQuestion,
  Wrench,
} from 'lucide-react';
import { memo, useMemo, useState, type ReactNode } from 'react';
import { parseUnifiedDiff, unifiedRows } from '../git/diff-model.js';
import { renderUnified } from '../git/DiffViewer.js';
import { relativeTo } from '../lib/paths.js';
import {
  clipText,
  contextLine,
  errorText,
  headLines,
  toolDiff,
  toolSubject,
  usageLine,
  type MessageEntry,
} from './chat-model.js';
import { useChat } from './chat-store.js';
import { splitMarkdownBlocks } from './markdown-blocks.js';
import { useMarkdownRenderer } from './markdown-loader.js';

export const MessageView = memo(function MessageView({
  entry,
  interrupted = false,
}: {
  entry: MessageEntry;
  /** An assistant reply that will never finish: OpenCode stopped (crashed, restarted) under it. */
  interrupted?: boolean;
}) {
  const { info, parts } = entry;
  const contextLimit = useChat((state) =>
    info.role === 'assistant'
      ? (state.models.find((model) => model.providerID === info.providerID && model.modelID === info.modelID)
          ?.contextLimit ?? 0)
      : 0,
  );
  if (info.role === 'user') {
    const text = parts
      .flatMap((part) => (part.type === 'text' && !part.synthetic ? [part.text] : []))
      .join('\n')
      .trim();
    const files = parts.filter((part) => part.type === 'file');
    return (
      <div className="chat-message is-user" data-testid="chat-message" data-role="user" data-id={info.id}>
        <div className="chat-user-bubble">
          {text}
          {files.map((file) => (
            <span key={file.id} className="chat-file-chip">
              <FileText size={12} aria-hidden="true" /> {file.filename ?? file.url}
            </span>
          ))}
        </div>
      </div>
    );
  }
  const error = errorText(info);
  const aborted = info.role === 'assistant' && info.error?.name === 'MessageAbortedError';
  const usage = info.role === 'assistant' && info.time.completed ? usageLine(info) : '';
  const context = usage ? contextLine(info, contextLimit) : '';
  return (
    <div className="chat-message is-assistant" data-testid="chat-message" data-role="assistant" data-id={info.id}>
      {parts.map((part) => (
        <PartView key={part.id} part={part} />
      ))}
      {error ? (
        <div
          className={`chat-error${aborted ? ' is-aborted' : ''}`}
          role={aborted ? 'note' : 'alert'}
          data-testid={aborted ? 'chat-aborted' : 'chat-error'}
        >
          {aborted ? <CircleSlash size={14} aria-hidden="true" /> : <CircleAlert size={14} aria-hidden="true" />}
          <span>{aborted ? 'Stopped.' : error}</span>
        </div>
      ) : interrupted ? (
        <div className="chat-error is-aborted" role="note" data-testid="chat-interrupted">
          <CircleSlash size={14} aria-hidden="true" />
          <span>Interrupted: OpenCode stopped before this reply was complete.</span>
        </div>
      ) : null}
      {usage ? (
        <div className="chat-usage" data-testid="chat-usage">
          {info.role === 'assistant' ? <span className="chat-usage-model">{info.modelID}</span> : null}
          {usage}
          {context ? (
            <span className="chat-usage-context" data-testid="chat-context">
              {context}
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
});

function PartView({ part }: { part: Part }) {
  switch (part.type) {
    case 'text':
      return part.synthetic || !part.text ? null : <Markdown text={part.text} />;
    case 'reasoning':
      return part.text ? <Reasoning text={part.text} done={part.time.end !== undefined} /> : null;
    case 'tool':
      return <ToolView part={part} />;
    case 'file':
      return (
        <div className="chat-file-chip">
          <FileText size={12} aria-hidden="true" /> {part.filename ?? part.url}
        </div>
      );
    case 'patch':
      return part.files.length ? (
        <div className="chat-note" data-testid="chat-patch">
          Changed {part.files.length === 1 ? 'one file' : `${part.files.length} files`}: {part.files.join(', ')}
        </div>
      ) : null;
    case 'retry':
      return <div className="chat-note">Retrying (attempt {part.attempt})…</div>;
    case 'compaction':
      return <div className="chat-note">The conversation was compacted.</div>;
    case 'agent':
      return <div className="chat-note">Agent: {part.name}</div>;
    case 'subtask':
      return <div className="chat-note">Sub-task: {part.description}</div>;
    default:
      // step-start, step-finish, snapshot: bookkeeping, shown as the usage line.
      return null;
  }
}

const Markdown = memo(function Markdown({ text }: { text: string }) {
  const render = useMarkdownRenderer();
  const blocks = useMemo(() => splitMarkdownBlocks(text), [text]);
  // Until markdown-it has loaded: the text as it is (React escapes it).
  if (!render)
    return (
      <div className="chat-markdown is-plain" data-testid="chat-markdown">
        {text}
      </div>
    );
  return (
    <div className="chat-markdown" data-testid="chat-markdown">
      {blocks.map((block, index) => (
        <MarkdownBlock key={index} text={block} render={render} />
      ))}
    </div>
  );
});

/** One block, rendered again only when its own text changed (while streaming: the last one). */
const MarkdownBlock = memo(function MarkdownBlock({
  text,
  render,
}: {
  text: string;
  render: (text: string) => string;
}) {
  const html = useMemo(() => render(text), [render, text]);
  // The HTML comes from markdown.ts, which renders model output inert (no raw HTML, safe links).
  return <div className="md-block" dangerouslySetInnerHTML={{ __html: html }} />;
});

function Reasoning({ text, done }: { text: string; done: boolean }) {
  return (
    <details className="chat-reasoning" data-testid="chat-reasoning">
      <summary>
        <ChevronRight size={13} className="chat-chevron" aria-hidden="true" />
        <Brain size={13} aria-hidden="true" />
        {done ? 'Thought' : 'Thinking…'}
        <span className="chat-reasoning-preview">{text.split('\n', 1)[0]}</span>
      </summary>
      <div className="chat-reasoning-body">{text}</div>
    </details>
  );
}

const STATUS_ICON: Record<ToolPart['state']['status'], ReactNode> = {
  pending: <CircleDashed size={13} aria-hidden="true" />,
  running: <LoaderCircle size={13} className="spin" aria-hidden="true" />,
  completed: <CircleCheck size={13} aria-hidden="true" />,
  error: <CircleAlert size={13} aria-hidden="true" />,
};

const STATUS_LABEL: Record<ToolPart['state']['status'], string> = {
  pending: 'pending',
  running: 'running',
  completed: 'done',
  error: 'error',
};

function ToolView({ part }: { part: ToolPart }) {
  const { state } = part;
  const diff = useMemo(() => toolDiff(part), [part]);
  const [open, setOpen] = useState<boolean | null>(null);
  const asking = useChat(
    (chat) => chat.permissions[part.sessionID]?.some((request) => request.tool?.callID === part.callID) ?? false,
  );
  // Done file changes and failures show themselves (a change still asking shows its diff in the
  // permission prompt); other calls fold until asked.
  const expanded =
    open ?? ((diff !== null && state.status === 'completed') || state.status === 'error' || part.tool === 'todowrite');
  const directory = useChat((chat) => chat.directory) ?? '';
  // A file tool names its file relative to the workspace (OpenCode's title is relative to the
  // repository root, or to / outside a repository).
  const filePath = typeof state.input.filePath === 'string' ? state.input.filePath : null;
  const subject = filePath ? (relativeTo(directory, filePath) ?? filePath) : toolSubject(part);
  return (
    <div className="chat-tool" data-testid="tool-part" data-tool={part.tool} data-status={state.status}>
      <button
        type="button"
        className="chat-tool-head"
        aria-expanded={expanded}
        onClick={() => setOpen(!expanded)}
        data-testid="tool-toggle"
      >
        <ChevronRight size={13} className="chat-chevron" aria-hidden="true" />
        <Wrench size={13} aria-hidden="true" className="chat-tool-icon" />
        <span className="chat-tool-name">{part.tool}</span>
        <span className="chat-tool-subject mono">{subject}</span>
        {asking ? (
          <span className="chat-tool-status is-asking" data-testid="tool-status">
            <ShieldQuestion size={13} aria-hidden="true" />
            needs permission
          </span>
        ) : (
          <span className={`chat-tool-status is-${state.status}`} data-testid="tool-status">
            {STATUS_ICON[state.status]}
            {STATUS_LABEL[state.status]}
          </span>
        )}
      </button>
      {expanded ? (
        <div className="chat-tool-body">
          {part.tool === 'todowrite' ? <Todos input={state.input} /> : null}
          {diff ? (
            <DiffBlock text={diff} />
          ) : part.tool !== 'todowrite' ? (
            <Output label="Input" text={formatInput(state.input)} />
          ) : null}
          {state.status === 'completed' && state.output && !diff ? <Output label="Output" text={state.output} /> : null}
          {state.status === 'error' ? <Output label="Error" text={state.error} tone="error" /> : null}
        </div>
      ) : null}
    </div>
  );
}

function formatInput(input: Record<string, unknown>): string {
  const keys = Object.keys(input);
  if (keys.length === 1 && typeof input.command === 'string') return input.command;
  return JSON.stringify(input, null, 2);
}

const OUTPUT_LINES = 24;
const OUTPUT_CHARS = 4000;

function Output({ label, text, tone }: { label: string; text: string; tone?: 'error' }) {
  const [full, setFull] = useState(false);
  const clipped = useMemo(
    () => (full ? { text, hidden: 0 } : clipText(text, OUTPUT_LINES, OUTPUT_CHARS)),
    [text, full],
  );
  return (
    <div className={`chat-output${tone ? ` is-${tone}` : ''}`}>
      <div className="chat-output-label">{label}</div>
      <pre data-testid={`tool-${label.toLowerCase()}`}>{clipped.text}</pre>
      {clipped.hidden > 0 ? (
        <button type="button" className="chat-more" onClick={() => setFull(true)} data-testid="show-more">
          Show more ({clipped.hidden.toLocaleString()} more characters)
        </button>
      ) : null}
    </div>
  );
}

const DIFF_ROWS = 60;
const DIFF_STEP = 1000;

function DiffBlock({ text }: { text: string }) {
  const [limit, setLimit] = useState(DIFF_ROWS);
  const { head, rest } = useMemo(() => headLines(text, limit), [text, limit]);
  const rows = useMemo(() => unifiedRows(parseUnifiedDiff(head)), [head]);
  return (
    <div className="chat-diff" data-testid="tool-diff">
      {rows.map((row, index) => (
        <div key={index}>{renderUnified(row)}</div>
      ))}
      {rest > 0 ? (
        <button
          type="button"
          className="chat-more"
          onClick={() => setLimit((shown) => shown + DIFF_STEP)}
          data-testid="show-more"
        >
          {rest > DIFF_STEP
            ? `Show ${DIFF_STEP.toLocaleString()} more lines (${rest.toLocaleString()} not shown)`
            : `Show ${rest.toLocaleString()} more ${rest === 1 ? 'line' : 'lines'}`}
        </button>
      ) : null}
    </div>
  );
}

interface Todo {
  content: string;
  status: string;
}

function Todos({ input }: { input: Record<string, unknown> }) {
  const todos = Array.isArray(input.todos) ? (input.todos as Todo[]) : [];
  return (
    <ul className="chat-todos">
      {todos.map((todo, index) => (
        <li key={index} className={`is-${todo.status}`}>
          <span aria-hidden="true">
            {todo.status === 'completed' ? '☑' : todo.status === 'in_progress' ? '◐' : '☐'}
          </span>
          {todo.content}
        </li>
      ))}
    </ul>
  );
}

export { DiffBlock };
