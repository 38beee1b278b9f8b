/** The branch and sync bar above the git tabs: the branch button, fetch, pull, push with live progress. */
import { ArrowDown, ArrowDownToLine, ArrowUp, ArrowUpFromLine, GitBranch, LoaderCircle, RefreshCw } from 'lucide-react';
import { operationVerb, progressText } from './git-model.js';
import { useGit, type RemoteOperation } from './git-store.js';

export function SyncBar({ onBranches }: { onBranches(): void }) {
  const status = useGit((state) => state.status);
  const operation = useGit((state) => state.operation);
  const progress = useGit((state) => state.progress);
  const run = (op: RemoteOperation) => void useGit.getState().remote(op);
  const branch = status?.current ?? '…';

  return (
    <div className="git-sync">
      <div className="git-sync-row">
        <button
          type="button"
          className="button branch-button"
          onClick={onBranches}
          title={`${branch}${status?.tracking ? ` → ${status.tracking}` : ''} — switch branch`}
          data-testid="branch-button"
        >
          <GitBranch size={14} aria-hidden="true" />
          <span className="branch-name" data-testid="current-branch">
            {branch}
          </span>
          {status && (status.ahead > 0 || status.behind > 0) ? (
            <span className="branch-track" aria-label={`${status.ahead} ahead, ${status.behind} behind`}>
              {status.ahead > 0 ? (
                <span>
                  <ArrowUp size={11} aria-hidden="true" />
                  {status.ahead}
                </span>
              ) : null}
              {status.behind > 0 ? (
                <span>
                  <ArrowDown size={11} aria-hidden="true" />
                  {status.behind}
                </span>
              ) : null}
            </span>
          ) : null}
        </button>
        <SyncButton op="fetch" label="Fetch" running={operation} onRun={run}>
          <RefreshCw size={14} />
        </SyncButton>
        <SyncButton op="pull" label="Pull" running={operation} onRun={run}>
          <ArrowDownToLine size={14} />
        </SyncButton>
        <SyncButton op="push" label="Push" running={operation} onRun={run}>
          <ArrowUpFromLine size={14} />
        </SyncButton>
      </div>
      {operation ? (
        <div className="git-progress" role="status" data-testid="git-progress">
          <div className="git-progress-text">
            <LoaderCircle size={12} className="spin" aria-hidden="true" />
            <strong>{operationVerb(operation)}</strong>
            <span data-testid="git-progress-phase">{progress ? progressText(progress) : 'Starting…'}</span>
          </div>
          <div className="git-progress-track" aria-hidden="true">
            <div
              className={`git-progress-bar${progress?.percent == null ? ' is-indeterminate' : ''}`}
              style={progress?.percent != null ? { width: `${progress.percent}%` } : undefined}
            />
          </div>
        </div>
      ) : null}
    </div>
  );
}

function SyncButton({
  op,
  label,
  running,
  onRun,
  children,
}: {
  op: RemoteOperation;
  label: string;
  running: RemoteOperation | null;
  onRun(op: RemoteOperation): void;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      className={`icon-button${running === op ? ' is-running' : ''}`}
      aria-label={label}
      title={label}
      disabled={running !== null}
      onClick={() => onRun(op)}
      data-testid={`git-${op}`}
    >
      {running === op ? <LoaderCircle size={14} className="spin" /> : children}
    </button>
  );
}
