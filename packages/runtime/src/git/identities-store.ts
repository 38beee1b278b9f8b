/**
 * `git-identities.json` in the data dir (git.md §2.1): `{ "profiles": [...] }`, two-space JSON
 * without a trailing newline, as the reference wrote it. Unlike the reference, writes are atomic
 * and serialised (lock file + in-process queue), and a corrupt file (unparseable, not an object,
 * `profiles` not an array) is moved aside to `git-identities.json.corrupt-<time>` instead of
 * being silently replaced by the next write.
 */
import { RuntimeError, isPlainObject, type GitIdentityProfile } from '@chamber/contract';
import type { Logger } from '../logger.js';
import { JsonDataFile } from '../util/atomic-file.js';

export const IDENTITIES_FILE = 'git-identities.json';

const STRING_FIELDS = ['id', 'name', 'userName', 'userEmail'] as const;
const NULLABLE_FIELDS = ['sshKey', 'color', 'icon'] as const;

export class GitIdentityStore {
  readonly #file: JsonDataFile;

  constructor(options: { dataDir: string; logger: Logger; now?: () => Date }) {
    this.#file = new JsonDataFile(options, IDENTITIES_FILE, 'git identities');
  }

  get filePath(): string {
    return this.#file.filePath;
  }

  /** The stored profiles, verbatim (lock-free: writers replace the file atomically). */
  async list(): Promise<GitIdentityProfile[]> {
    const { value } = await this.#file.read((parsed) =>
      parsed.profiles === undefined || Array.isArray(parsed.profiles) ? undefined : '`profiles` is not an array',
    );
    return (value.profiles as GitIdentityProfile[] | undefined) ?? [];
  }

  async get(id: string): Promise<GitIdentityProfile | undefined> {
    return (await this.list()).find((profile) => isPlainObject(profile) && profile.id === id);
  }

  /** The reference's create (git.md §2.3): duplicate first, then required fields, then defaults. */
  async create(input: Record<string, unknown> | undefined): Promise<GitIdentityProfile> {
    const body = input ?? {};
    return this.#mutate((profiles) => {
      if (profiles.some((profile) => isPlainObject(profile) && profile.id === body.id && body.id !== undefined)) {
        throw new RuntimeError(400, `Profile with ID "${String(body.id)}" already exists`);
      }
      const { id, userName, userEmail } = body;
      if (!isFilledString(id) || !isFilledString(userName) || !isFilledString(userEmail)) {
        throw new RuntimeError(400, 'Profile must have id, userName, and userEmail');
      }
      checkFieldTypes(body);
      const profile: GitIdentityProfile = {
        id,
        name: isFilledString(body.name) ? body.name : userName,
        userName,
        userEmail,
        sshKey: isFilledString(body.sshKey) ? body.sshKey : null,
        color: isFilledString(body.color) ? body.color : 'keyword',
        icon: isFilledString(body.icon) ? body.icon : 'branch',
      };
      return { profiles: [...profiles, profile], result: profile };
    });
  }

  /**
   * Shallow merge over the stored profile; the id never changes (git.md §2.4). Only the profile's
   * own fields are taken from `updates`, as create does: the reference stored any key (`__proto__`
   * included), so a client could grow the file without bound and plant keys other readers trip on.
   */
  async update(id: string, updates: Record<string, unknown> | undefined): Promise<GitIdentityProfile> {
    const changes = profileFields(updates ?? {});
    checkFieldTypes(changes);
    return this.#mutate((profiles) => {
      const index = profiles.findIndex((profile) => isPlainObject(profile) && profile.id === id);
      const stored = profiles[index];
      if (stored === undefined) throw new RuntimeError(400, `Profile with ID "${id}" not found`);
      const merged = { ...stored, ...changes, id: stored.id } as GitIdentityProfile;
      const next = [...profiles];
      next[index] = merged;
      return { profiles: next, result: merged };
    });
  }

  async remove(id: string): Promise<void> {
    await this.#mutate((profiles) => {
      const next = profiles.filter((profile) => !(isPlainObject(profile) && profile.id === id));
      if (next.length === profiles.length) throw new RuntimeError(400, `Profile with ID "${id}" not found`);
      return { profiles: next, result: undefined };
    });
  }

  async #mutate<T>(
    change: (profiles: GitIdentityProfile[]) => { profiles: GitIdentityProfile[]; result: T },
  ): Promise<T> {
    return this.#file.locked(async () => {
      const { profiles, result } = change(await this.list());
      await this.#file.write({ profiles });
      return result;
    });
  }
}

function isFilledString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

/** The profile fields present in `body` (own properties only); every other key is dropped. */
function profileFields(body: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of [...STRING_FIELDS, ...NULLABLE_FIELDS]) {
    if (Object.prototype.hasOwnProperty.call(body, key) && body[key] !== undefined) picked[key] = body[key];
  }
  return picked;
}

/** Known fields must have their documented types. */
function checkFieldTypes(body: Record<string, unknown>): void {
  for (const key of STRING_FIELDS) {
    if (body[key] !== undefined && typeof body[key] !== 'string')
      throw new RuntimeError(400, `${key} must be a string`);
  }
  for (const key of NULLABLE_FIELDS) {
    const value = body[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new RuntimeError(400, `${key} must be a string or null`);
    }
  }
}
