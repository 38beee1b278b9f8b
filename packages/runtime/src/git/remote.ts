/**
 * pull, push, fetch and remote branch deletion (git.md §5). Each network operation runs with
 * `--progress`; every progress line becomes a `git://progress` event, and is removed from the
 * error text again so messages read as git's plain output (what the reference passed through).
 *
 * Differences from the reference, all deliberate: `options` is a short allow-list instead of a
 * pass-through of arbitrary flags; `remote` is honoured without `branch`; pull counts what really
 * changed (numstat of old HEAD..new HEAD) instead of the `+`/`-` bars of git's diffstat; a pull
 * that stops on conflicts is an error (409), not a 200 with zeros; push lists fast-forwards; in a
 * restricted sandbox `remote` must be a configured remote or reach no file outside it
 * (`confineRemote`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  RuntimeError,
  type GitProgressEvent,
  type GitPullResult,
  type GitPushResult,
  type GitRemoteOptions,
} from '@chamber/contract';
import type { Sandbox } from '../sandbox/sandbox.js';
import { isInsideAnyRoot } from '../sandbox/paths.js';
import { gitFailure } from './errors.js';
import { parseNumstat } from './parse/numstat.js';
import { parseProgressLine, stripProgress } from './parse/progress.js';
import { parsePushOutput } from './parse/push.js';
import type { GitRepo } from './repo.js';
import type { GitRunResult } from './runner.js';

export type RemoteOperation = GitProgressEvent['operation'];

type OptionKind = 'flag' | 'value' | 'either';

/**
 * The flags each operation accepts in `options`, and whether they take a value. Everything else
 * is refused: the reference appended any flag, so `--upload-pack=<cmd>`-style options were one
 * simple-git guard away from running commands.
 */
const ALLOWED_OPTIONS: Record<RemoteOperation, Record<string, OptionKind>> = {
  push: {
    '--set-upstream': 'flag',
    '-u': 'flag',
    '--force': 'flag',
    '-f': 'flag',
    '--force-with-lease': 'either',
    '--force-if-includes': 'flag',
    '--tags': 'flag',
    '--follow-tags': 'flag',
    '--no-verify': 'flag',
    '--dry-run': 'flag',
    '--atomic': 'flag',
  },
  pull: {
    '--rebase': 'either',
    '--no-rebase': 'flag',
    '--ff': 'flag',
    '--no-ff': 'flag',
    '--ff-only': 'flag',
    '--autostash': 'flag',
    '--no-autostash': 'flag',
    '--tags': 'flag',
    '--no-tags': 'flag',
    '--prune': 'flag',
  },
  fetch: {
    '--prune': 'flag',
    '--prune-tags': 'flag',
    '--tags': 'flag',
    '--no-tags': 'flag',
    '--all': 'flag',
    '--force': 'flag',
    '--depth': 'value',
    '--unshallow': 'flag',
  },
};

/** Flags we add ourselves; a client sending them changes nothing. */
const IMPLIED = new Set(['--progress', '--porcelain', '--verbose', '-v']);
const VALUE_PATTERN = /^[A-Za-z0-9._/@:^~{}+-]{1,1024}$/;

/** `options` (array or object, simple-git's two forms) → validated command-line flags. */
export function remoteOptionArgs(operation: RemoteOperation, options: GitRemoteOptions | undefined): string[] {
  if (!options) return [];
  const requested: string[] = [];
  if (Array.isArray(options)) {
    requested.push(...options);
  } else {
    for (const [key, value] of Object.entries(options)) {
      if (value === false) continue; // simple-git added the flag even for false; "false" means off
      if (value === true || value === null || value === undefined) requested.push(key);
      else if (typeof value === 'string' || typeof value === 'number') requested.push(`${key}=${value}`);
      else if (Array.isArray(value)) for (const item of value) requested.push(`${key}=${String(item)}`);
      else throw unsupported(key);
    }
  }
  const allowed = ALLOWED_OPTIONS[operation];
  const args: string[] = [];
  for (const option of requested) {
    const eq = option.indexOf('=');
    const name = eq === -1 ? option : option.slice(0, eq);
    if (IMPLIED.has(name) && eq === -1) continue;
    const kind = Object.prototype.hasOwnProperty.call(allowed, name) ? allowed[name] : undefined;
    if (!kind) throw unsupported(option);
    if (eq === -1 ? kind === 'value' : kind === 'flag') throw unsupported(option);
    if (eq !== -1) {
      const value = option.slice(eq + 1);
      if (!VALUE_PATTERN.test(value) || value.startsWith('-')) throw unsupported(option);
      if (name === '--depth' && !/^\d+$/.test(value)) throw unsupported(option);
      if (name === '--rebase' && !['true', 'false', 'merges'].includes(value)) throw unsupported(option);
    }
    args.push(option);
  }
  return args;
}

