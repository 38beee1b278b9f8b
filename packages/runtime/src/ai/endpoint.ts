/**
 * The one AI endpoint setting that prompt refinement and the AI commit message share.
 *
 * The reference called `https://opencode.ai/zen/v1/chat/completions` with model `big-pickle`, no
 * key, hard-coded. Here each field (URL, model, API key, timeout) is resolved on every call, so a
 * save takes effect at once, with this precedence (first set wins):
 *
 *   commit message only: runtime options (`git.commitMessage`), then `CHAMBER_COMMIT_MESSAGE_*`
 *   both:                `CHAMBER_AI_*` environment variables
 *                        `<data dir>/ai-endpoint.json` (what Settings → AI writes)
 *                        the reference's values (timeout: 240 s, the reference's figure)
 *
 * The file is Chamber's own (settings.json keeps the reference's schema, whose sanitiser drops
 * unknown keys, and whose GET would echo a key): `{ url?, model?, apiKey?, timeoutMs? }`, written
 * atomically, readable by its owner only (0600), a corrupt file moved aside.
 */
import { promises as fs } from 'node:fs';
import {
  AI_TIMEOUT_MAX_MS,
  AI_TIMEOUT_MIN_MS,
  OPENCODE_AI_URL,
  RuntimeError,
  aiUrlProblem,
  type AiEndpointChanges,
  type AiEndpointField,
  type AiEndpointSettings,
  type AiEndpointSource,
} from '@chamber/contract';
import type { Logger } from '../logger.js';
import { JsonDataFile } from '../util/atomic-file.js';

export const AI_ENDPOINT_FILE = 'ai-endpoint.json';

export const DEFAULT_AI_ENDPOINT = {
  url: 'https://opencode.ai/zen/v1/chat/completions',
  model: 'big-pickle',
  timeoutMs: 240_000,
} as const;

/** The general variables, and the commit message's own older ones (they still win for it). */
export const AI_ENV: Record<AiEndpointField, string> = {
  url: 'CHAMBER_AI_URL',
  model: 'CHAMBER_AI_MODEL',
  apiKey: 'CHAMBER_AI_API_KEY',
  timeoutMs: 'CHAMBER_AI_TIMEOUT_MS',
};
export const COMMIT_MESSAGE_ENV: Record<AiEndpointField, string> = {
  url: 'CHAMBER_COMMIT_MESSAGE_ENDPOINT',
  model: 'CHAMBER_COMMIT_MESSAGE_MODEL',
  apiKey: 'CHAMBER_COMMIT_MESSAGE_API_KEY',
  timeoutMs: 'CHAMBER_COMMIT_MESSAGE_TIMEOUT_MS',
};

/** The programmatic override of the commit message's endpoint (`RuntimeOptions.git.commitMessage`). */
export interface CommitMessageOverrides {
  /** Full URL of the chat-completions endpoint (a base URL works too). */
  endpoint?: string;
  model?: string;
  apiKey?: string;
  timeoutMs?: number;
}

export type AiPurpose = 'refine' | 'commit-message' | 'test';

/** Where one field's value came from, in words a person can act on. */
export type ResolvedSource = AiEndpointSource | 'options';

/** What a call uses: every field resolved, and where each came from (for error messages). */
export interface ResolvedAiEndpoint {
  url: string;
  chatCompletionsUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  sources: Record<AiEndpointField, ResolvedSource>;
  /** The environment variable behind each field set that way. */
  variables: Partial<Record<AiEndpointField, string>>;
  /** How requests are made when not over HTTP: the `opencode:` endpoint's adapter. */
  fetch?: typeof fetch;
}

/** The stored file's content, checked. */
export interface StoredAiEndpoint {
  url?: string;
  model?: string;
  apiKey?: string;
  timeoutMs?: number;
}

/**
 * Where requests go: a URL already ending in `/chat/completions` is used as is, anything else is
 * a base URL (`http://localhost:11434/v1`) that gets `/chat/completions` appended.
 */
