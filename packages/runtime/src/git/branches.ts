/**
 * Branch commands (git.md §6). Listing keeps the reference's shape (`git branch -v -a`) and its
 * stale-remote filter, with two fixes: each remote is checked against its own branch list (the
 * reference checked every remote against origin's), and that network answer is cached briefly and
 * bounded by a timeout, so the UI's frequent refreshes do not each wait on the network.
 */
import { RuntimeError, type GitBranchSummary } from '@chamber/contract';
import { expectSuccess, gitFailure } from './errors.js';
import { parseBranchVerbose } from './parse/branches.js';
import type { GitRepo } from './repo.js';
import type { GitRunResult } from './runner.js';

const REMOTE_HEADS_TTL_MS = 30_000;
const LS_REMOTE_TIMEOUT_MS = 10_000;

/** Branch names a remote has (`git ls-remote --heads`), cached per repository and remote. */
export class RemoteHeadsCache {
  readonly #entries = new Map<string, { at: number; heads: Promise<Set<string> | null> }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  get(repo: GitRepo, remote: string): Promise<Set<string> | null> {
    const key = `${repo.location?.commonDir ?? repo.cwd}\0${remote}`;
    const cached = this.#entries.get(key);
    if (cached && this.#now() - cached.at < REMOTE_HEADS_TTL_MS) return cached.heads;
    const heads = listRemoteHeads(repo, remote);
    this.#entries.set(key, { at: this.#now(), heads });
    return heads;
  }

  /** After a push, fetch or remote branch deletion the remote's list has changed. */
  invalidate(repo: GitRepo): void {
    const prefix = `${repo.location?.commonDir ?? repo.cwd}\0`;
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) this.#entries.delete(key);
  }
}

/** `null` when the remote cannot be asked (offline, no credentials, unknown): keep all its names. */
async function listRemoteHeads(repo: GitRepo, remote: string): Promise<Set<string> | null> {
  try {
    const result = await repo.run(['ls-remote', '--heads', '--', remote], { timeoutMs: LS_REMOTE_TIMEOUT_MS });
    if (result.exitCode !== 0) return null;
    const heads = new Set<string>();
    for (const line of result.stdout.split('\n')) {
      const ref = line.split('\t')[1];
      if (ref?.startsWith('refs/heads/')) heads.add(ref.slice('refs/heads/'.length));
    }
    return heads;
  } catch {
    return null;
  }
}

export async function getBranches(repo: GitRepo, remoteHeads: RemoteHeadsCache): Promise<GitBranchSummary> {
  const listing = await repo.run(['branch', '-v', '-a', '--no-color', '--no-column']);
  if (listing.exitCode !== 0) throw gitFailure(listing, 'Failed to get branches');
  const { names, current, branches } = parseBranchVerbose(listing.stdout);

  const remoteNames = names.filter((name) => name.startsWith('remotes/'));
  const remotes = remoteNames.length ? await listRemotes(repo) : [];
  const headsByRemote = new Map(
    await Promise.all(remotes.map(async (remote) => [remote, await remoteHeads.get(repo, remote)] as const)),
  );
  const all = names.filter((name) => {
    if (!name.startsWith('remotes/')) return true;
    const rest = name.slice('remotes/'.length);
    // Remote names may contain '/', so match the longest configured remote that prefixes the name.
    const remote = remotes.filter((r) => rest.startsWith(`${r}/`)).sort((a, b) => b.length - a.length)[0];
    if (remote === undefined) return true;
    const heads = headsByRemote.get(remote);
    return heads === null || heads === undefined || heads.has(rest.slice(remote.length + 1));
  });
  return { all, current, branches };
}

async function listRemotes(repo: GitRepo): Promise<string[]> {
  const result = await repo.run(['remote']);
  return result.exitCode === 0 ? result.stdout.split('\n').filter(Boolean) : [];
}

/**
 * `git checkout -b <name> <start> --`: creates the branch and switches to it, as the reference.
 * With `--` git names a bad start point `invalid reference`; the reference (no `--`) got git's
 * other text for the same mistake, which is the one answered.
 */
export async function createBranch(repo: GitRepo, name: string, startPoint: string | undefined): Promise<void> {
  const start = startPoint || 'HEAD';
  await repo.exclusive(async () => {
    const result = await repo.write(['checkout', '-b', name, start, '--']);
    if (result.exitCode === 0) return;
    if (isInvalidReference(result, start)) {
      throw new RuntimeError(
        500,
        `fatal: '${start}' is not a commit and a branch '${name}' cannot be created from it\n`,
      );
    }
    throw gitFailure(result, 'Failed to create branch');
  });
}

