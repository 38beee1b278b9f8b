/**
 * The main area of the files view: the file viewer for a file, what is selected for a folder
 * (kind, modified time, location, counts) with its path to copy, or a welcome with the shortcuts.
 */
import { Copy, Link2, LoaderCircle } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { IconButton } from '../components/IconButton.js';
import { ShortcutList } from '../components/ShortcutList.js';
import { copyText } from '../lib/clipboard.js';
import { formatBytes, formatRelativeTime } from '../lib/format.js';
import { basename, breadcrumbs, displayPath, joinPath, relativeTo } from '../lib/paths.js';
import { useWorkspace } from '../state/workspace.js';
import { EntryIcon, fileKind } from './FileIcon.js';
import { summarizeEntries } from './tree-model.js';
import { findEntry, useTree } from './tree-store.js';
import { useViewer } from './viewer-store.js';

/** CodeMirror and its languages load with the first file opened, not with the app. */
const FileViewer = lazy(() => import('./FileViewer.js'));

export function MainArea() {
  const selected = useTree((state) => state.selected);
  const viewing = useViewer((state) => state.path !== null);
  if (viewing) {
    return (
      <Suspense
        fallback={
          <div className="git-loading" aria-busy="true">
            <LoaderCircle size={16} className="spin" aria-hidden="true" /> Opening the viewer…
          </div>
        }
      >
        <FileViewer />
      </Suspense>
    );
  }
  return selected ? <EntryDetails path={selected} /> : <Welcome />;
}

function Welcome() {
  const directory = useWorkspace((state) => state.directory);
  const home = useWorkspace((state) => state.home);
  return (
    <div className="welcome" data-testid="welcome">
      <div className="welcome-mark" aria-hidden="true">
        <EntryIcon name="" isDirectory open size={28} />
      </div>
      <h1>{directory ? basename(directory) : 'Chamber'}</h1>
      {directory ? <p className="welcome-path mono">{displayPath(directory, home)}</p> : null}
      <ShortcutList className="welcome-shortcuts" />
    </div>
  );
}

function EntryDetails({ path }: { path: string }) {
  const root = useTree((state) => state.root);
  const directories = useTree((state) => state.directories);
  const select = useTree((state) => state.select);
  const entry = findEntry(directories, path);
  const name = basename(path);
  const relative = root ? relativeTo(root, path) : null;
  const listing = entry?.isDirectory ? directories.get(path) : undefined;
  const counts = listing?.status === 'loaded' ? summarizeEntries(listing.entries) : null;
  const crumbs =
    root && relative !== null
      ? breadcrumbs(relative).map((crumb) => ({ ...crumb, path: joinPath(root, crumb.path) }))
      : [];
  const kind = entry?.isDirectory
    ? 'Folder'
    : `${fileKind(name).tone === 'plain' ? 'File' : describeTone(fileKind(name).tone)}`;

  return (
    <article className="details" data-testid="entry-details" aria-label={`Details of ${name}`}>
      <nav className="details-crumbs" aria-label="Location in the workspace">
        <button type="button" className="crumb-button" onClick={() => select(null)}>
          {root ? basename(root) : ''}
        </button>
        {crumbs.map((crumb, index) => (
          <span key={crumb.path} className="crumb">
            <span className="crumb-sep">/</span>
            {index === crumbs.length - 1 ? (
              <span className="crumb-current">{crumb.name}</span>
            ) : (
              <button type="button" className="crumb-button" onClick={() => select(crumb.path)}>
                {crumb.name}
              </button>
            )}
          </span>
        ))}
      </nav>
      <header className="details-header">
        <div className="details-icon">
          <EntryIcon name={name} isDirectory={entry?.isDirectory ?? false} size={26} />
        </div>
        <div>
          <h1 className="details-name" data-testid="details-name">
            {name}
          </h1>
          <p className="details-kind">
            {kind}
            {entry?.isSymbolicLink ? (
              <span className="details-link">
                <Link2 size={12} aria-hidden="true" /> symbolic link
              </span>
            ) : null}
          </p>
        </div>
      </header>

      <dl className="details-grid">
        {entry && !entry.isDirectory && entry.size !== null ? (
          <Fact label="Size" value={`${formatBytes(entry.size)}`} hint={`${entry.size.toLocaleString()} bytes`} />
        ) : null}
        {counts ? (
          <Fact
            label="Contains"
            value={`${counts.directories.toLocaleString()} ${counts.directories === 1 ? 'folder' : 'folders'} · ${counts.files.toLocaleString()} ${counts.files === 1 ? 'file' : 'files'}`}
          />
        ) : null}
        {entry?.modifiedTime != null ? (
          <Fact
            label="Modified"
            value={formatRelativeTime(entry.modifiedTime, Date.now())}
            hint={new Date(entry.modifiedTime).toLocaleString()}
          />
        ) : null}
      </dl>

      <div className="details-paths">
        <PathRow label="Path in workspace" value={relative ?? path} />
        <PathRow label="Absolute path" value={path} />
      </div>
    </article>
  );
}

function describeTone(tone: string): string {
  const names: Record<string, string> = {
    code: 'Source file',
    data: 'Data file',
    text: 'Text document',
    image: 'Image',
    archive: 'Archive',
    secret: 'Credentials file',
    config: 'Configuration file',
  };
  return names[tone] ?? 'File';
}

function Fact({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd title={hint}>{value}</dd>
    </div>
  );
}

function PathRow({ label, value }: { label: string; value: string }) {
  return (
    <div className="path-row">
      <span className="path-label">{label}</span>
      <div className="path-field">
        <code>{value}</code>
        <IconButton label={`Copy ${label.toLowerCase()}`} onClick={() => void copyText(value, 'Path copied')}>
          <Copy size={14} />
        </IconButton>
      </div>
    </div>
  );
}
