import fs from 'node:fs/promises';
import path from 'node:path';
import { ACCESS_DENIED, DIRECTORY_NOT_FOUND, RuntimeError } from '@chamber/contract';
import { errnoCode, isInsideAnyRoot } from './paths.js';

/**
 * Which paths the files commands may touch.
 * - `open`: the web reference's behaviour (no restriction; relative paths resolve against the
 *   server's cwd, a blank path means home). Default of the web server.
 * - `roots`: only inside the given directories (web server started with `--root DIR`).
 * - `settings`: only inside `approvedDirectories` ∪ `lastDirectory` from settings.json (desktop).
 *   With no approved directory nothing is accessible: unlike the reference, the sandbox never
 *   disappears because a setting is unset or stale.
 */
export type SandboxPolicy = { mode: 'open' } | { mode: 'roots'; roots: readonly string[] } | { mode: 'settings' };

export interface SandboxOptions {
  policy: SandboxPolicy;
  homeDir: string;
  cwd: string;
  /** Approved directories for the `settings` policy, read fresh on every check. */
  settingsRoots: () => Promise<readonly string[]>;
}

/** A path the caller may use: `path` is the lexical absolute path, `realPath` its canonical form. */
export interface ResolvedPath {
  path: string;
  realPath: string;
}

interface Roots {
  /** Lexically resolved roots, and their canonical forms (roots that no longer exist are dropped). */
  lexical: string[];
  real: string[];
}

export class Sandbox {
  readonly #options: SandboxOptions;

  constructor(options: SandboxOptions) {
    this.#options = options;
  }

  get policy(): SandboxPolicy {
    return this.#options.policy;
  }

  /** The approved roots, canonicalised; `null` when nothing is restricted. */
  async roots(): Promise<string[] | null> {
    const roots = await this.#roots();
    return roots ? roots.real : null;
  }

  /**
   * Resolve an existing path named by a client: trim, default blank to the base directory, make
   * relative paths absolute against it, canonicalise, and require the canonical path to lie inside
   * an approved root. A missing path outside the roots is denied rather than reported missing, so
   * the sandbox is no existence oracle.
   */
  async resolveExisting(input: string | undefined): Promise<ResolvedPath> {
    const roots = await this.#roots();
    const lexical = this.#lexical(input ?? '', roots);
    let realPath: string;
    try {
      realPath = await fs.realpath(lexical);
    } catch (error) {
      const code = errnoCode(error);
      if (roots && !isInsideAnyRoot(lexical, roots.lexical) && !isInsideAnyRoot(lexical, roots.real)) {
        throw new RuntimeError(403, ACCESS_DENIED);
      }
      if (code === 'EACCES' || code === 'EPERM') throw new RuntimeError(403, ACCESS_DENIED);
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') throw new RuntimeError(404, DIRECTORY_NOT_FOUND);
      throw error;
    }
    if (roots && !isInsideAnyRoot(realPath, roots.real)) throw new RuntimeError(403, ACCESS_DENIED);
    return { path: lexical, realPath };
  }

  /**
   * Resolve a path to be created (mkdir -p): the nearest existing ancestor is canonicalised and
   * must lie inside an approved root; the components below it do not exist yet, so they cannot
   * be symlinks leading out.
   */
  async resolveCreatable(input: string): Promise<string> {
    const roots = await this.#roots();
    const lexical = this.#lexical(input, roots);
    if (!roots) return lexical;
    let ancestor = lexical;
    for (;;) {
      try {
        const real = await fs.realpath(ancestor);
        if (!isInsideAnyRoot(real, roots.real)) throw new RuntimeError(403, ACCESS_DENIED);
        return lexical;
      } catch (error) {
        if (error instanceof RuntimeError) throw error;
        const code = errnoCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') {
          if (code === 'EACCES' || code === 'EPERM') throw new RuntimeError(403, ACCESS_DENIED);
          throw error;
        }
        const parent = path.dirname(ancestor);
        if (parent === ancestor) throw new RuntimeError(403, ACCESS_DENIED);
        ancestor = parent;
      }
    }
  }

  #lexical(input: string, roots: Roots | null): string {
    const trimmed = input.trim();
    const base = roots
      ? roots.lexical[0]
      : trimmed && !path.isAbsolute(trimmed)
        ? this.#options.cwd
        : this.#options.homeDir;
    if (base === undefined) throw new RuntimeError(403, ACCESS_DENIED);
    return trimmed ? path.resolve(base, trimmed) : path.resolve(base);
  }

  async #roots(): Promise<Roots | null> {
    const { policy } = this.#options;
    if (policy.mode === 'open') return null;
    const configured = policy.mode === 'roots' ? policy.roots : await this.#options.settingsRoots();
    const lexical: string[] = [];
    const real: string[] = [];
    for (const root of configured) {
      const trimmed = root.trim();
      if (!trimmed || !path.isAbsolute(trimmed) || trimmed.includes('\0')) continue;
      const resolved = path.resolve(trimmed);
      try {
        real.push(await fs.realpath(resolved));
        lexical.push(resolved);
      } catch {
        // A root that no longer exists approves nothing.
      }
    }
    return { lexical, real };
  }
}
