/**
 * Worktree commands (git.md §3.4, §7) and the worktree cache behind `runtime.worktrees`: every
 * listing, addition or removal refreshes the cached `WorktreeMetadata` of that project and emits
 * `git://worktrees`, so a window learns about worktrees another window (or transport) created.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { linkedWorktreesOf, type GitWorktreeInfo, type WorktreeMetadata } from '@chamber/contract';
import type { EventBus } from '../events.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { expectSuccess, gitFailure } from './errors.js';
import { parseWorktreeList } from './parse/worktrees.js';
import { findRepository, type GitRepo } from './repo.js';

export async function listWorktrees(repo: GitRepo): Promise<GitWorktreeInfo[]> {
  const result = await repo.run(['worktree', 'list', '--porcelain', '-z']);
  if (result.exitCode !== 0) throw gitFailure(result, 'Failed to get worktrees');
  return parseWorktreeList(result.stdout);
}

export async function addWorktree(
  repo: GitRepo,
  worktreePath: string,
  branch: string,
  createBranch: boolean,
): Promise<void> {
  const args = createBranch
    ? ['worktree', 'add', '-b', branch, '--', worktreePath]
    : ['worktree', 'add', '--', worktreePath, branch];
  await repo.exclusive(async () => expectSuccess(await repo.write(args), 'Failed to add worktree'));
}

export async function removeWorktree(repo: GitRepo, worktreePath: string, force: boolean): Promise<void> {
  const args = ['worktree', 'remove', ...(force ? ['--force'] : []), '--', worktreePath];
  await repo.exclusive(async () => expectSuccess(await repo.write(args), 'Failed to remove worktree'));
}

/**
 * Linked iff git's directory differs from the common one, compared as canonical absolute paths.
 * The reference compared git's raw text, so a subdirectory of the main worktree (absolute
 * git-dir, relative common-dir) reported `linked: true`.
 */
export async function isLinkedWorktree(repo: GitRepo): Promise<boolean> {
  const result = await repo.run(['rev-parse', '--absolute-git-dir', '--git-common-dir']);
  if (result.exitCode !== 0) return false;
  const [gitDir = '', commonDir = ''] = result.stdout.split('\n');
  if (!gitDir || !commonDir) return false;
  const canonical = async (dir: string) =>
    fs.realpath(path.resolve(repo.cwd, dir)).catch(() => path.resolve(repo.cwd, dir));
  return (await canonical(gitDir)) !== (await canonical(commonDir));
}

export const OPENCHAMBER_EXCLUDE = '/.openchamber/';

/**
 * Append `/.openchamber/` to the repository's `info/exclude` once. Nothing happens outside a
 * repository (no `<directory>/.git`), as in the web reference. In a linked worktree `.git` is a
 * file: the reference failed there with ENOTDIR; the exclude file lives in the common directory,
 * which is where git reads it from, so that is where it goes.
 */
export async function ensureOpenChamberIgnored(directory: string): Promise<void> {
  try {
    await fs.stat(path.join(directory, '.git'));
  } catch {
    return;
  }
  const location = await findRepository(directory);
  if (!location || location.topLevel !== directory) return;
  const exclude = path.join(location.commonDir, 'info', 'exclude');
  let text = '';
  try {
    text = await fs.readFile(exclude, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  if (text.split(/\r?\n/).some((line) => line.trim() === OPENCHAMBER_EXCLUDE)) return;
  const separator = text.length > 0 && !text.endsWith('\n') ? '\n' : '';
  await writeFileAtomic(exclude, `${text}${separator}${OPENCHAMBER_EXCLUDE}\n`);
}

/** The linked worktrees of each project the runtime has looked at, as the UI's metadata. */
export class WorktreeCache {
  readonly #byProject = new Map<string, WorktreeMetadata[]>();
  readonly #events: EventBus;

  constructor(events: EventBus) {
    this.#events = events;
  }

  /** Every cached worktree, all projects. */
  list(): WorktreeMetadata[] {
    return [...this.#byProject.values()].flat();
  }

  get(projectDirectory: string): WorktreeMetadata[] | undefined {
    return this.#byProject.get(projectDirectory);
  }

  /** Record a fresh listing (main worktree first, as git prints it); emits only on change. */
  update(worktrees: readonly GitWorktreeInfo[]): void {
    const linked = linkedWorktreesOf(worktrees);
    if (!linked) return;
    const { projectDirectory, worktrees: next } = linked;
    const previous = this.#byProject.get(projectDirectory);
    if (previous && JSON.stringify(previous) === JSON.stringify(next)) return;
    this.#byProject.set(projectDirectory, next);
    this.#events.emit('git://worktrees', { projectDirectory, worktrees: next });
  }

  clear(): void {
    this.#byProject.clear();
  }
}