function unsupported(option: string): RuntimeError {
  return new RuntimeError(400, `Unsupported git option: ${option.slice(0, 200)}`);
}

/** Refusal of a `remote` argument the sandbox does not allow. */
function remoteNotAllowed(remote: string): RuntimeError {
  return new RuntimeError(
    403,
    `Remote not allowed: ${remote.slice(0, 200)} (use a configured remote name, a network URL, or a path inside the allowed directories)`,
  );
}

/** A remote name no repository has: `remote -v` shows the value given to it as git resolves it. */
const PROBE = 'chamber-remote-probe';
/** Transports that reach the network, never the local file system (git's built-in and curl's). */
const NETWORK_SCHEMES = new Set(['ssh', 'git', 'git+ssh', 'ssh+git', 'http', 'https', 'ftp', 'ftps']);

/**
 * In a restricted sandbox (`--root`, desktop), where may `remote` lead? git reads any value that
 * is not a configured remote as a URL, and a local path or `file://` URL is a repository on this
 * machine: fetching one outside the roots copied its files into the workspace, pushing to one
 * wrote into it. So the value must be a configured remote (configured by the repository's owner),
 * or a URL that leads to the network, or a local repository that lies inside the roots. Remote
 * helpers (`<transport>::<address>`, unknown `<scheme>://`) run programs and are refused.
 *
 * The value is judged as git will use it: `git remote -v` with the value configured under a
 * probe name applies the user's `url.<base>.insteadOf` / `pushInsteadOf` rewrites.
 */
export async function confineRemote(
  repo: GitRepo,
  remote: string | undefined,
  sandbox: Sandbox,
  homeDir: string,
): Promise<void> {
  if (!remote) return; // the configured upstream, or origin
  const roots = await sandbox.roots();
  if (roots === null) return;
  if (repo.location === null) return; // git fails first: not a git repository
  // A line break would forge lines of `remote -v` below; no URL holds control characters.
  if ([...remote].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) throw remoteNotAllowed(remote);
  const listing = await repo.run(['-c', `remote.${PROBE}.url=${remote}`, 'remote', '-v']);
  if (listing.exitCode !== 0) throw gitFailure(listing, 'Failed to read the configured remotes');
  const urls: string[] = [];
  for (const line of listing.stdout.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab === -1) continue;
    const name = line.slice(0, tab);
    if (name === remote && name !== PROBE) return; // a configured remote
    if (name === PROBE) urls.push(line.slice(tab + 1).replace(/ \((fetch|push)\)$/, ''));
  }
  for (const url of urls.length ? urls : [remote]) {
    if (!(await remoteUrlAllowed(url, repo.cwd, sandbox, roots, homeDir))) throw remoteNotAllowed(remote);
  }
}

type RemoteTarget = { kind: 'network' } | { kind: 'local'; path: string } | { kind: 'refused' };

