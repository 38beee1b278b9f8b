/**
 * Locks left behind by a git that died. git creates `index.lock` (or `HEAD.lock`, `<ref>.lock`,
 * `config.lock`) and removes it when done; a git killed with SIGKILL, or whose machine lost power,
 * never does, and every later write of the repository fails with "Unable to create ... File
 * exists" until someone deletes the file by hand.
 *
 * A lock is stale when no git process can be holding it: on Linux we look through /proc for a
 * git process working on this repository (its working directory, its arguments or its `GIT_DIR`
 * inside one of the repository's worktrees or git directories). A process we may not inspect
 * counts as holding it, and so does everything where /proc is missing (other systems): there the
 * lock stays and git's own message, which says what to do, reaches the client. Processes in other
 * PID namespaces (a container sharing the directory) are invisible; that trade is the price of
 * not making every user delete the file by hand.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isInsideAnyRoot } from '../sandbox/paths.js';
import type { RepositoryLocation } from './repo.js';

/** The lock git could not create, from its "Unable to create '<path>.lock': File exists" message. */
export function heldLockPath(stderr: string, cwd: string): string | null {
  const match = /Unable to create '([^']+\.lock)': File exists/.exec(stderr);
  return match?.[1] ? path.resolve(cwd, match[1]) : null;
}

/**
 * Remove `lockPath` if it belongs to the repository and no git process can be holding it.
 * Resolves true when the lock is gone (removed here, or already), false when it must stay.
 */
export async function removeStaleLock(lockPath: string, location: RepositoryLocation | null): Promise<boolean> {
  if (location === null || process.platform !== 'linux') return false;
  const gitDirs = await canonical([location.gitDir, location.commonDir]);
  // Only ever a lock file of this repository's own git directories.
  if (!isInsideAnyRoot(path.resolve(lockPath), [location.gitDir, location.commonDir, ...gitDirs])) return false;
  const before = await fs.lstat(lockPath).catch(() => null);
  if (before === null) return true;
  if (!before.isFile()) return false;
  const places = await canonical([...gitDirs, location.topLevel, ...(await worktreesOf(location.commonDir))]);
  if (await gitProcessIn(places)) return false;
  // The same file still (no git created a new one meanwhile): it is the stale one we judged.
  const after = await fs.lstat(lockPath).catch(() => null);
  if (after === null) return true;
  if (after.ino !== before.ino || after.mtimeMs !== before.mtimeMs) return false;
  try {
    await fs.rm(lockPath, { force: true });
    return true;
  } catch {
    return false; // not ours to remove (permissions): git's message says what to do
  }
}

/** Every worktree of the repository (main and linked): a git in any of them may hold a shared lock. */
async function worktreesOf(commonDir: string): Promise<string[]> {
  const found = path.basename(commonDir) === '.git' ? [path.dirname(commonDir)] : [];
  const linked = await fs.readdir(path.join(commonDir, 'worktrees')).catch(() => []);
  for (const name of linked) {
    const gitFile = await fs.readFile(path.join(commonDir, 'worktrees', name, 'gitdir'), 'utf8').catch(() => '');
    if (gitFile.trim()) found.push(path.dirname(gitFile.trim()));
  }
  return found;
}

async function canonical(paths: string[]): Promise<string[]> {
  const all = new Set(paths);
  for (const p of paths) all.add(await fs.realpath(p).catch(() => p));
  return [...all];
}

/** Is any git process (other than a zombie) working on one of `places`? Unknown counts as yes. */
async function gitProcessIn(places: string[]): Promise<boolean> {
  let entries: string[];
  try {
    entries = await fs.readdir('/proc');
  } catch {
    return true;
  }
  const mentions = (text: string) => places.some((place) => text.includes(place));
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const dir = `/proc/${entry}`;
    const comm = (await fs.readFile(`${dir}/comm`, 'utf8').catch(() => '')).trim();
    if (comm !== 'git' && !comm.startsWith('git-')) continue;
    let cwd: string;
    try {
      cwd = await fs.readlink(`${dir}/cwd`);
    } catch (error) {
      // Gone (or a zombie, which holds nothing) → skip; not ours to inspect → assume it holds the lock.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return true;
    }
    if (isInsideAnyRoot(cwd, places)) return true;
    // `git -C <repo>`, `--git-dir=<dir>`, or GIT_DIR (GIT_WORK_TREE, ...) from elsewhere.
    const cmdline = await fs.readFile(`${dir}/cmdline`, 'utf8').catch(() => '');
    const environ = await fs.readFile(`${dir}/environ`, 'utf8').catch(() => null);
    if (environ === null || mentions(cmdline)) return true;
    if (environ.split('\0').some((variable) => variable.startsWith('GIT_') && mentions(variable))) return true;
  }
  return false;
}
