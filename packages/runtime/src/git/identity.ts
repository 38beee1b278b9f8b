/**
 * The identity git uses (git.md §2.6–§2.8): read from config, written into a repository's local
 * config from a stored profile or the `global` pseudo-profile.
 *
 * Fixed on purpose: the current identity is git's effective value (local, else global, else
 * system), so a repository without a local identity shows the global one (the reference showed
 * nulls there); `core.sshCommand` quotes the key path (paths with spaces work) and is unset when
 * the chosen profile has no key (the reference left the previous profile's key in effect).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { RuntimeError, type GitIdentityProfile, type GitIdentitySummary } from '@chamber/contract';
import { expectSuccess } from './errors.js';
import type { GitIdentityStore } from './identities-store.js';
import type { GitRepo } from './repo.js';
import type { GitRunner } from './runner.js';

const KEYS = { userName: 'user.name', userEmail: 'user.email', sshCommand: 'core.sshCommand' } as const;

type ConfigReader = (args: string[]) => Promise<{ exitCode: number; stdout: string }>;

/** The last value of a (possibly multi-valued) key; unset, failing or empty → null. */
async function readIdentity(read: ConfigReader, scope: string[]): Promise<GitIdentitySummary> {
  const entries = await Promise.all(
    Object.entries(KEYS).map(async ([field, key]) => {
      const result = await read(['config', ...scope, '--null', '--get-all', '--', key]);
      if (result.exitCode !== 0) return [field, null] as const;
      const values = result.stdout.split('\0').filter((_, i, all) => i < all.length - 1);
      const last = values[values.length - 1];
      return [field, last ? last : null] as const;
    }),
  );
  return Object.fromEntries(entries) as unknown as GitIdentitySummary;
}

/** The global identity, read from the runtime user's home (git's cwd must merely exist). */
export async function getGlobalIdentity(runner: GitRunner, homeDir: string): Promise<GitIdentitySummary> {
  const cwd = (await fs
    .stat(homeDir)
    .then((s) => s.isDirectory())
    .catch(() => false))
    ? homeDir
    : path.parse(homeDir).root;
  return readIdentity((args) => runner.run(args, { cwd }), ['--global']);
}

export async function getCurrentIdentity(repo: GitRepo): Promise<GitIdentitySummary> {
  return readIdentity((args) => repo.run(args), []);
}

/** Resolve `profileId` as the reference does: the `global` pseudo-profile, else a stored profile (404s). */
export async function resolveProfile(
  profileId: string,
  store: GitIdentityStore,
  global: () => Promise<GitIdentitySummary>,
): Promise<{ profile: GitIdentityProfile; sshCommand: string | null }> {
  if (profileId === 'global') {
    const identity = await global();
    if (!identity.userName || !identity.userEmail) throw new RuntimeError(404, 'Global identity is not configured');
    const sshKey = identity.sshCommand ? identity.sshCommand.replace('ssh -i ', '') : null;
    return {
      profile: {
        id: 'global',
        name: 'Global Identity',
        userName: identity.userName,
        userEmail: identity.userEmail,
        sshKey,
      },
      // The global command is copied as it is (the reference rewrote any command as `ssh -i <command>`).
      sshCommand: identity.sshCommand,
    };
  }
  const profile = await store.get(profileId);
  if (!profile) throw new RuntimeError(404, 'Profile not found');
  return { profile, sshCommand: null };
}

/** Write the identity into the repository's local config; the key (or its absence) included. */
export async function applyIdentity(
  repo: GitRepo,
  resolved: { profile: GitIdentityProfile; sshCommand: string | null },
  homeDir: string,
): Promise<void> {
  const { profile } = resolved;
  const sshCommand =
    resolved.profile.id === 'global' ? resolved.sshCommand : sshCommandForKey(profile.sshKey ?? null, homeDir);
  await repo.exclusive(async () => {
    const set = async (key: string, value: string) =>
      expectSuccess(await repo.write(['config', '--local', '--', key, value]), 'Failed to set git identity');
    await set(KEYS.userName, stringField(profile.userName));
    await set(KEYS.userEmail, stringField(profile.userEmail));
    if (sshCommand) await set(KEYS.sshCommand, sshCommand);
    else await repo.write(['config', '--local', '--unset-all', '--', KEYS.sshCommand]); // exit 5 when unset: fine
  });
}

/** `ssh -i '<key>'`, with `~/` expanded (quoting would otherwise stop the shell from expanding it). */
export function sshCommandForKey(sshKey: string | null, homeDir: string): string | null {
  if (typeof sshKey !== 'string' || sshKey.trim() === '') return null;
  const key = sshKey.startsWith('~/') ? path.join(homeDir, sshKey.slice(2)) : sshKey;
  return `ssh -i '${key.replace(/'/g, `'\\''`)}'`;
}

function stringField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
