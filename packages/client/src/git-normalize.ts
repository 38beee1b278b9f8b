/**
 * Git wire results → the `GitAPI` shapes (desktop-ipc.md §3.3), applied to both transports'
 * answers. Read defensively, like the files normalisers: a field an older runtime or a desktop
 * bridge omits gets its documented default instead of breaking the UI.
 */
import type {
  GeneratedCommitMessage,
  GitBranch,
  GitBranchDetails,
  GitCommitResult,
  GitCommitSummary,
  GitLogEntry,
  GitLogResponse,
  GitPullResult,
  GitPushedRef,
  GitPushResult,
  GitStatus,
  GitStatusFile,
} from '@chamber/contract';
import { RuntimeCallError } from './errors.js';
import { isObject, list, wire } from './normalize.js';

const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const nullableString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** What the stage-2 desktop sent under other names (camel case), still read. */
type StageTwoStatusFile = GitStatusFile & { workingDir: string };
type StageTwoLogEntry = GitLogEntry & { authorName: string; authorEmail: string };
type LineStats = { insertions: number; deletions: number };

function statsRecord(value: unknown): Record<string, { insertions: number; deletions: number }> {
  const out: Record<string, { insertions: number; deletions: number }> = {};
  if (!isObject(value)) return out;
  for (const [key, stats] of Object.entries(value)) {
    const { insertions, deletions } = wire<LineStats>(stats);
    out[key] = { insertions: num(insertions), deletions: num(deletions) };
  }
  return out;
}

function numberRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (isObject(value)) for (const [key, n] of Object.entries(value)) out[key] = num(n);
  return out;
}

export function toGitStatus(result: unknown): GitStatus {
  const status = wire<GitStatus>(result);
  const files = list(status.files).map((entry): GitStatusFile => {
    const file = wire<StageTwoStatusFile>(entry);
    return {
      path: str(file.path),
      // The stage-2 desktop serialised `workingDir` and trimmed ' ' to '': the UI reads `working_dir`, one character.
      index: str(file.index) || ' ',
      working_dir: str(file.working_dir, str(file.workingDir)) || ' ',
    };
  });
  return {
    current: nullableString(status.current),
    tracking: nullableString(status.tracking),
    ahead: num(status.ahead),
    behind: num(status.behind),
    files,
    isClean: typeof status.isClean === 'boolean' ? status.isClean : files.length === 0,
    diffStats: statsRecord(status.diffStats),
  };
}

export function toGitBranch(result: unknown): GitBranch {
  const answer = wire<GitBranch>(result);
  const branches: Record<string, GitBranchDetails> = {};
  if (isObject(answer.branches)) {
    for (const [name, raw] of Object.entries(answer.branches)) {
      const details = wire<GitBranchDetails>(raw);
      branches[name] = {
        // Members the contract leaves optional (tracking, ahead, behind) pass as they came.
        ...(isObject(raw) ? raw : {}),
        current: details.current === true,
        linkedWorkTree: details.linkedWorkTree === true,
        name: str(details.name, name),
        commit: str(details.commit),
        label: str(details.label),
      };
    }
  }
  return {
    all: list(answer.all).filter((name): name is string => typeof name === 'string'),
    current: str(answer.current),
    branches,
  };
}

function summary(value: unknown): GitCommitSummary {
  const { changes, insertions, deletions } = wire<GitCommitSummary>(value);
  return { changes: num(changes), insertions: num(insertions), deletions: num(deletions) };
}

export function toGitCommitResult(result: unknown): GitCommitResult {
  const { success, commit, branch, summary: counts } = wire<GitCommitResult>(result);
  return { success: success === true, commit: str(commit), branch: str(branch), summary: summary(counts) };
}

export function toGitPullResult(result: unknown): GitPullResult {
  const pulled = wire<GitPullResult>(result);
  return {
    success: pulled.success === true,
    summary: summary(pulled.summary),
    files: list(pulled.files).filter((f): f is string => typeof f === 'string'),
    insertions: numberRecord(pulled.insertions),
    deletions: numberRecord(pulled.deletions),
  };
}

export function toGitPushResult(result: unknown): GitPushResult {
  const { success, pushed, repo, ref } = wire<GitPushResult>(result);
  const local = wire<NonNullable<GitPushResult['ref']>>(ref).local;
  return {
    success: success === true,
    pushed: list(pushed).map((raw): GitPushedRef => {
      const entry = wire<GitPushedRef>(raw);
      return {
        deleted: entry.deleted === true,
        tag: entry.tag === true,
        branch: entry.branch === true,
        new: entry.new === true,
        alreadyUpdated: entry.alreadyUpdated === true,
        local: str(entry.local),
        remote: str(entry.remote),
      };
    }),
    ...(typeof repo === 'string' && { repo }),
    ...(typeof local === 'string' && { ref: { local } }),
  };
}

function toLogEntry(raw: unknown): GitLogEntry {
  const entry = wire<StageTwoLogEntry>(raw);
  return {
    hash: str(entry.hash),
    date: str(entry.date),
    message: str(entry.message),
    refs: str(entry.refs),
    body: str(entry.body),
    // The stage-2 desktop sent authorName/authorEmail; the UI reads the snake-case names.
    author_name: str(entry.author_name, str(entry.authorName)),
    author_email: str(entry.author_email, str(entry.authorEmail)),
    filesChanged: num(entry.filesChanged),
    insertions: num(entry.insertions),
    deletions: num(entry.deletions),
  };
}

export function toGitLogResponse(result: unknown): GitLogResponse {
  const all = list(wire<GitLogResponse>(result).all).map(toLogEntry);
  return { all, latest: all[0] ?? null, total: all.length };
}

/** The reference client's rule: subject trimmed (or ''), highlights trimmed and non-empty; a non-object is an error. */
export function toGeneratedCommitMessage(result: unknown): { message: GeneratedCommitMessage } {
  const { message } = wire<{ message: GeneratedCommitMessage }>(result);
  if (!isObject(message)) throw new RuntimeCallError(502, 'Malformed commit generation response');
  const subject = typeof message.subject === 'string' ? message.subject.trim() : '';
  const highlights = list(message.highlights)
    .filter((h): h is string => typeof h === 'string')
    .map((h) => h.trim())
    .filter(Boolean);
  return { message: { subject, highlights } };
}
