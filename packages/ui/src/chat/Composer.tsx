/**
 * The prompt box: Enter sends, Shift+Enter is a new line, Escape or the Stop button aborts.
 * Files reach the prompt three ways: `@` mentions from the workspace's fuzzy search (OpenCode
 * reads them from disk), and the paperclip, a paste or a drop for any file (its bytes go along
 * as a `data:` URL, so a file outside the workspace, or from another machine's browser, works
 * too). The sparkles button asks the prompt enhancer to refine the text and shows the refined
 * prompt with its rationale: use it, or keep yours.
 */
import type { PromptEnhancerConfig, RefineResponse } from '@chamber/contract';
import { ArrowUp, FileText, LoaderCircle, Paperclip, Sparkles, Square, X } from 'lucide-react';
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { formatBytes } from '../lib/format.js';
import { attempt } from '../state/runtime.js';
import { showToast } from '../state/toasts.js';
import { useWorkspace } from '../state/workspace.js';
import { mentionedPaths } from './chat-model.js';
import { currentChoice, useChat, type PromptFile } from './chat-store.js';
import { MentionMenu, useMentions } from './mentions.js';

/**
 * Bigger files are refused at once: their bytes travel in the prompt (base64, a third larger)
 * and the model reads them whole; a mention lets OpenCode read a large file in parts.
 */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

interface Attachment extends PromptFile {
  id: number;
  size: number;
}

let nextAttachmentId = 1;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

/** The files as attachments (too big or unreadable ones toasted and left out). */
async function toAttachments(files: readonly File[]): Promise<Attachment[]> {
  const attached: Attachment[] = [];
  for (const file of files) {
    if (file.size > MAX_ATTACHMENT_BYTES) {
      showToast({
        tone: 'error',
        message: `${file.name} is ${formatBytes(file.size)}: attach files up to ${formatBytes(MAX_ATTACHMENT_BYTES)}, or mention a workspace file with @`,
      });
      continue;
    }
    const url = await attempt(`Reading ${file.name}`, () => readAsDataUrl(file));
    if (url === undefined) continue;
    // A file the browser cannot type (source code, say) is text to the model.
    const mime = file.type || 'text/plain';
    attached.push({ id: nextAttachmentId++, filename: file.name, mime, url: withMime(url, mime), size: file.size });
  }
  return attached;
}

/** `data:;base64,…` (no type known to the browser) with `mime` filled in. */
function withMime(url: string, mime: string): string {
  return url.startsWith('data:;') ? `data:${mime};${url.slice('data:;'.length)}` : url;
}

let enhancerConfig: Promise<PromptEnhancerConfig | undefined> | null = null;

