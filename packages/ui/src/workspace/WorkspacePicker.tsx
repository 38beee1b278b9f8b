/**
 * Choose the workspace directory: browse from home (or anywhere, by typing a path), or jump to a
 * pinned or recent one. Pins are saved as `pinnedDirectories`; opening saves `lastDirectory`.
 * Keyboard: ↑/↓ move, Enter or → enters a folder, ← or Backspace goes up, Ctrl/Cmd+Enter opens
 * the folder being shown, typing jumps to a name. In the desktop app, where only approved folders
 * can be listed, "Choose folder…" opens the OS folder picker and a refused folder offers "Grant
 * access" (both `request_directory_access`, which approves the folder for the sandbox).
 */
import { ACCESS_DENIED, SELECTION_CANCELLED } from '@chamber/contract';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  ArrowUp,
  Clock,
  Eye,
  EyeOff,
  FolderOpen,
  FolderSearch,
  House,
  Pin,
  PinOff,
  ShieldCheck,
  X,
} from 'lucide-react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { IconButton } from '../components/IconButton.js';
import { Kbd } from '../components/Kbd.js';
import { EntryIcon } from '../files/FileIcon.js';
import { sortEntries, type TreeEntry } from '../files/tree-model.js';
import { toTreeEntries } from '../files/tree-store.js';
import { basename, breadcrumbs, dirname, displayPath, expandHome, isRootPath } from '../lib/paths.js';
import { attempt, attemptOutcome, runtimeApis } from '../state/runtime.js';
import { showToast } from '../state/toasts.js';
import { useSettings } from '../state/settings.js';
import { useWorkspace } from '../state/workspace.js';
import { pinnedDirectories, recentDirectories, togglePinned } from './directories.js';

const ROW_HEIGHT = 30;

