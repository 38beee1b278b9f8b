/**
 * The main area's read-only file viewer: CodeMirror 6 with line numbers, syntax highlighting by
 * file name, find in file (Ctrl/Cmd+F or the header's button: @codemirror/search), the path to
 * copy, and the runtime's word on truncated and binary files. CodeMirror draws only the lines in
 * view, so a 50k-line file opens and scrolls like a short one. Loaded as its own chunk (React
 * `lazy`): the editor costs nothing until a file is opened.
 */
import { defaultKeymap } from '@codemirror/commands';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { highlightSelectionMatches, openSearchPanel, search, searchKeymap } from '@codemirror/search';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { FS_READ_MAX_BYTES } from '@chamber/contract';
import { tags } from '@lezer/highlight';
import { Copy, FileWarning, LoaderCircle, Search, TriangleAlert, X } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { IconButton } from '../components/IconButton.js';
import { copyText } from '../lib/clipboard.js';
import { formatBytes, formatRelativeTime } from '../lib/format.js';
import { basename, dirname, relativeTo } from '../lib/paths.js';
import { useWorkspace } from '../state/workspace.js';
import { languageName, loadLanguage } from './code-languages.js';
import { EntryIcon } from './FileIcon.js';
import { useViewer } from './viewer-store.js';

/** Colours come from the theme's `--syn-*` properties, so both themes (and a switch) just work. */
const highlightStyle = HighlightStyle.define([
  { tag: [tags.keyword, tags.modifier, tags.operatorKeyword, tags.controlKeyword], color: 'var(--syn-keyword)' },
  { tag: [tags.string, tags.special(tags.string), tags.regexp, tags.inserted], color: 'var(--syn-string)' },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: 'var(--syn-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--syn-comment)', fontStyle: 'italic' },
  {
    tag: [
      tags.function(tags.variableName),
      tags.function(tags.propertyName),
      tags.definition(tags.function(tags.variableName)),
    ],
    color: 'var(--syn-function)',
  },
  { tag: [tags.typeName, tags.className, tags.namespace, tags.standard(tags.variableName)], color: 'var(--syn-type)' },
  { tag: [tags.propertyName, tags.attributeName, tags.labelName], color: 'var(--syn-property)' },
  { tag: [tags.tagName, tags.angleBracket, tags.meta, tags.processingInstruction], color: 'var(--syn-tag)' },
  { tag: [tags.heading], color: 'var(--syn-keyword)', fontWeight: '600' },
  { tag: [tags.link, tags.url], color: 'var(--syn-string)', textDecoration: 'underline' },
  { tag: [tags.emphasis], fontStyle: 'italic' },
  { tag: [tags.strong], fontWeight: '600' },
  { tag: [tags.deleted, tags.invalid], color: 'var(--danger)' },
]);

const viewerTheme = EditorView.theme({
  '&': { height: '100%', fontSize: 'var(--code-size)', backgroundColor: 'var(--bg)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--text)' },
  '.cm-gutters': { backgroundColor: 'var(--bg)', color: 'var(--text-faint)', border: 'none' },
  '.cm-lineNumbers .cm-gutterElement': { padding: '0 12px 0 16px' },
  '.cm-activeLine': { backgroundColor: 'var(--bg-hover)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--bg-hover)', color: 'var(--text-muted)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--selection-strong)' },
  '.cm-searchMatch': { backgroundColor: 'var(--mark-bg)', outline: '1px solid var(--mark-bg)' },
  '.cm-searchMatch.cm-searchMatch-selected': {
    backgroundColor: 'var(--accent-soft)',
    outline: '1px solid var(--accent)',
  },
  '.cm-selectionMatch': { backgroundColor: 'var(--selection)' },
  '.cm-panels': { backgroundColor: 'var(--bg-chrome)', color: 'var(--text)' },
  '.cm-panels.cm-panels-top': { borderBottom: '1px solid var(--border)' },
});

