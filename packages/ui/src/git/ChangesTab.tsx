/** The Changes tab: the commit box, then the changed files with their stats, to choose, diff or discard. */
import { LoaderCircle, Undo2 } from 'lucide-react';
import { basename, dirname } from '../lib/paths.js';
import { CommitBox } from './CommitBox.js';
import { DiffStat } from './DiffStat.js';
import { describeLetter, letterClass, type ChangeEntry } from './git-model.js';
import { useGit } from './git-store.js';
import { useKeyList } from './list-keys.js';

export function ChangesTab() {
  const loaded = useGit((state) => state.status !== null);
  const entries = useGit((state) => state.entries);
  const chosen = useGit((state) => state.chosen);
  const diff = useGit((state) => state.diff);
  const { active, setActive, listProps, onKeyDown } = useKeyList(entries, 'change');
  const { toggle, chooseAll, openDiff, discard, discardAll } = useGit.getState();

  const count = entries.filter((entry) => chosen.has(entry.path)).length;
  const all = entries.length > 0 && count === entries.length;

  return (
    <div className="git-tab git-changes">
      <CommitBox count={count} />
      {!loaded ? (
        <div className="git-loading" aria-busy="true">
          <LoaderCircle size={16} className="spin" aria-hidden="true" /> Reading the status…
        </div>
      ) : entries.length === 0 ? (
        <div className="git-empty" data-testid="git-clean">
          Nothing to commit: the working tree is clean.
        </div>
      ) : (
        <>
          <div className="git-list-header">
            <label className="git-check">
              <input
                type="checkbox"
                checked={all}
                ref={(input) => {
                  if (input) input.indeterminate = count > 0 && !all;
                }}
                onChange={() => chooseAll(!all)}
                aria-label="Select all changes"
                data-testid="select-all"
              />
            </label>
            <span>{count === entries.length ? 'All changes' : `${count} of ${entries.length} chosen`}</span>
            <span className="spacer" />
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => void discardAll()}
              title="Discard every change in the working tree (asks first)"
              data-testid="discard-all"
            >
              <Undo2 size={13} aria-hidden="true" /> Discard all
            </button>
          </div>
          <div
            {...listProps}
            className="git-list"
            role="listbox"
            aria-label="Changed files"
            data-testid="changes-list"
            onKeyDown={onKeyDown({
              onMove: (entry) => void openDiff(entry.path),
              onEnter: (entry) => void openDiff(entry.path),
              onSpace: (entry) => toggle(entry.path),
              onDelete: (entry) => void discard(entry.path),
            })}
          >
            {entries.map((entry, index) => (
              <ChangeRow
                key={entry.path}
                entry={entry}
                index={index}
                active={index === active}
                open={diff?.path === entry.path}
                chosen={chosen.has(entry.path)}
                onOpen={() => {
                  setActive(index);
                  void openDiff(entry.path);
                }}
                onToggle={() => toggle(entry.path)}
                onDiscard={() => void discard(entry.path)}
              />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function ChangeRow({
  entry,
  index,
  active,
  open,
  chosen,
  onOpen,
  onToggle,
  onDiscard,
}: {
  entry: ChangeEntry;
  index: number;
  active: boolean;
  open: boolean;
  chosen: boolean;
  onOpen(): void;
  onToggle(): void;
  onDiscard(): void;
}) {
  const folder = dirname(entry.path);
  return (
    <div
      id={`change-${index}`}
      role="option"
      aria-selected={open}
      data-index={index}
      data-path={entry.path}
      data-testid="change-row"
      className={`git-row${active ? ' is-active' : ''}${open ? ' is-open' : ''}`}
      onClick={onOpen}
    >
      <input
        type="checkbox"
        tabIndex={-1}
        checked={chosen}
        onChange={onToggle}
        onClick={(event) => event.stopPropagation()}
        aria-label={`Commit ${entry.path}`}
        data-testid="change-check"
      />
      <span className="git-row-name" title={entry.path}>
        <span className="git-file">{basename(entry.path)}</span>
        {folder ? (
          <span className="git-dir">
            <bdi>{folder}</bdi>
          </span>
        ) : null}
      </span>
      <button
        type="button"
        tabIndex={-1}
        className="icon-button row-action"
        aria-label={`Discard changes to ${entry.path}`}
        title="Discard changes (Delete)"
        onClick={(event) => {
          event.stopPropagation();
          onDiscard();
        }}
        data-testid="discard-change"
      >
        <Undo2 size={13} />
      </button>
      <DiffStat insertions={entry.insertions} deletions={entry.deletions} />
      <span
        className={`git-letter letter-${letterClass(entry.letter)}`}
        title={`${describeLetter(entry.letter)} (index '${entry.index}', working tree '${entry.workingDir}')`}
        data-testid="change-letter"
      >
        {entry.letter}
      </span>
    </div>
  );
}
