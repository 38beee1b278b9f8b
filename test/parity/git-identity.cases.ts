/** Parity cases of git identities: the profile store, the global and current identity, set-identity. */
import type { GitIdentityProfile, GitIdentitySummary } from '@chamber/contract';
import { expect } from 'vitest';
import { HOME, deniedWhenRestricted, expectError, ok, type ParityCase } from './case.js';
import { DIRECTORY_REQUIRED, MAIN, MISSING, MISSING_DIR, PLAIN } from './git-paths.js';

const WORK_PROFILE = {
  id: 'work',
  name: 'Work Name',
  userName: 'Work Name',
  userEmail: 'w@example.com',
  sshKey: '~/.ssh/id work',
  color: 'keyword',
  icon: 'branch',
};
const GLOBAL: GitIdentitySummary = { userName: 'Global Person', userEmail: 'global@example.com', sshCommand: null };

export const gitIdentityCases: ParityCase[] = [
  {
    name: 'get_git_identities answers [] before anything is stored',
    command: 'get_git_identities',
    args: {},
    expect: (o) => expect(ok(o)).toEqual([]),
  },
  {
    name: 'create_git_identity stores a profile and fills the defaults',
    command: 'create_git_identity',
    args: {
      profile: { id: 'work', userName: 'Work Name', userEmail: 'w@example.com', sshKey: '~/.ssh/id work', bogus: 1 },
    },
    expect: (o) => expect(JSON.stringify(ok(o))).toBe(JSON.stringify(WORK_PROFILE)),
  },
  {
    name: 'create_git_identity refuses a duplicate id (quoted in the message)',
    command: 'create_git_identity',
    args: { profile: { id: 'work', userName: 'x', userEmail: 'x@example.com' } },
    expect: expectError(400, 'Profile with ID "work" already exists'),
  },
  {
    name: 'create_git_identity requires id, userName and userEmail',
    command: 'create_git_identity',
    args: { profile: { id: 'lonely' } },
    expect: expectError(400, 'Profile must have id, userName, and userEmail'),
  },
  {
    name: 'create_git_identity without a profile is a 400, not a TypeError',
    command: 'create_git_identity',
    args: {},
    expect: expectError(400, 'Profile must have id, userName, and userEmail'),
  },
  {
    name: 'create_git_identity refuses a non-string userName',
    command: 'create_git_identity',
    args: { profile: { id: 'n', userName: 42, userEmail: 'n@example.com' } },
    expect: expectError(400, 'Profile must have id, userName, and userEmail'),
  },
  {
    name: 'create_git_identity refuses a non-string sshKey',
    command: 'create_git_identity',
    args: { profile: { id: 'n', userName: 'N', userEmail: 'n@example.com', sshKey: ['a'] } },
    expect: expectError(400, 'sshKey must be a string or null'),
  },
  {
    name: 'create_git_identity stores a second profile without a key',
    command: 'create_git_identity',
    args: { profile: { id: 'personal', name: 'Me', userName: 'Personal', userEmail: 'me@example.com' } },
    expect: (o) =>
      expect(ok(o)).toEqual({
        id: 'personal',
        name: 'Me',
        userName: 'Personal',
        userEmail: 'me@example.com',
        sshKey: null,
        color: 'keyword',
        icon: 'branch',
      }),
  },
  {
    name: 'update_git_identity merges, keeps the id and drops keys that are no profile field',
    command: 'update_git_identity',
    args: { id: 'work', updates: { name: 'Work (renamed)', id: 'hijacked', extra: true } },
    expect: (o) => expect(ok(o)).toEqual({ ...WORK_PROFILE, name: 'Work (renamed)' }),
  },
  {
    name: 'update_git_identity of an unknown id is 400',
    command: 'update_git_identity',
    args: { id: 'nope', updates: { name: 'x' } },
    expect: expectError(400, 'Profile with ID "nope" not found'),
  },
  {
    name: 'update_git_identity refuses a non-string userEmail',
    command: 'update_git_identity',
    args: { id: 'work', updates: { userEmail: 7 } },
    expect: expectError(400, 'userEmail must be a string'),
  },
  {
    name: 'get_git_identities lists the profiles in insertion order',
    command: 'get_git_identities',
    args: {},
    expect: (o) => expect(ok<GitIdentityProfile[]>(o).map((p) => p.id)).toEqual(['work', 'personal']),
  },
  {
    name: 'get_global_git_identity reads the global config of the runtime home',
    command: 'get_global_git_identity',
    args: {},
    expect: (o) => expect(ok(o)).toEqual(GLOBAL),
  },
  {
    name: 'get_current_git_identity shows the repository-local identity',
    command: 'get_current_git_identity',
    args: { directory: MAIN },
    expect: (o) =>
      expect(ok(o)).toEqual({ userName: 'Fixture Author', userEmail: 'author@example.com', sshCommand: null }),
  },
  {
    name: 'get_current_git_identity outside a repository shows the global identity',
    command: 'get_current_git_identity',
    args: { directory: PLAIN },
    expect: (o) => expect(ok(o)).toEqual(GLOBAL),
  },
  {
    name: 'get_current_git_identity of a missing directory is the reference 500',
    command: 'get_current_git_identity',
    args: { directory: MISSING_DIR },
    expect: expectError(500, 'Failed to get current git identity'),
  },
  {
    name: 'get_current_git_identity requires a directory',
    command: 'get_current_git_identity',
    args: {},
    expect: expectError(400, DIRECTORY_REQUIRED),
  },
  {
    name: 'get_current_git_identity outside the sandbox is denied',
    command: 'get_current_git_identity',
    args: { directory: '<BASE>/outside' },
    expect: deniedWhenRestricted((o) => expect(ok(o)).toEqual(GLOBAL)),
  },
  {
    name: 'set_git_identity writes the profile and a quoted ssh key into the local config',
    command: 'set_git_identity',
    args: { directory: MAIN, profileId: 'work' },
    expect: (o) => expect(ok(o)).toEqual({ success: true, profile: { ...WORK_PROFILE, name: 'Work (renamed)' } }),
  },
  {
    name: 'get_current_git_identity reflects set_git_identity (key path expanded and quoted)',
    command: 'get_current_git_identity',
    args: { directory: MAIN },
    expect: (o) =>
      expect(ok(o)).toEqual({
        userName: 'Work Name',
        userEmail: 'w@example.com',
        sshCommand: `ssh -i '${HOME}/.ssh/id work'`,
      }),
  },
  {
    name: 'set_git_identity with a profile without key unsets the previous key',
    command: 'set_git_identity',
    args: { directory: MAIN, profileId: 'personal' },
    expect: (o) => expect(ok<{ profile: GitIdentityProfile }>(o).profile.userName).toBe('Personal'),
  },
  {
    name: 'get_current_git_identity no longer shows the old key',
    command: 'get_current_git_identity',
    args: { directory: MAIN },
    expect: (o) => expect(ok(o)).toEqual({ userName: 'Personal', userEmail: 'me@example.com', sshCommand: null }),
  },
  {
    name: "set_git_identity accepts the 'global' pseudo-profile",
    command: 'set_git_identity',
    args: { directory: MAIN, profileId: 'global' },
    expect: (o) =>
      expect(ok(o)).toEqual({
        success: true,
        profile: {
          id: 'global',
          name: 'Global Identity',
          userName: 'Global Person',
          userEmail: 'global@example.com',
          sshKey: null,
        },
      }),
  },
  {
    name: 'set_git_identity of an unknown profile is 404',
    command: 'set_git_identity',
    args: { directory: MAIN, profileId: 'nope' },
    expect: expectError(404, 'Profile not found'),
  },
  {
    name: 'set_git_identity looks the profile up before the directory (404 in a missing directory)',
    command: 'set_git_identity',
    args: { directory: MISSING_DIR, profileId: 'nope' },
    expect: expectError(404, 'Profile not found'),
  },
  {
    name: 'set_git_identity in a missing directory is the reference 500',
    command: 'set_git_identity',
    args: { directory: MISSING_DIR, profileId: 'work' },
    expect: expectError(500, MISSING),
  },
  {
    name: 'set_git_identity outside a repository passes git’s message through',
    command: 'set_git_identity',
    args: { directory: PLAIN, profileId: 'work' },
    expect: expectError(500, 'fatal: --local can only be used inside a git repository\n'),
  },
  {
    name: 'set_git_identity requires a profileId',
    command: 'set_git_identity',
    args: { directory: MAIN },
    expect: expectError(400, 'profileId is required'),
  },
  {
    name: 'delete_git_identity of an unknown id is 400',
    command: 'delete_git_identity',
    args: { id: 'nope' },
    expect: expectError(400, 'Profile with ID "nope" not found'),
  },
  {
    name: 'delete_git_identity removes a profile',
    command: 'delete_git_identity',
    args: { id: 'personal' },
    expect: (o) => expect(ok(o)).toEqual({ success: true }),
  },
  {
    name: 'get_git_identities no longer lists a deleted profile',
    command: 'get_git_identities',
    args: {},
    expect: (o) => expect(ok<GitIdentityProfile[]>(o).map((p) => p.id)).toEqual(['work']),
  },
];