export default function FileViewer() {
  const path = useViewer((state) => state.path);
  const status = useViewer((state) => state.status);
  const file = useViewer((state) => state.file);
  const error = useViewer((state) => state.error);
  const directory = useWorkspace((state) => state.directory);
  const viewRef = useRef<EditorView | null>(null);
  if (!path) return null;

  const name = basename(path);
  const relative = directory ? relativeTo(directory, path) : null;
  const folder = relative !== null ? dirname(relative) : dirname(path);
  const language = languageName(name);

  return (
    <article className="file-viewer" aria-label={`Contents of ${name}`} data-testid="file-viewer" data-path={path}>
      <header className="diff-header viewer-header">
        <EntryIcon name={name} isDirectory={false} size={18} />
        <div className="diff-title">
          <h1 data-testid="viewer-name">{name}</h1>
          <span className="diff-subtitle">
            {folder ? <span className="mono">{folder}</span> : null}
            {file ? (
              <>
                <span title={`${file.size.toLocaleString()} bytes`}>{formatBytes(file.size)}</span>
                {file.content !== null ? <span>{plural(lineCount(file.content), 'line')}</span> : null}
                {language && !file.binary ? <span>{language}</span> : null}
                {file.encoding && file.encoding !== 'utf-8' ? <span>{file.encoding.toUpperCase()}</span> : null}
                <span title={new Date(file.modifiedTime).toLocaleString()}>
                  modified {formatRelativeTime(file.modifiedTime, Date.now())}
                </span>
              </>
            ) : null}
          </span>
        </div>
        <span className="spacer" />
        <IconButton
          label="Find in file"
          title="Find in file (Ctrl/Cmd+F)"
          onClick={() => {
            if (viewRef.current) openSearchPanel(viewRef.current);
          }}
          testId="viewer-find"
        >
          <Search size={15} />
        </IconButton>
        <IconButton
          label="Copy path"
          title={`Copy ${relative ?? path}`}
          onClick={() => void copyText(relative ?? path, 'Path copied')}
          testId="viewer-copy-path"
        >
          <Copy size={15} />
        </IconButton>
        <IconButton label="Close the file" onClick={() => useViewer.getState().close()} testId="viewer-close">
          <X size={16} />
        </IconButton>
      </header>
      {file?.truncated ? (
        <div className="diff-notice" role="note" data-testid="viewer-truncated">
          <TriangleAlert size={14} aria-hidden="true" />
          Showing the first {formatBytes(FS_READ_MAX_BYTES)} of {formatBytes(file.size)}: the file is too large to show
          whole.
        </div>
      ) : null}
      {status === 'loading' ? (
        <div className="git-loading" aria-busy="true">
          <LoaderCircle size={16} className="spin" aria-hidden="true" /> Reading {name}…
        </div>
      ) : status === 'error' ? (
        <div className="viewer-empty" role="alert" data-testid="viewer-error">
          <FileWarning size={22} aria-hidden="true" />
          <p>{error}</p>
        </div>
      ) : file?.binary ? (
        <div className="viewer-empty" data-testid="viewer-binary">
          <FileWarning size={22} aria-hidden="true" />
          <p>
            {name} is a binary file ({formatBytes(file.size)}): it has no text to show.
          </p>
        </div>
      ) : file ? (
        <CodeView path={path} content={file.content ?? ''} viewRef={viewRef} />
      ) : null}
    </article>
  );
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString()} ${word}${count === 1 ? '' : 's'}`;
}

function lineCount(text: string): number {
  if (text === '') return 1;
  let count = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return text.endsWith('\n') ? count - 1 : count;
}

function baseExtensions(language: Compartment): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    drawSelection(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    // Read-only, yet focusable: the caret moves, text can be selected and searched.
    EditorState.readOnly.of(true),
    EditorView.contentAttributes.of({ 'aria-label': 'File contents', 'aria-readonly': 'true' }),
    search({ top: true }),
    keymap.of([...searchKeymap, ...defaultKeymap]),
    syntaxHighlighting(highlightStyle),
    language.of([]),
    viewerTheme,
  ];
}

function CodeView({
  path,
  content,
  viewRef,
}: {
  path: string;
  content: string;
  viewRef: React.RefObject<EditorView | null>;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const language = useRef(new Compartment());
  const shown = useRef<{ path: string; content: string } | null>(null);
  const target = useViewer((state) => state.target);
  const applied = useRef(0);

  // One editor for the component's life; a new file gets a new state, new text of the same file
  // (it changed on disk) replaces the document and keeps the scroll position.
  useEffect(() => {
    const view = new EditorView({ parent: hostRef.current as HTMLElement });
    viewRef.current = view;
    return () => {
      view.destroy();
      viewRef.current = null;
      shown.current = null;
    };
  }, [viewRef]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    const previous = shown.current;
    shown.current = { path, content };
    if (previous?.path === path) {
      if (previous.content !== content) {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: content } });
      }
      return;
    }
    view.setState(EditorState.create({ doc: content, extensions: baseExtensions(language.current) }));
    view.scrollDOM.scrollTop = 0;
    let cancelled = false;
    void loadLanguage(basename(path)).then((support) => {
      if (!cancelled && support && shown.current?.path === path) {
        view.dispatch({ effects: language.current.reconfigure(support) });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [path, content, viewRef]);

  useEffect(() => {
    const view = viewRef.current;
    // Each request once: a reload of the same file must not pull the view back to it.
    if (!view || !target || applied.current === target.seq) return;
    applied.current = target.seq;
    const line = view.state.doc.line(Math.min(target.line, view.state.doc.lines));
    view.dispatch({
      selection: { anchor: line.from },
      effects: EditorView.scrollIntoView(line.from, { y: 'center' }),
    });
    view.focus();
  }, [target, path, content, viewRef]);

  return <div ref={hostRef} className="viewer-code" data-testid="viewer-code" />;
}
