/**
 * The git subsystem's services, built once per runtime: the runner, per-repository write locks,
 * the identity store, the worktree cache and the remote-heads cache.
 * `repository(directory)` is the one entry point from a client's `directory` argument: it goes
 * through the sandbox (the desktop confines git exactly as it confines files), then must name an
 * existing directory.
 */
import fs from 'node:fs/promises';
import { RuntimeError } from '@chamber/contract';
import type { EventBus } from '../events.js';
import type { Logger } from '../logger.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { RemoteHeadsCache } from './branches.js';
import type { CommitMessageOverrides } from '../ai/endpoint.js';
import { MISSING_DIRECTORY } from './errors.js';
import { GitIdentityStore } from './identities-store.js';
import { GitRepo, RepoLocks } from './repo.js';
import { GitRunner } from './runner.js';
import { WorktreeCache } from './worktrees.js';

export interface GitOptions {
  /** Extra environment for every git process (tests pin commit dates, isolate config). */
  env?: Record<string, string>;
  /** Bound on local git runs (default 120 s). */
  timeoutMs?: number;
  /** Bound on pull, push, fetch and remote branch deletion (default 10 min). */
  networkTimeoutMs?: number;
  /**
   * AI commit message endpoint, over everything else (tests, embedders); unset fields come from
   * the shared AI endpoint setting (`../ai/endpoint.ts`).
   */
  commitMessage?: CommitMessageOverrides;
}

export interface GitServiceOptions {
  homeDir: string;
  dataDir: string;
  sandbox: Sandbox;
  events: EventBus;
  logger: Logger;
  options?: GitOptions;
}

export const DEFAULT_NETWORK_TIMEOUT_MS = 600_000;

export class GitService {
  readonly runner: GitRunner;
  readonly locks = new RepoLocks();
  readonly identities: GitIdentityStore;
  readonly worktrees: WorktreeCache;
  readonly remoteHeads = new RemoteHeadsCache();
  readonly networkTimeoutMs: number;
  readonly homeDir: string;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly #sandbox: Sandbox;

  constructor(options: GitServiceOptions) {
    this.homeDir = options.homeDir;
    this.events = options.events;
    this.logger = options.logger;
    this.#sandbox = options.sandbox;
    this.runner = new GitRunner({
      homeDir: options.homeDir,
      ...(options.options?.env ? { env: options.options.env } : {}),
      ...(options.options?.timeoutMs ? { timeoutMs: options.options.timeoutMs } : {}),
    });
    this.identities = new GitIdentityStore({ dataDir: options.dataDir, logger: options.logger });
    this.worktrees = new WorktreeCache(options.events);
    this.networkTimeoutMs = options.options?.networkTimeoutMs ?? DEFAULT_NETWORK_TIMEOUT_MS;
  }

  /**
   * The canonical directory named by a client, or `null` when it does not exist (or is not a
   * directory): each command decides what that means, as the reference did. Outside the sandbox
   * → 403, whether or not it exists.
   */
  async directory(input: string): Promise<string | null> {
    if (input.trim() === '') throw new RuntimeError(400, 'directory parameter is required');
    let realPath: string;
    try {
      realPath = (await this.#sandbox.resolveExisting(input)).realPath;
    } catch (error) {
      if (error instanceof RuntimeError && error.status === 404) return null;
      throw error;
    }
    const isDirectory = await fs.stat(realPath).then(
      (stat) => stat.isDirectory(),
      () => false,
    );
    return isDirectory ? realPath : null;
  }

  /** A repository handle for an existing directory; a missing one is the reference's 500. */
  async repository(input: string, missing = MISSING_DIRECTORY, status = 500): Promise<GitRepo> {
    const directory = await this.directory(input);
    if (directory === null) throw new RuntimeError(status, missing);
    return GitRepo.open(directory, this.runner, this.locks);
  }

  /** Resolve a path a command will create (a new worktree), confined like every other path. */
  resolveCreatable(input: string): Promise<string> {
    return this.#sandbox.resolveCreatable(input);
  }

  close(): void {
    this.worktrees.clear();
  }
}