/** What a URL reaches, by git's own rules (transport.c, connect.c). */
function remoteTarget(url: string, cwd: string, homeDir: string): RemoteTarget {
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url)) return { kind: 'refused' }; // a remote helper
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    // git decodes %XX in URLs, and ignores the host of file://host/path.
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.slice('file://'.length));
    } catch {
      return { kind: 'refused' };
    }
    const slash = decoded.indexOf('/');
    return slash === -1 ? { kind: 'refused' } : { kind: 'local', path: path.resolve(decoded.slice(slash)) };
  }
  if (scheme !== undefined) return NETWORK_SCHEMES.has(scheme) ? { kind: 'network' } : { kind: 'refused' };
  // No scheme: `host:path` is ssh unless a '/' comes before the first ':' (then a local path).
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  if (colon !== -1 && (slash === -1 || colon < slash)) return { kind: 'network' };
  // git-upload-pack / receive-pack expand a leading `~` (and `~user`, which we cannot confine).
  if (url === '~' || url.startsWith('~/')) return { kind: 'local', path: path.join(homeDir, url.slice(1)) };
  if (url.startsWith('~')) return { kind: 'refused' };
  return { kind: 'local', path: path.resolve(cwd, url) };
}

async function remoteUrlAllowed(
  url: string,
  cwd: string,
  sandbox: Sandbox,
  roots: readonly string[],
  homeDir: string,
): Promise<boolean> {
  const target = remoteTarget(url, cwd, homeDir);
  if (target.kind !== 'local') return target.kind === 'network';
  try {
    // The path itself (or, not existing yet, its nearest existing ancestor) inside the roots.
    await sandbox.resolveCreatable(target.path);
  } catch (error) {
    if (error instanceof RuntimeError) return false;
    throw error;
  }
  // git opens the first of these that exists (enter_repo); a symlink or a `.git` file among them
  // must not lead out either.
  for (const candidate of [`${target.path}/.git`, target.path, `${target.path}.git/.git`, `${target.path}.git`]) {
    const stat = await fs.lstat(candidate).catch(() => null);
    if (stat === null) continue;
    const real = await fs.realpath(candidate).catch(() => null);
    if (real === null || !isInsideAnyRoot(real, roots)) return false;
    // Only regular files are read: opening a FIFO would wait for a writer.
    const gitFile = (await fs.stat(real).catch(() => null))?.isFile() ? await readGitFile(real) : null;
    if (gitFile !== null && !isInsideAnyRoot(await fs.realpath(gitFile).catch(() => gitFile), roots)) return false;
  }
  return true;
}

/** The directory a `.git` file (a regular file) points to (`gitdir: <path>`), or null. */
async function readGitFile(file: string): Promise<string | null> {
  const handle = await fs.open(file, 'r').catch(() => null);
  if (handle === null) return null;
  try {
    const { bytesRead, buffer } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const match = /^gitdir: (.+)$/m.exec(buffer.toString('utf8', 0, bytesRead));
    return match?.[1] ? path.resolve(path.dirname(file), match[1].trim()) : null;
  } finally {
    await handle.close();
  }
}

export interface RemoteRequest {
  remote?: string;
  branch?: string;
  options?: GitRemoteOptions;
}

export type ProgressSink = (event: GitProgressEvent) => void;

/** Emit parsed progress lines, at most one per phase every `intervalMs` (plus every phase end). */
export function progressReporter(
  operation: RemoteOperation,
  directory: string,
  emit: ProgressSink,
  intervalMs = 100,
): (line: string) => void {
  let lastPhase = '';
  let lastAt = 0;
  return (line) => {
    const fields = parseProgressLine(line);
    if (!fields) return;
    const now = Date.now();
    const key = `${fields.remote}:${fields.phase}`;
    if (key === lastPhase && !fields.done && now - lastAt < intervalMs) return;
    lastPhase = key;
    lastAt = now;
    emit({ operation, directory, ...fields });
  };
}

/** git's text without progress noise: what the reference (no `--progress`) reported. */
function cleanFailure(result: GitRunResult, fallback: string, status = 500): RuntimeError {
  return gitFailure(
    { ...result, stdout: stripProgress(result.stdout), stderr: stripProgress(result.stderr) },
    fallback,
    status,
  );
}

export interface RemoteContext {
  emit: ProgressSink;
  timeoutMs: number;
}

export async function gitFetch(repo: GitRepo, request: RemoteRequest, context: RemoteContext): Promise<void> {
  const args = ['fetch', '--progress', ...remoteOptionArgs('fetch', request.options), ...target(request)];
  await repo.exclusive(async () => {
    const result = await repo.write(args, runOptions(repo, 'fetch', context));
    if (result.exitCode !== 0) throw cleanFailure(result, 'Failed to fetch from remote');
  });
}

