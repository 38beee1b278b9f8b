/** The Changes tab's commit box: the message (or one written with AI), Commit, and the identity commits are made as. */
import { LoaderCircle, Sparkles } from 'lucide-react';
import { useEffect } from 'react';
import { matchesShortcut } from '../lib/keyboard.js';
import { IS_MAC } from '../lib/platform.js';
import { useGit } from './git-store.js';

export function CommitBox({ count }: { count: number }) {
  const message = useGit((state) => state.message);
  const generating = useGit((state) => state.generating);
  const committing = useGit((state) => state.committing);
  const { setMessage, commit, generateMessage } = useGit.getState();
  const shortcut = IS_MAC ? '⌘↵' : 'Ctrl+Enter';

  return (
    <div className="commit-box">
      <textarea
        className="input commit-message"
        value={message}
        placeholder={`Commit message (${shortcut} to commit)`}
        aria-label="Commit message"
        rows={3}
        onChange={(event) => setMessage(event.target.value)}
        onKeyDown={(event) => {
          if (matchesShortcut(event, 'mod+enter', IS_MAC)) {
            event.preventDefault();
            void commit();
          }
        }}
        data-testid="commit-message"
      />
      <div className="commit-actions">
        <button
          type="button"
          className="button button-ghost"
          onClick={() => void generateMessage()}
          disabled={generating || count === 0}
          title="Write the message with AI from the chosen files' diffs"
          data-testid="generate-message"
          aria-busy={generating}
        >
          {generating ? (
            <LoaderCircle size={14} className="spin" aria-hidden="true" />
          ) : (
            <Sparkles size={14} aria-hidden="true" />
          )}
          {generating ? 'Writing…' : 'Write with AI'}
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="button button-primary"
          onClick={() => void commit()}
          disabled={committing || count === 0 || !message.trim()}
          title={`Commit the chosen files (${shortcut})`}
          data-testid="commit-button"
        >
          {committing ? <LoaderCircle size={14} className="spin" aria-hidden="true" /> : null}
          Commit{count ? ` ${count} ${count === 1 ? 'file' : 'files'}` : ''}
        </button>
      </div>
      <IdentityRow />
    </div>
  );
}

function IdentityRow() {
  const identities = useGit((state) => state.identities);
  const identity = useGit((state) => state.identity);
  const directory = useGit((state) => state.directory);

  useEffect(() => {
    void useGit.getState().loadIdentities();
  }, [directory]);

  const who = identity?.userName ? `${identity.userName}${identity.userEmail ? ` <${identity.userEmail}>` : ''}` : null;
  return (
    <label className="identity-row" title="The identity commits in this repository are made with">
      <span className="identity-label">as</span>
      <select
        className="identity-select"
        value=""
        aria-label="Git identity"
        onChange={(event) => {
          if (event.target.value) void useGit.getState().applyIdentity(event.target.value);
        }}
        data-testid="identity-select"
      >
        <option value="">{who ?? 'No identity configured'}</option>
        {(identities ?? []).map((profile) => (
          <option key={profile.id} value={profile.id}>
            Use {profile.name || profile.userName} &lt;{profile.userEmail}&gt;
          </option>
        ))}
      </select>
    </label>
  );
}
