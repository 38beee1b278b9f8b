/**
 * Branch commands (git.md §6). Listing keeps the reference's shape (`git branch -v -a`) and its
 * stale-remote filter, with two fixes: each remote is checked against its own branch list (the
 * reference checked every remote against origin's), and that network answer is cached briefly and
 * bounded by a timeout, so the UI's frequent refreshes do not each wait on the network.
 */
import type { GitBranchSummary } from '@chamber/contract';
import { expectSuccess, gitFailure } from './errors.js';
import { parseBranchVerbose } from './parse/branches.js';
import type { GitRepo } from './repo.js';

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

/** `git checkout -b <name> <start>`: creates the branch and switches to it, as the reference. */
export async function createBranch(repo: GitRepo, name: string, startPoint: string | undefined): Promise<void> {
  await repo.exclusive(async () =>
    expectSuccess(await repo.write(['checkout', '-b', name, startPoint || 'HEAD', '--']), 'Failed to create branch'),
  );
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
 */
export async function checkoutBranch(repo: GitRepo, branch: string): Promise<void> {
  await repo.exclusive(async () =>
    expectSuccess(await repo.write(['checkout', branch, '--']), 'Failed to checkout branch'),
  );
}
