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
  GitLogEntry,
  GitLogResponse,
  GitPullResult,
  GitPushResult,
  GitStatus,
  GitStatusFile,
} from '@chamber/contract';
import { RuntimeCallError } from './errors.js';
import { field, isObject, list } from './normalize.js';

const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const nullableString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function statsRecord(value: unknown): Record<string, { insertions: number; deletions: number }> {
  const out: Record<string, { insertions: number; deletions: number }> = {};
  if (!isObject(value)) return out;
  for (const [key, stats] of Object.entries(value)) {
    out[key] = { insertions: num(field(stats, 'insertions')), deletions: num(field(stats, 'deletions')) };
  }
  return out;
}

function numberRecord(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (isObject(value)) for (const [key, n] of Object.entries(value)) out[key] = num(n);
  return out;
}

export function toGitStatus(result: unknown): GitStatus {
  const files = list(field(result, 'files')).map((file): GitStatusFile => ({
    path: str(field(file, 'path')),
    // The stage-2 desktop serialised `workingDir` and trimmed ' ' to '': the UI reads `working_dir`, one character.
    index: str(field(file, 'index')) || ' ',
    working_dir: str(field(file, 'working_dir'), str(field(file, 'workingDir'))) || ' ',
  }));
  const isClean = field(result, 'isClean');
  return {
    current: nullableString(field(result, 'current')),
    tracking: nullableString(field(result, 'tracking')),
    ahead: num(field(result, 'ahead')),
    behind: num(field(result, 'behind')),
    files,
    isClean: typeof isClean === 'boolean' ? isClean : files.length === 0,
    diffStats: statsRecord(field(result, 'diffStats')),
  };
}

export function toGitBranch(result: unknown): GitBranch {
  const branches: Record<string, GitBranchDetails> = {};
  const raw = field(result, 'branches');
  if (isObject(raw)) {
    for (const [name, details] of Object.entries(raw)) {
      branches[name] = {
        ...(isObject(details) ? details : {}),
        current: field(details, 'current') === true,
        linkedWorkTree: field(details, 'linkedWorkTree') === true,
        name: str(field(details, 'name'), name),
        commit: str(field(details, 'commit')),
        label: str(field(details, 'label')),
      };
    }
  }
  return {
    all: list(field(result, 'all')).filter((name): name is string => typeof name === 'string'),
    current: str(field(result, 'current')),
    branches,
  };
}

function summary(value: unknown) {
  return {
    changes: num(field(value, 'changes')),
    insertions: num(field(value, 'insertions')),
    deletions: num(field(value, 'deletions')),
  };
}

export function toGitCommitResult(result: unknown): GitCommitResult {
  return {
    success: field(result, 'success') === true,
    commit: str(field(result, 'commit')),
    branch: str(field(result, 'branch')),
    summary: summary(field(result, 'summary')),
  };
}

export function toGitPullResult(result: unknown): GitPullResult {
  return {
    success: field(result, 'success') === true,
    summary: summary(field(result, 'summary')),
    files: list(field(result, 'files')).filter((f): f is string => typeof f === 'string'),
    insertions: numberRecord(field(result, 'insertions')),
    deletions: numberRecord(field(result, 'deletions')),
  };
}

export function toGitPushResult(result: unknown): GitPushResult {
  const repo = field(result, 'repo');
  const ref = field(result, 'ref');
  return {
    success: field(result, 'success') === true,
    pushed: list(field(result, 'pushed')).map((entry) => ({
      deleted: field(entry, 'deleted') === true,
      tag: field(entry, 'tag') === true,
      branch: field(entry, 'branch') === true,
      new: field(entry, 'new') === true,
      alreadyUpdated: field(entry, 'alreadyUpdated') === true,
      local: str(field(entry, 'local')),
      remote: str(field(entry, 'remote')),
    })),
    ...(typeof repo === 'string' && { repo }),
    ...(typeof field(ref, 'local') === 'string' && { ref: { local: field(ref, 'local') as string } }),
  };
}

function toLogEntry(entry: unknown): GitLogEntry {
  return {
    hash: str(field(entry, 'hash')),
    date: str(field(entry, 'date')),
    message: str(field(entry, 'message')),
    refs: str(field(entry, 'refs')),
    body: str(field(entry, 'body')),
    // The stage-2 desktop sent authorName/authorEmail; the UI reads the snake-case names.
    author_name: str(field(entry, 'author_name'), str(field(entry, 'authorName'))),
    author_email: str(field(entry, 'author_email'), str(field(entry, 'authorEmail'))),
    filesChanged: num(field(entry, 'filesChanged')),
    insertions: num(field(entry, 'insertions')),
    deletions: num(field(entry, 'deletions')),
  };
}

export function toGitLogResponse(result: unknown): GitLogResponse {
  const all = list(field(result, 'all')).map(toLogEntry);
  return { all, latest: all[0] ?? null, total: all.length };
}

/** The reference client's rule: subject trimmed (or ''), highlights trimmed and non-empty; a non-object is an error. */
export function toGeneratedCommitMessage(result: unknown): { message: GeneratedCommitMessage } {
  const message = field(result, 'message');
  if (!isObject(message)) throw new RuntimeCallError(502, 'Malformed commit generation response');
  const subject = typeof message.subject === 'string' ? message.subject.trim() : '';
  const highlights = list(message.highlights)
    .filter((h): h is string => typeof h === 'string')
    .map((h) => h.trim())
    .filter(Boolean);
  return { message: { subject, highlights } };
}
