/**
 * Where the git and terminal views will live. They say plainly what is coming and show no data:
 * the runtime has no git or terminal commands yet.
 */
import { GitBranch } from 'lucide-react';

export function ChangesPlaceholder() {
  return (
    <div className="placeholder" data-testid="changes-placeholder">
      <GitBranch size={22} aria-hidden="true" />
      <h3>Changes</h3>
      <p>Arrives with the git subsystem: changed files with diff stats, diffs, commits, branches and sync.</p>
    </div>
  );
}