export function WorkspacePicker({ onDone }: { onDone?: () => void }) {
  const home = useWorkspace((state) => state.home);
  const current = useWorkspace((state) => state.directory);
  const open = useWorkspace((state) => state.open);
  const settings = useSettings((state) => state.settings);
  const save = useSettings((state) => state.save);

  const [browsePath, setBrowsePath] = useState<string | null>(null);
  const [folders, setFolders] = useState<TreeEntry[]>([]);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  /** A folder the sandbox refused to list (desktop: offered for approval). */
  const [denied, setDenied] = useState<string | null>(null);
  const isDesktop = runtimeApis().runtime.isDesktop;
  const [active, setActive] = useState(0);
  const [showHidden, setShowHidden] = useState(false);
  const [typed, setTyped] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const typeAhead = useRef({ text: '', at: 0 });

  // Only the newest listing is shown, and a listing never rewrites the path field while the
  // person is in it (unless the field itself asked for that listing).
  const browseSeq = useRef(0);
  const pathInputRef = useRef<HTMLInputElement>(null);
  /** `path` undefined: the runtime's start folder (the first allowed root, else home). */
  const browse = useCallback(async (path: string | undefined, focusName?: string, fromPathField = false) => {
    const seq = ++browseSeq.current;
    setLoading(true);
    // A refusal is shown in place, where it happened (with "Grant access" on desktop): no toast
    // repeating it over the dialog.
    const outcome = await attemptOutcome(`Listing ${path ?? 'the start folder'}`, (apis) => apis.files.list(path), {
      handles: () => true,
    });
    if (seq !== browseSeq.current) return;
    setLoading(false);
    if (!outcome.ok) {
      setProblem(outcome.message);
      setDenied(outcome.message === ACCESS_DENIED && path ? path : null);
      // The whole picker moves to the folder asked for (path field, breadcrumbs, an empty list,
      // no Open), not just the path field: nothing can stay half-switched.
      if (path) {
        setBrowsePath(path);
        setTyped(path);
        setFolders([]);
      }
      return;
    }
    setDenied(null);
    const shown = outcome.value.path || path || '';
    const dirs = sortEntries(toTreeEntries(outcome.value.entries).filter((entry) => entry.isDirectory));
    setProblem(null);
    const inPathField = document.activeElement === pathInputRef.current;
    setBrowsePath(shown);
    // Committed now, in the same task as the focus check: left to React's next render, the field
    // could take the focus (and a selection someone types over) before this value replaced it.
    if (fromPathField || !inPathField) flushSync(() => setTyped(shown));
    setFolders(dirs);
    setActive(Math.max(0, focusName ? dirs.findIndex((entry) => entry.name === focusName) : 0));
    if (!inPathField) listRef.current?.focus();
  }, []);

  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void browse(current ?? undefined);
  }, [current, browse]);

  const visible = useMemo(
    () => (showHidden ? folders : folders.filter((entry) => !entry.name.startsWith('.'))),
    [folders, showHidden],
  );
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  useEffect(() => {
    if (active >= visible.length && visible.length > 0) setActive(visible.length - 1);
  }, [active, visible.length]);

  const pinned = settings ? pinnedDirectories(settings) : [];
  const recent = settings ? recentDirectories(settings, home) : [];
  const isPinned = browsePath !== null && pinned.includes(browsePath);

  // Open takes the folder on show, so not while another is being listed: a path typed and
  // submitted a moment before would otherwise open the folder it is leaving.
  const canOpen = problem === null && !loading;

  async function choose(path: string) {
    if (await open(path)) onDone?.();
  }

  /** Desktop: approve `path` (or the folder chosen in the OS picker), then browse it. */
  async function requestAccess(path?: string) {
    const context = path ? `Granting access to ${path}` : 'Choosing a folder';
    // A blank path asks the runtime for the OS folder picker; refusals come back as `error`.
    const result = await attempt(context, (apis) => apis.permissions.requestDirectoryAccess({ path: path ?? '' }));
    if (!result) return;
    if (!result.success || !result.path) {
      if (result.error && result.error !== SELECTION_CANCELLED) {
        showToast({ tone: 'error', message: result.error, context });
      }
      return;
    }
    void browse(result.path);
  }

  function goUp() {
    if (!browsePath) return;
    const parent = dirname(browsePath);
    if (parent) void browse(parent, basename(browsePath));
  }

  function move(index: number) {
    if (visible.length === 0) return;
    const next = Math.max(0, Math.min(visible.length - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  }

  function onListKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const entry = visible[active];
    const page = Math.max(1, Math.floor((listRef.current?.clientHeight ?? 300) / ROW_HEIGHT) - 1);
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      if (browsePath && canOpen) void choose(browsePath);
    } else if (event.ctrlKey || event.metaKey || event.altKey) {
      return;
    } else if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(visible.length - 1);
    else if (event.key === 'PageDown') move(active + page);
    else if (event.key === 'PageUp') move(active - page);
    else if ((event.key === 'Enter' || event.key === 'ArrowRight') && entry) void browse(entry.path);
    else if (event.key === 'ArrowLeft' || event.key === 'Backspace') goUp();
    else if (event.key.length === 1 && event.key !== ' ') {
      const now = Date.now();
      const state = typeAhead.current;
      state.text = now - state.at > 700 ? event.key.toLowerCase() : state.text + event.key.toLowerCase();
      state.at = now;
      const found = visible.findIndex((item) => item.name.toLowerCase().startsWith(state.text));
      if (found >= 0) move(found);
    } else return;
    event.preventDefault();
  }

  const crumbs = browsePath ? breadcrumbs(browsePath) : [];
  const activeEntry = visible[active];

  return (
    <div className="picker" data-testid="workspace-picker">
      <nav className="picker-places" aria-label="Places">
        <div className="picker-section">
          <h3>Places</h3>
          {home ? (
            <PlaceButton icon={<House size={15} />} label="Home" detail={home} onClick={() => void browse(home)} />
          ) : null}
          {isDesktop ? (
            <PlaceButton
              icon={<FolderSearch size={15} />}
              label="Choose folder…"
              detail="Any folder, approved for Chamber"
              onClick={() => void requestAccess()}
              testId="picker-choose-folder"
            />
          ) : null}
          {current ? (
            <PlaceButton
              icon={<FolderOpen size={15} />}
              label="Current workspace"
              detail={displayPath(current, home)}
              onClick={() => void browse(current)}
            />
          ) : null}
        </div>
        <div className="picker-section" data-testid="pinned-directories">
          <h3>Pinned</h3>
          {pinned.length === 0 ? <p className="picker-hint">Pin folders you come back to.</p> : null}
          {pinned.map((dir) => (
            <PlaceButton
              key={dir}
              icon={<Pin size={15} />}
              label={basename(dir)}
              detail={displayPath(dir, home)}
              onClick={() => void choose(dir)}
              action={
                <IconButton
                  label={`Unpin ${dir}`}
                  title="Unpin"
                  onClick={() =>
                    void save({ pinnedDirectories: togglePinned(settings ?? {}, dir) }, 'Unpinning a folder')
                  }
                >
                  <X size={13} />
                </IconButton>
              }
            />
          ))}
        </div>
        <div className="picker-section" data-testid="recent-directories">
          <h3>Recent</h3>
          {recent.length === 0 ? <p className="picker-hint">Folders you open appear here.</p> : null}
          {recent.map((dir) => (
            <PlaceButton
              key={dir}
              icon={<Clock size={15} />}
              label={basename(dir)}
              detail={displayPath(dir, home)}
              onClick={() => void choose(dir)}
            />
          ))}
        </div>
      </nav>

      <section className="picker-browser" aria-label="Browse folders">
        <form
          className="picker-pathbar"
          onSubmit={(event) => {
            event.preventDefault();
            const target = expandHome(typed, home);
            if (target) void browse(target, undefined, true);
          }}
        >
          <IconButton label="Parent folder" onClick={goUp}>
            <ArrowUp size={15} />
          </IconButton>
          <input
            ref={pathInputRef}
            className="input mono"
            aria-label="Folder path"
            value={typed}
            spellCheck={false}
            onChange={(event) => setTyped(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                listRef.current?.focus();
              }
            }}
            data-testid="picker-path"
          />
        </form>
        <div className="picker-crumbs" aria-label="Folder path">
          {crumbs.map((crumb, index) => (
            <span key={crumb.path} className="crumb">
              {index > 0 && !isRootPath(crumbs[index - 1]?.path ?? '') ? <span className="crumb-sep">/</span> : null}
              <button type="button" className="crumb-button" onClick={() => void browse(crumb.path)}>
                {crumb.name}
              </button>
            </span>
          ))}
        </div>
        <div
          ref={listRef}
          className="picker-list"
          role="listbox"
          tabIndex={0}
          aria-label={browsePath ? `Folders in ${browsePath}` : 'Folders'}
          aria-activedescendant={activeEntry ? `picker-row-${active}` : undefined}
          onKeyDown={onListKeyDown}
          data-testid="picker-list"
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const entry = visible[item.index] as TreeEntry;
              return (
                <div
                  key={entry.path}
                  id={`picker-row-${item.index}`}
                  role="option"
                  aria-selected={item.index === active}
                  className={`picker-row${item.index === active ? ' is-active' : ''}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => {
                    setActive(item.index);
                    listRef.current?.focus();
                  }}
                  onDoubleClick={() => void browse(entry.path)}
                  data-path={entry.path}
                >
                  <EntryIcon name={entry.name} isDirectory size={15} />
                  <span className="picker-name">{entry.name}</span>
                  <button
                    type="button"
                    tabIndex={-1}
                    className="picker-enter"
                    aria-label={`Enter ${entry.name}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      void browse(entry.path);
                    }}
                  >
                    ›
                  </button>
                </div>
              );
            })}
          </div>
          {!loading && visible.length === 0 && browsePath && !problem ? (
            <div className="picker-empty">
              No folders here{folders.length > visible.length ? ' (hidden ones are not shown)' : ''}.
            </div>
          ) : null}
        </div>
        {problem ? (
          <div className="picker-problem" role="alert" data-testid="picker-problem">
            <span>{problem}</span>
            {isDesktop && denied ? (
              <button
                type="button"
                className="button button-ghost"
                onClick={() => void requestAccess(denied)}
                data-testid="picker-grant-access"
              >
                <ShieldCheck size={14} />
                Grant access
              </button>
            ) : null}
          </div>
        ) : null}
        <footer className="picker-footer">
          <button
            type="button"
            className="button button-ghost"
            aria-pressed={showHidden}
            onClick={() => setShowHidden((value) => !value)}
          >
            {showHidden ? <EyeOff size={14} /> : <Eye size={14} />}
            {showHidden ? 'Hide hidden' : 'Show hidden'}
          </button>
          <button
            type="button"
            className="button button-ghost"
            disabled={!browsePath}
            onClick={() =>
              browsePath &&
              void save(
                { pinnedDirectories: togglePinned(settings ?? {}, browsePath) },
                isPinned ? 'Unpinning a folder' : 'Pinning a folder',
              )
            }
            data-testid="picker-pin"
          >
            {isPinned ? <PinOff size={14} /> : <Pin size={14} />}
            {isPinned ? 'Unpin' : 'Pin'}
          </button>
          <span className="spacer" />
          <span className="picker-keys">
            <Kbd shortcut="mod+Enter" />
          </span>
          <button
            type="button"
            className={`button button-primary picker-open${loading && problem === null ? ' is-listing' : ''}`}
            disabled={!browsePath || !canOpen}
            aria-busy={loading}
            title={browsePath ?? undefined}
            onClick={() => browsePath && canOpen && void choose(browsePath)}
            data-testid="picker-open"
          >
            Open {browsePath ? basename(browsePath) : 'folder'}
          </button>
        </footer>
      </section>
    </div>
  );
}

function PlaceButton({
  icon,
  label,
  detail,
  onClick,
  action,
  testId,
}: {
  icon: React.ReactNode;
  label: string;
  detail: string;
  onClick(): void;
  action?: React.ReactNode;
  testId?: string;
}) {
  return (
    <div className="place">
      <button type="button" className="place-button" onClick={onClick} title={detail} data-testid={testId}>
        <span className="place-icon" aria-hidden="true">
          {icon}
        </span>
        <span className="place-text">
          <span className="place-label">{label}</span>
          <span className="place-detail">{detail}</span>
        </span>
      </button>
      {action}
    </div>
  );
}
