/**
 * Pure helpers for the git views: the changes list from a status, the branch list, progress
 * text, the AI message as text, worktree paths. No React, no runtime.
 */
import type { GeneratedCommitMessage, GitBranch, GitProgressEvent, GitStatus } from '@chamber/contract';

export interface ChangeEntry {
  path: string;
  /** Status letters as git prints them (' ' when unchanged). */
  index: string;
  workingDir: string;
  insertions: number;
  deletions: number;
  /** One letter for the badge: the working tree's change, else the index's ('U' for untracked). */
  letter: string;
  /** Which diff to show: the staged one when only the index changed. */
  staged: boolean;
}

export function changeEntries(status: GitStatus): ChangeEntry[] {
  return status.files.map((file) => {
    const stats = status.diffStats[file.path];
    const index = file.index || ' ';
    const workingDir = file.working_dir || ' ';
    const untracked = index === '?' || workingDir === '?';
    const letter = untracked ? 'U' : isConflict({ index, workingDir }) ? '!' : workingDir.trim() || index.trim() || 'M';
    return {
      path: file.path,
      index,
      workingDir,
      insertions: stats?.insertions ?? 0,
      deletions: stats?.deletions ?? 0,
      letter,
      staged: !untracked && workingDir.trim() === '' && index.trim() !== '',
    };
  });
}

export function describeLetter(letter: string): string {
  const names: Record<string, string> = {
    M: 'Modified',
    A: 'Added',
    D: 'Deleted',
    R: 'Renamed',
    C: 'Copied',
    U: 'Untracked',
    '!': 'Conflicted',
    T: 'Type changed',
  };
  return names[letter] ?? letter;
}

/** The CSS modifier of a status letter's badge (`letter-m`, `letter-conflict` for '!'). */
export function letterClass(letter: string): string {
  return letter === '!' ? 'conflict' : letter.toLowerCase();
}

/** Conflicted entries (both sides 'U', or 'AA'/'DD'), which the badge shows as '!'. */
export function isConflict(entry: Pick<ChangeEntry, 'index' | 'workingDir'>): boolean {
  const pair = entry.index + entry.workingDir;
  return pair.includes('U') || pair === 'AA' || pair === 'DD';
}

export interface BranchItem {
  /** Name as listed in `all` (`remotes/origin/x` for remote ones). */
  ref: string;
  /** What a person reads: `x` or `origin/x`. */
  label: string;
  remote: string | null;
  /** The branch name on its remote (remote items only). */
  remoteBranch: string | null;
  current: boolean;
  commit: string;
  subject: string;
  /** Checked out in another worktree. */
  elsewhere: boolean;
}

export function branchItems(branches: GitBranch): { local: BranchItem[]; remote: BranchItem[] } {
  const local: BranchItem[] = [];
  const remote: BranchItem[] = [];
  for (const ref of branches.all) {
    const details = branches.branches[ref];
    const match = /^remotes\/([^/]+)\/(.+)$/.exec(ref);
    if (match) {
      if (match[2] === 'HEAD') continue;
      remote.push({
        ref,
        label: `${match[1]}/${match[2]}`,
        remote: match[1] ?? null,
        remoteBranch: match[2] ?? null,
        current: false,
        commit: details?.commit ?? '',
        subject: details?.label ?? '',
        elsewhere: false,
      });
    } else {
      local.push({
        ref,
        label: ref,
        remote: null,
        remoteBranch: null,
        current: details?.current ?? branches.current === ref,
        commit: details?.commit ?? '',
        subject: details?.label ?? '',
        elsewhere: details?.linkedWorkTree ?? false,
      });
    }
  }
  return { local, remote };
}

/** Case-insensitive substring filter over labels, keeping order. */
export function filterBranches(items: BranchItem[], query: string): BranchItem[] {
  const needle = query.trim().toLowerCase();
  return needle ? items.filter((item) => item.label.toLowerCase().includes(needle)) : items;
}

const VERBS: Record<GitProgressEvent['operation'], string> = { pull: 'Pulling', push: 'Pushing', fetch: 'Fetching' };

export function operationVerb(operation: GitProgressEvent['operation']): string {
  return VERBS[operation];
}

/** 'Writing objects 60% (3/5)' or 'Counting objects, done' for the progress line. */
export function progressText(event: GitProgressEvent): string {
  const phase = event.remote ? `remote: ${event.phase}` : event.phase;
  if (event.done) return `${phase}, done`;
  const parts = [phase];
  if (event.percent !== null) parts.push(`${event.percent}%`);
  if (event.current !== null && event.total !== null) parts.push(`(${event.current}/${event.total})`);
  else if (event.current !== null) parts.push(String(event.current));
  return parts.join(' ');
}

/** The model's answer as a commit message: subject, blank line, one `- ` line per highlight. */
export function commitMessageText(message: GeneratedCommitMessage): string {
  const subject = (message.subject ?? '').trim();
  const highlights = (Array.isArray(message.highlights) ? message.highlights : [])
    .map((line) => String(line).trim())
    .filter(Boolean);
  return highlights.length ? `${subject}\n\n${highlights.map((line) => `- ${line}`).join('\n')}` : subject;
}

/** A folder name for a branch: `feat/x y` → `feat-x-y`. */
export function branchSlug(branch: string): string {
  return (
    branch
      .trim()
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'worktree'
  );
}

/** `refs/heads/x` → `x`; undefined (detached) → null. */
export function shortRef(ref: string | undefined): string | null {
  if (!ref) return null;
  return ref.replace(/^refs\/heads\//, '').replace(/^heads\//, '');
}

/** The first line of a message, the rest of it trimmed. */
export function splitMessage(message: string): { subject: string; body: string } {
  const cut = message.indexOf('\n');
  return cut === -1
    ? { subject: message.trim(), body: '' }
    : { subject: message.slice(0, cut).trim(), body: message.slice(cut + 1).trim() };
}

/** Decorations `HEAD -> main, origin/main, tag: v1` → ['main', 'origin/main', 'v1']. */
export function refLabels(refs: string): string[] {
  return refs
    .split(',')
    .map((ref) =>
      ref
        .trim()
        .replace(/^HEAD -> /, '')
        .replace(/^tag: /, ''),
    )
    .filter((ref) => ref && ref !== 'HEAD');
}

/**
 * The tree's git decoration: each changed file's letter by absolute path, and each folder that
 * holds changes (`'dir'`), so a collapsed folder still shows something changed inside.
 */
export function treeStatus(directory: string, entries: readonly ChangeEntry[]): Map<string, string> {
  const marks = new Map<string, string>();
  const base = directory.endsWith('/') ? directory.slice(0, -1) : directory;
  for (const entry of entries) {
    marks.set(`${base}/${entry.path}`, entry.letter);
    let cut = entry.path.lastIndexOf('/');
    while (cut > 0) {
      const folder = `${base}/${entry.path.slice(0, cut)}`;
      if (marks.has(folder)) break;
      marks.set(folder, 'dir');
      cut = entry.path.lastIndexOf('/', cut - 1);
    }
  }
  return marks;
}