export async function gitPull(repo: GitRepo, request: RemoteRequest, context: RemoteContext): Promise<GitPullResult> {
  const args = ['pull', '--progress', ...remoteOptionArgs('pull', request.options), ...target(request)];
  return repo.exclusive(async () => {
    const before = await head(repo);
    const result = await repo.write(args, runOptions(repo, 'pull', context));
    if (result.exitCode !== 0) {
      const text = result.stdout + result.stderr;
      if (/^CONFLICT |Automatic merge failed|could not apply/m.test(text)) {
        throw cleanFailure(result, 'Failed to pull from remote', 409);
      }
      // The reference's rule: the text after the last "fatal: ", else everything git said.
      const fatal = [...stripProgress(text).matchAll(/^fatal: (.*)$/gm)].pop()?.[1];
      if (fatal) throw new RuntimeError(500, fatal);
      throw cleanFailure(result, 'Failed to pull from remote');
    }
    const after = await head(repo);
    return summarizeChange(repo, before, after);
  });
}

export async function gitPush(repo: GitRepo, request: RemoteRequest, context: RemoteContext): Promise<GitPushResult> {
  const args = [
    'push',
    '--progress',
    '--porcelain',
    '--verbose',
    ...remoteOptionArgs('push', request.options),
    request.remote || 'origin',
    ...(request.branch ? [request.branch] : []),
  ];
  return repo.exclusive(async () => {
    const result = await repo.write(args, runOptions(repo, 'push', context));
    if (result.exitCode !== 0) throw cleanFailure(result, 'Failed to push to remote');
    return parsePushOutput(result.stdout, stripProgress(result.stderr));
  });
}

export async function deleteRemoteBranch(
  repo: GitRepo,
  branch: string,
  remote: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const name = branch.startsWith('refs/heads/') ? branch.slice('refs/heads/'.length) : branch;
  await repo.exclusive(async () => {
    const result = await repo.write(['push', '--porcelain', '--verbose', remote || 'origin', `:${name}`], {
      timeoutMs,
    });
    if (result.exitCode !== 0) throw gitFailure(result, 'Failed to delete remote branch');
  });
}

/** `[remote [branch]]`; a branch without a remote goes to origin (git needs the repository first). */
function target(request: RemoteRequest): string[] {
  if (request.branch) return [request.remote || 'origin', request.branch];
  return request.remote ? [request.remote] : [];
}

function runOptions(repo: GitRepo, operation: RemoteOperation, context: RemoteContext) {
  return { timeoutMs: context.timeoutMs, onStderrLine: progressReporter(operation, repo.cwd, context.emit) };
}

async function head(repo: GitRepo): Promise<string | null> {
  const result = await repo.run(['rev-parse', '--verify', '--quiet', 'HEAD']);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

async function summarizeChange(repo: GitRepo, before: string | null, after: string | null): Promise<GitPullResult> {
  const result: GitPullResult = {
    success: true,
    summary: { changes: 0, deletions: 0, insertions: 0 },
    files: [],
    insertions: {},
    deletions: {},
  };
  if (!after || before === after) return result;
  const base = before ?? (await emptyTree(repo));
  const diff = await repo.run(['diff', '--numstat', '-z', '-M', '--no-color', base, after, '--']);
  if (diff.exitCode !== 0) return result;
  for (const entry of parseNumstat(diff.stdout)) {
    result.files.push(entry.path);
    if (entry.insertions > 0) result.insertions[entry.path] = entry.insertions;
    if (entry.deletions > 0) result.deletions[entry.path] = entry.deletions;
    result.summary.insertions += entry.insertions;
    result.summary.deletions += entry.deletions;
  }
  result.summary.changes = result.files.length;
  return result;
}

async function emptyTree(repo: GitRepo): Promise<string> {
  const result = await repo.run(['hash-object', '-t', 'tree', '--stdin'], { input: '' });
  return result.stdout.trim();
}