export function Composer({ busy }: { busy: boolean }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [refining, setRefining] = useState(false);
  const [refined, setRefined] = useState<(RefineResponse & { original: string }) | null>(null);
  const ref = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const sessionId = useChat((state) => state.activeSessionId);
  const directory = useWorkspace((state) => state.directory);
  const mentions = useMentions(text, ref, setText);

  useEffect(() => {
    ref.current?.focus();
  }, [sessionId]);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight, 240)}px`;
  }, [text]);

  async function attach(files: readonly File[]) {
    if (files.length === 0) return;
    const added = await toAttachments(files);
    setAttachments((current) => [...current, ...added]);
    ref.current?.focus();
  }

  async function submit() {
    if (busy || sending || !text.trim()) return;
    setSending(true);
    const mentioned = mentionedPaths(text, new Set(mentions.chosen.keys())).flatMap((relative) => {
      const hit = mentions.chosen.get(relative);
      return hit ? [{ filename: relative, mime: 'text/plain', url: `file://${hit.path}` }] : [];
    });
    const files: PromptFile[] = [
      ...mentioned,
      ...attachments.map(({ filename, mime, url }) => ({ filename, mime, url })),
    ];
    const sent = await useChat.getState().send(text, files);
    setSending(false);
    if (sent) {
      setText('');
      setAttachments([]);
      setRefined(null);
    }
  }

  async function refine() {
    const prompt = text.trim();
    if (!prompt || refining) return;
    setRefining(true);
    // The enhancer's groups and options as saved in Settings; refine uses their defaults.
    enhancerConfig ??= attempt('Loading the prompt enhancer', (apis) => apis.promptEnhancer.loadConfig());
    const configuration = await enhancerConfig;
    if (!configuration) enhancerConfig = null;
    const agent = currentChoice(useChat.getState()).agent;
    const answer = await attempt('Refining the prompt', (apis) =>
      apis.promptEnhancer.refine({
        prompt,
        ...(configuration ? { configuration } : {}),
        ...(directory ? { workspaceDirectory: directory } : {}),
        includeAgentsContext: true,
        includeReadmeContext: true,
        ...(agent ? { targetAgent: { name: agent } } : {}),
      }),
    );
    setRefining(false);
    if (answer) setRefined({ ...answer, original: text });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (mentions.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && refined) {
      event.preventDefault();
      setRefined(null);
    } else if (event.key === 'Escape' && busy) {
      event.preventDefault();
      void useChat.getState().abort();
    }
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...event.clipboardData.files];
    if (files.length === 0) return;
    event.preventDefault();
    void attach(files);
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    const files = [...event.dataTransfer.files];
    if (files.length === 0) return;
    event.preventDefault();
    void attach(files);
  }

  return (
    <div className="chat-composer">
      {mentions.menu ? <MentionMenu {...mentions.menu} /> : null}
      {refined ? (
        <RefinedPrompt
          refined={refined}
          onUse={() => {
            setText(refined.prompt);
            setRefined(null);
            ref.current?.focus();
          }}
          onKeep={() => {
            setRefined(null);
            ref.current?.focus();
          }}
        />
      ) : null}
      <div
        className="chat-composer-box"
        onDragOver={(event) => {
          if (event.dataTransfer.types.includes('Files')) event.preventDefault();
        }}
        onDrop={onDrop}
      >
        {attachments.length ? (
          <ul className="chat-attachments" aria-label="Attached files" data-testid="attachments">
            {attachments.map((file) => (
              <li key={file.id} className="chat-file-chip" data-testid="attachment">
                <FileText size={12} aria-hidden="true" />
                <span className="chat-attachment-name">{file.filename}</span>
                <span className="chat-attachment-size">{formatBytes(file.size)}</span>
                <button
                  type="button"
                  className="chat-attachment-remove"
                  aria-label={`Remove ${file.filename}`}
                  title="Remove"
                  onClick={() => setAttachments((current) => current.filter((item) => item.id !== file.id))}
                  data-testid="attachment-remove"
                >
                  <X size={12} />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="chat-composer-row">
          <button
            type="button"
            className="chat-tool-button"
            onClick={() => fileInput.current?.click()}
            aria-label="Attach files"
            title="Attach files (or paste or drop them here)"
            data-testid="attach-button"
          >
            <Paperclip size={16} />
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            hidden
            onChange={(event) => {
              const files = [...(event.currentTarget.files ?? [])];
              // Cleared, so choosing the same file again is a change too.
              event.currentTarget.value = '';
              void attach(files);
            }}
            data-testid="attach-input"
          />
          <textarea
            ref={ref}
            className="chat-input"
            value={text}
            rows={1}
            placeholder={busy ? 'The agent is working… (Esc stops it)' : 'Ask the agent… (@ mentions a file)'}
            aria-label="Prompt"
            onChange={(event) => setText(event.target.value)}
            onKeyDown={onKeyDown}
            onSelect={mentions.onSelect}
            onPaste={onPaste}
            data-testid="chat-input"
          />
          <button
            type="button"
            className="chat-tool-button"
            onClick={() => void refine()}
            disabled={refining || !text.trim()}
            aria-label="Refine the prompt"
            title="Refine the prompt with the prompt enhancer (Settings → AI)"
            data-testid="refine-button"
          >
            {refining ? <LoaderCircle size={16} className="spin" /> : <Sparkles size={16} />}
          </button>
          {busy ? (
            <button
              type="button"
              className="chat-send is-stop"
              onClick={() => void useChat.getState().abort()}
              aria-label="Stop the reply"
              title="Stop (Esc)"
              data-testid="chat-abort"
            >
              <Square size={14} fill="currentColor" />
            </button>
          ) : (
            <button
              type="button"
              className="chat-send"
              onClick={() => void submit()}
              disabled={sending || !text.trim()}
              aria-label="Send"
              title="Send (Enter)"
              data-testid="chat-send"
            >
              {sending ? <LoaderCircle size={14} className="spin" /> : <ArrowUp size={16} />}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

function RefinedPrompt({
  refined,
  onUse,
  onKeep,
}: {
  refined: RefineResponse & { original: string };
  onUse(): void;
  onKeep(): void;
}) {
  return (
    <section className="chat-refined" aria-label="Refined prompt" data-testid="refine-panel">
      <header className="chat-refined-head">
        <Sparkles size={14} aria-hidden="true" />
        <strong>Refined prompt</strong>
        <span className="spacer" />
        <button type="button" className="button button-primary" onClick={onUse} data-testid="refine-use">
          Use it
        </button>
        <button type="button" className="button button-ghost" onClick={onKeep} data-testid="refine-keep">
          Keep mine
        </button>
      </header>
      <div className="chat-refined-prompt" data-testid="refine-prompt">
        {refined.prompt}
      </div>
      {refined.rationale.length ? (
        <ul className="chat-refined-rationale" aria-label="Why" data-testid="refine-rationale">
          {refined.rationale.map((reason, index) => (
            <li key={index}>{reason}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
