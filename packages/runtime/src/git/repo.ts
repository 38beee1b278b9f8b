/**
 * One repository as the git commands see it: where git runs, where the repository's top and
 * common directory are (found on disk, no git process), and the write path that serialises every
 * change to the same repository, so two commits never race for `index.lock`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuntimeError } from '@chamber/contract';
import { errnoCode, isInsideRoot } from '../sandbox/paths.js';
import type { GitRunOptions, GitRunResult, GitRunner } from './runner.js';
import { heldLockPath, removeStaleLock } from './stale-lock.js';

export interface RepositoryLocation {
  /** The worktree's top directory (the one holding `.git`). */
  topLevel: string;
  /** Its git directory (`.git`, or `<common>/worktrees/<name>` for a linked worktree). */
  gitDir: string;
  /** The directory shared by all worktrees (refs, config, info/exclude). */
  commonDir: string;
  /** True when `.git` is a file pointing elsewhere (a linked worktree or a submodule). */
  gitFile: boolean;
}

/** Walk up from `dir` to the nearest `.git` (directory or file), as git's discovery does. */
export async function findRepository(dir: string): Promise<RepositoryLocation | null> {
  for (let current = dir; ;) {
    const dotGit = path.join(current, '.git');
    let stat;
    try {
      stat = await fs.stat(dotGit);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) return { topLevel: current, gitDir: dotGit, commonDir: dotGit, gitFile: false };
    if (stat?.isFile()) {
      const gitDir = await readGitFile(dotGit);
      if (gitDir) return { topLevel: current, gitDir, commonDir: await readCommonDir(gitDir), gitFile: true };
    }
    const parent = path.dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

async function readGitFile(file: string): Promise<string | null> {
  try {
    const text = await fs.readFile(file, 'utf8');
    const match = /^gitdir: (.+)$/m.exec(text);
    return match?.[1] ? path.resolve(path.dirname(file), match[1].trim()) : null;
  } catch {
    return null;
  }
}

async function readCommonDir(gitDir: string): Promise<string> {
  try {
    const text = (await fs.readFile(path.join(gitDir, 'commondir'), 'utf8')).trim();
    return text ? path.resolve(gitDir, text) : gitDir;
  } catch {
    return gitDir;
  }
}

/** FIFO mutex per key: every write to one repository waits for the previous one. */
export class RepoLocks {
  readonly #tails = new Map<string, Promise<void>>();

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.#tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

/** Waits for a lock held by a git process outside the runtime (a terminal, an editor). */
const LOCK_RETRY_DELAYS_MS = [50, 100, 200, 400, 800, 1_200];

export const INVALID_FILE_PATH = 'Invalid file path';

export interface RepoFile {
  /** Absolute lexical path. */
  absolute: string;
  /** Relative to the directory git runs in (what goes after `--`). */
  relative: string;
  /** Relative to the repository top, '/'-separated (for `HEAD:<path>`). */
  fromTop: string;
}

export class GitRepo {
  readonly cwd: string;
  readonly location: RepositoryLocation | null;
  readonly #runner: GitRunner;
  readonly #locks: RepoLocks;

  private constructor(cwd: string, location: RepositoryLocation | null, runner: GitRunner, locks: RepoLocks) {
    this.cwd = cwd;
    this.location = location;
    this.#runner = runner;
    this.#locks = locks;
  }

  static async open(cwd: string, runner: GitRunner, locks: RepoLocks): Promise<GitRepo> {
    return new GitRepo(cwd, await findRepository(cwd), runner, locks);
  }

  /** Top of the worktree, or the directory itself outside any repository. */
  get topLevel(): string {
    return this.location?.topLevel ?? this.cwd;
  }

  /** A read: runs at once (reads never take git's locks, see the runner). */
  run(args: readonly string[], options: Omit<GitRunOptions, 'cwd'> = {}): Promise<GitRunResult> {
    return this.#runner.run(args, { ...options, cwd: this.cwd });
  }

  /** Run several steps as one write: nothing else writes to this repository meanwhile. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.#locks.withLock(this.location?.commonDir ?? this.cwd, fn);
  }

  /**
   * One write step (call it inside `exclusive`). A lock no live git holds (left by a git that was
   * killed) is removed and the step retried at once; a lock a git process outside the runtime
   * holds is waited for, up to ~3 s, before git's message (which says what to do) goes through.
   */
  async write(args: readonly string[], options: Omit<GitRunOptions, 'cwd'> = {}): Promise<GitRunResult> {
    const removed = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      const result = await this.run(args, options);
      const lock = result.exitCode === 0 ? null : heldLockPath(result.stderr, this.cwd);
      if (lock === null) return result;
      // Once per lock: if it comes back, a live git keeps creating it and we wait like for any other.
      if (!removed.has(lock) && (await removeStaleLock(lock, this.location))) {
        removed.add(lock);
        continue;
      }
      const delay = LOCK_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) return result;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /**
   * A file argument: relative to the directory git runs in (as git reads pathspecs), and required
   * to stay inside the repository, also through symlinked directories. `..`, absolute paths
   * elsewhere and escaping links are a 400 before git runs.
   */
  async resolveFile(input: string, options: { allowTop?: boolean } = {}): Promise<RepoFile> {
    const top = this.topLevel;
    const absolute = path.resolve(this.cwd, input);
    if (!isInsideRoot(absolute, top) || (!options.allowTop && absolute === top)) {
      throw new RuntimeError(400, INVALID_FILE_PATH);
    }
    // The last component may be a symlink git tracks as such; every directory above it must be real
    // and inside the repository.
    if (absolute !== top) {
      const realTop = await fs.realpath(top).catch(() => top);
      const realParent = await realpathOfExistingAncestor(path.dirname(absolute));
      if (!isInsideRoot(realParent, realTop) && !isInsideRoot(realParent, top)) {
        throw new RuntimeError(400, INVALID_FILE_PATH);
      }
    }
    const relative = path.relative(this.cwd, absolute) || '.';
    const fromTop = path.relative(top, absolute).split(path.sep).join('/');
    return { absolute, relative, fromTop };
  }
}

async function realpathOfExistingAncestor(dir: string): Promise<string> {
  const missing: string[] = [];
  for (let current = dir; ;) {
    try {
      return path.join(await fs.realpath(current), ...missing.reverse());
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = path.dirname(current);
      if (parent === current) return dir;
      missing.push(path.basename(current));
      current = parent;
    }
  }
}