export function chatCompletionsUrl(url: string): string {
  const trimmed = url.trim();
  if (trimmed === OPENCODE_AI_URL) return trimmed;
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return trimmed; // reported when the call is made, with the setting named
  }
  if (/\/chat\/completions\/?$/.test(parsed.pathname)) return trimmed;
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/chat/completions`;
  return parsed.toString();
}

/** `••••` plus the last four characters when the key is long enough to keep them secret. */
export function maskApiKey(key: string | undefined): string {
  if (!key) return '';
  return key.length >= 12 ? `••••${key.slice(-4)}` : '••••';
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

function parseTimeout(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(number) || number <= 0) return undefined;
  return Math.min(Math.max(Math.round(number), 1), AI_TIMEOUT_MAX_MS);
}

/** Resolve every field for one purpose (see the precedence at the top of this file). */
export function resolveAiEndpoint(
  stored: StoredAiEndpoint,
  env: NodeJS.ProcessEnv,
  purpose: AiPurpose,
  options: CommitMessageOverrides = {},
): ResolvedAiEndpoint {
  const sources = {} as Record<AiEndpointField, ResolvedSource>;
  const variables: Partial<Record<AiEndpointField, string>> = {};
  const pick = <T>(
    field: AiEndpointField,
    fromOptions: T | undefined,
    parse: (raw: string) => T | undefined,
    fromFile: T | undefined,
    fallback: T,
  ): T => {
    if (purpose === 'commit-message' && fromOptions !== undefined) {
      sources[field] = 'options';
      return fromOptions;
    }
    const names = purpose === 'commit-message' ? [COMMIT_MESSAGE_ENV[field], AI_ENV[field]] : [AI_ENV[field]];
    for (const name of names) {
      const raw = envValue(env, name);
      const parsed = raw === undefined ? undefined : parse(raw);
      if (parsed !== undefined) {
        sources[field] = 'environment';
        variables[field] = name;
        return parsed;
      }
    }
    if (fromFile !== undefined) {
      sources[field] = 'settings';
      return fromFile;
    }
    sources[field] = 'default';
    return fallback;
  };
  const identity = (raw: string) => raw;
  const url = pick('url', options.endpoint, identity, stored.url, DEFAULT_AI_ENDPOINT.url);
  const model = pick('model', options.model, identity, stored.model, DEFAULT_AI_ENDPOINT.model);
  const apiKey = pick<string | undefined>('apiKey', options.apiKey, identity, stored.apiKey, undefined);
  const timeoutMs = pick(
    'timeoutMs',
    parseTimeout(options.timeoutMs),
    parseTimeout,
    stored.timeoutMs,
    DEFAULT_AI_ENDPOINT.timeoutMs,
  );
  return {
    url,
    chatCompletionsUrl: chatCompletionsUrl(url),
    model,
    ...(apiKey ? { apiKey } : {}),
    timeoutMs,
    sources,
    variables,
  };
}

/** Apply client changes to what is stored ('' and 0 remove a field). Pure. */
export function applyAiChanges(stored: StoredAiEndpoint, changes: AiEndpointChanges): StoredAiEndpoint {
  const next: StoredAiEndpoint = { ...stored };
  for (const field of ['url', 'model', 'apiKey'] as const) {
    const value = changes[field];
    if (value === undefined) continue;
    // A key is used verbatim (spaces may be part of it); URLs and model names are trimmed.
    const cleaned = field === 'apiKey' ? value : value.trim();
    if (cleaned.trim() === '') delete next[field];
    else next[field] = cleaned;
  }
  if (changes.timeoutMs !== undefined) {
    if (changes.timeoutMs === 0) delete next.timeoutMs;
    else next.timeoutMs = changes.timeoutMs;
  }
  return next;
}

/** The members of a parsed file that are usable; anything else is ignored (and logged). */
function checkStored(raw: Record<string, unknown>): { value: StoredAiEndpoint; ignored: string[] } {
  const value: StoredAiEndpoint = {};
  const ignored: string[] = [];
  const { url, model, apiKey, timeoutMs } = raw;
  if (typeof url === 'string' && url.trim() && !aiUrlProblem(url)) value.url = url.trim();
  else if (url !== undefined) ignored.push('url');
  if (typeof model === 'string' && model.trim()) value.model = model.trim();
  else if (model !== undefined) ignored.push('model');
  if (typeof apiKey === 'string' && apiKey.trim()) value.apiKey = apiKey;
  else if (apiKey !== undefined) ignored.push('apiKey');
  if (typeof timeoutMs === 'number' && Number.isInteger(timeoutMs) && timeoutMs >= AI_TIMEOUT_MIN_MS) {
    value.timeoutMs = Math.min(timeoutMs, AI_TIMEOUT_MAX_MS);
  } else if (timeoutMs !== undefined) ignored.push('timeoutMs');
  return { value, ignored };
}

export interface AiEndpointServiceOptions {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** `RuntimeOptions.git.commitMessage`: wins over everything, for the commit message only. */
  commitMessage?: CommitMessageOverrides;
  /** Answers the `opencode:` endpoint (the model configured in OpenCode). */
  opencodeFetch?: typeof fetch;
}

export class AiEndpointService {
  readonly #file: JsonDataFile;
  readonly #env: NodeJS.ProcessEnv;
  readonly #commitMessage: CommitMessageOverrides;
  readonly #opencodeFetch: typeof fetch | undefined;

  constructor(options: AiEndpointServiceOptions) {
    this.#opencodeFetch = options.opencodeFetch;
    this.#file = new JsonDataFile(options, AI_ENDPOINT_FILE, 'AI endpoint');
    this.#env = options.env;
    this.#commitMessage = options.commitMessage ?? {};
  }

  get filePath(): string {
    return this.#file.filePath;
  }

  /** The stored setting; `{}` when there is none (a corrupt file is moved aside). */
  async readStored(): Promise<StoredAiEndpoint> {
    const { value, ignored } = checkStored((await this.#file.read()).value);
    if (ignored.length > 0) this.#file.warn('Ignoring invalid AI endpoint fields', { fields: ignored });
    return value;
  }

  /**
   * The endpoint one call uses. A test (`purpose: 'test'`) applies the settings form's values over
   * the effective ones, whatever set those, so a person can try values before saving them.
   */
  async resolve(purpose: AiPurpose, changes: AiEndpointChanges = {}): Promise<ResolvedAiEndpoint> {
    return this.#throughOpenCode(await this.#resolve(purpose, changes));
  }

  /**
   * The `opencode:` endpoint goes through OpenCode's adapter, and without a model of its own asks
   * for OpenCode's configured one (the reference's default model means nothing to OpenCode).
   */
  #throughOpenCode(endpoint: ResolvedAiEndpoint): ResolvedAiEndpoint {
    if (endpoint.url.trim() !== OPENCODE_AI_URL || !this.#opencodeFetch) return endpoint;
    const model = endpoint.sources.model === 'default' ? '' : endpoint.model;
    return { ...endpoint, model, fetch: this.#opencodeFetch };
  }

  async #resolve(purpose: AiPurpose, changes: AiEndpointChanges): Promise<ResolvedAiEndpoint> {
    const resolved = resolveAiEndpoint(await this.readStored(), this.#env, purpose, this.#commitMessage);
    if (purpose !== 'test') return resolved;
    const tried = { ...resolved, sources: { ...resolved.sources }, variables: { ...resolved.variables } };
    const given = (field: AiEndpointField) => {
      tried.sources[field] = 'settings';
      delete tried.variables[field];
    };
    if (changes.url !== undefined) {
      tried.url = changes.url.trim() || DEFAULT_AI_ENDPOINT.url;
      tried.chatCompletionsUrl = chatCompletionsUrl(tried.url);
      given('url');
    }
    if (changes.model !== undefined) {
      tried.model = changes.model.trim() || DEFAULT_AI_ENDPOINT.model;
      given('model');
    }
    if (changes.apiKey !== undefined) {
      if (changes.apiKey.trim()) tried.apiKey = changes.apiKey;
      else delete tried.apiKey;
      given('apiKey');
    }
    if (changes.timeoutMs !== undefined) {
      tried.timeoutMs = changes.timeoutMs || DEFAULT_AI_ENDPOINT.timeoutMs;
      given('timeoutMs');
    }
    return tried;
  }

  /** What the settings view shows: the effective values (refine's), the key masked. */
  async view(): Promise<AiEndpointSettings> {
    const resolved = resolveAiEndpoint(await this.readStored(), this.#env, 'refine');
    const commitMessageOverrides = [
      ...Object.values(COMMIT_MESSAGE_ENV).filter((name) => envValue(this.#env, name) !== undefined),
      ...(Object.values(this.#commitMessage).some((value) => value !== undefined) ? ['runtime options'] : []),
    ];
    return {
      url: resolved.url,
      chatCompletionsUrl: resolved.chatCompletionsUrl,
      model: resolved.model,
      apiKeySet: resolved.apiKey !== undefined,
      apiKeyHint: maskApiKey(resolved.apiKey),
      timeoutMs: resolved.timeoutMs,
      sources: resolved.sources as Record<AiEndpointField, AiEndpointSource>,
      variables: resolved.variables,
      commitMessageOverrides,
      defaults: { ...DEFAULT_AI_ENDPOINT },
      settingsFile: this.filePath,
    };
  }

  /** Apply changes to the file (lock: read → change → atomic write, owner-only), then `view()`. */
  async save(changes: AiEndpointChanges): Promise<AiEndpointSettings> {
    await this.#file.locked(async () => {
      const next = applyAiChanges(await this.readStored(), changes);
      await createPrivately(this.filePath);
      await this.#file.write(next);
    });
    return this.view();
  }
}

/**
 * The file holds an API key: create it owner-only before the first atomic write, which then keeps
 * the mode it finds (a new temp file would otherwise get 0666 minus the umask).
 */
async function createPrivately(file: string): Promise<void> {
  try {
    const handle = await fs.open(file, 'wx', 0o600);
    await handle.writeFile('{}', 'utf8');
    await handle.close();
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  }
}

/** Refuse a setting that cannot work before any request is made. */
export function assertUsableUrl(endpoint: ResolvedAiEndpoint, failure: string, hint: string): URL {
  if (endpoint.fetch && endpoint.url.trim() === OPENCODE_AI_URL) return new URL(OPENCODE_AI_URL);
  try {
    const parsed = new URL(endpoint.chatCompletionsUrl);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed;
  } catch {
    // reported below
  }
  const message = `${failure}: the AI endpoint "${endpoint.url}" is not an http:// or https:// URL — ${hint}`;
  throw new RuntimeError(500, message, { detail: message });
}