export async function deleteBranch(repo: GitRepo, branch: string, force: boolean): Promise<void> {
  const name = branch.startsWith('refs/heads/') ? branch.slice('refs/heads/'.length) : branch;
  await repo.exclusive(async () =>
    expectSuccess(await repo.write(['branch', force ? '-D' : '-d', '--', name]), 'Failed to delete branch'),
  );
}

/**
 * `git checkout <branch> --`: the trailing `--` makes git read the name as a revision only, so a
 * branch argument that happens to name a file can never discard that file's changes (without it,
 * `git checkout README.md` restores the file). git's remote-branch DWIM still applies.
 *
 * An unknown name is answered with the reference's text (git without `--`: `error: pathspec ...`),
 * except for a name git tracks as a path: the reference restored that file, here it stays a
 * refused revision (`fatal: invalid reference: <name>`).
 */
export async function checkoutBranch(repo: GitRepo, branch: string): Promise<void> {
  await repo.exclusive(async () => {
    const result = await repo.write(['checkout', branch, '--']);
    if (result.exitCode === 0) return;
    if (isInvalidReference(result, branch) && !(await isTrackedPath(repo, branch))) {
      throw new RuntimeError(500, `error: pathspec '${branch}' did not match any file(s) known to git\n`);
    }
    throw gitFailure(result, 'Failed to checkout branch');
  });
}

/** git's whole answer is its "not a revision" line for `name` (nothing else went wrong). */
function isInvalidReference(result: GitRunResult, name: string): boolean {
  return result.stdout === '' && result.stderr === `fatal: invalid reference: ${name}\n`;
}

/** Whether the index has `name` as a path (a file or a directory of files): what the reference restored. */
async function isTrackedPath(repo: GitRepo, name: string): Promise<boolean> {
  // The runner sets GIT_LITERAL_PATHSPECS: `name` is matched as a path, never as a pattern.
  const result = await repo.run(['ls-files', '-z', '--', name], { maxOutputBytes: 4096 });
  return result.exitCode === 0 && result.stdout !== '';
}

/** What `checkout_branch_with_changes` does with the local changes a plain checkout refused to overwrite. */
export type SwitchChanges = 'leave' | 'bring';

export interface SwitchOutcome {
  /** The changes are (still) in `git stash`: left behind on purpose, or kept because they conflicted. */
  stashed: boolean;
  /** Bringing them conflicted: the work tree has conflict markers to resolve. */
  conflicted: boolean;
}

/** The stash message, so a person finds the entry in `git stash list`. */
export function leftChangesMessage(branch: string): string {
  return `Chamber: changes left on ${branch}`;
}

/**
 * Switch branches with local changes in the way, as GitHub Desktop offers: stash them (untracked
 * files too), check the branch out, and then either leave them in the stash (`leave`) or apply
 * them on the new branch (`bring`, `git stash pop`: a conflict keeps the stash and leaves
 * markers). Nothing to stash is a plain checkout. A checkout that still fails puts the changes
 * back where they were and answers git's text.
 */
export async function checkoutWithChanges(repo: GitRepo, branch: string, mode: SwitchChanges): Promise<SwitchOutcome> {
  const fallback = 'Failed to checkout branch';
  // `stash -u` with literal pathspecs neither removes nor restores untracked files (git 2.39); no
  // pathspec is passed to stash, so turning them off here changes nothing else.
  const stash = (args: string[]) => repo.write(['stash', ...args], { env: { GIT_LITERAL_PATHSPECS: '0' } });
  return repo.exclusive(async () => {
    const stashTop = async () => {
      const top = await repo.run(['rev-parse', '--quiet', '--verify', 'refs/stash']);
      return top.exitCode === 0 ? top.stdout.trim() : null;
    };
    const head = await repo.run(['rev-parse', '--abbrev-ref', 'HEAD']);
    const current = head.exitCode === 0 ? head.stdout.trim() : 'HEAD';
    const before = await stashTop();
    expectSuccess(await stash(['push', '--include-untracked', '--message', leftChangesMessage(current)]), fallback);
    const stashed = (await stashTop()) !== before;

    const checkout = await repo.write(['checkout', branch, '--']);
    if (checkout.exitCode !== 0) {
      if (stashed) await stash(['pop']);
      if (isInvalidReference(checkout, branch)) {
        throw new RuntimeError(500, `error: pathspec '${branch}' did not match any file(s) known to git\n`);
      }
      throw gitFailure(checkout, fallback);
    }
    if (!stashed || mode === 'leave') return { stashed, conflicted: false };

    const pop = await stash(['pop']);
    if (pop.exitCode === 0) return { stashed: false, conflicted: false };
    // git keeps the stash when applying it conflicts; anything else is a failure to report.
    if (/CONFLICT/.test(pop.stdout + pop.stderr)) return { stashed: true, conflicted: true };
    throw gitFailure(pop, fallback);
  });
}
