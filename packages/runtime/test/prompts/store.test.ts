/**
 * prompt-enhancer-config.json (settings-config-prompts.md §3.4, §3.5) and ai-endpoint.json:
 * defaults written on first load, sanitised rewrites, atomic writes, corrupt files moved aside,
 * unreadable files reported, and the API key kept owner-only and never echoed.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger, silentLogger } from '../../src/logger.js';
import { DEFAULT_PROMPT_ENHANCER_CONFIG } from '../../src/prompts/defaults.js';
import { PromptEnhancerStore } from '../../src/prompts/store.js';
import { AiEndpointService, chatCompletionsUrl, maskApiKey } from '../../src/ai/endpoint.js';

const isRoot = process.getuid?.() === 0;
const fixedNow = () => new Date('2024-05-06T07:08:09.123Z');
const DEFAULT_TEXT = JSON.stringify(DEFAULT_PROMPT_ENHANCER_CONFIG, null, 2);

let dataDir: string;
let store: PromptEnhancerStore;
const file = () => path.join(dataDir, 'prompt-enhancer-config.json');

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'chamber-prompts-'));
  store = new PromptEnhancerStore({ dataDir, logger: silentLogger, now: fixedNow });
});

afterEach(async () => {
  await fs.chmod(dataDir, 0o700).catch(() => undefined);
  await fs.chmod(file(), 0o600).catch(() => undefined);
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('PromptEnhancerStore', () => {
  it('a missing file: the defaults, written as two-space JSON without a trailing newline', async () => {
    expect(await store.load()).toEqual(DEFAULT_PROMPT_ENHANCER_CONFIG);
    expect(await fs.readFile(file(), 'utf8')).toBe(DEFAULT_TEXT);
    expect(await fs.readdir(dataDir)).toEqual(['prompt-enhancer-config.json']);
  });

  it('a stored config: sanitised and written back when sanitising changed it', async () => {
    await fs.writeFile(file(), JSON.stringify({ groupOrder: ['Mine'], groups: { mine: { label: ' Mine ' } } }));
    const loaded = await store.load();
    expect(loaded.groupOrder[0]).toBe('mine');
    expect(loaded.groups.mine!.label).toBe('Mine');
    expect(await fs.readFile(file(), 'utf8')).toBe(JSON.stringify(loaded, null, 2));
  });

  it('an already sanitised file is not rewritten', async () => {
    await store.save({ groups: { custom: {} } });
    const before = await fs.stat(file());
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.load();
    const after = await fs.stat(file());
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('a corrupt file is moved aside and replaced by the defaults (the reference left or overwrote it)', async () => {
    const logger = createMemoryLogger();
    store = new PromptEnhancerStore({ dataDir, logger, now: fixedNow });
    await fs.writeFile(file(), '{ "groups": ');
    expect(await store.load()).toEqual(DEFAULT_PROMPT_ENHANCER_CONFIG);
    const aside = `${file()}.corrupt-2024-05-06T07-08-09-123Z`;
    expect(await fs.readFile(aside, 'utf8')).toBe('{ "groups": ');
    expect(await fs.readFile(file(), 'utf8')).toBe(DEFAULT_TEXT);
    expect(logger.lines.some((line) => line.message === 'Corrupt prompt enhancer config file moved aside')).toBe(true);
  });

  it('a file holding a JSON array or null is corrupt too', async () => {
    await fs.writeFile(file(), '[1,2]');
    expect(await store.load()).toEqual(DEFAULT_PROMPT_ENHANCER_CONFIG);
    expect((await fs.readdir(dataDir)).filter((name) => name.includes('.corrupt-'))).toHaveLength(1);
  });

  it.skipIf(isRoot)('an unreadable file is an error, and nothing is written', async () => {
    await fs.writeFile(file(), JSON.stringify({ version: 9 }));
    await fs.chmod(file(), 0o000);
    await expect(store.load()).rejects.toThrow(/EACCES/);
    await fs.chmod(file(), 0o600);
    expect(await fs.readFile(file(), 'utf8')).toBe(JSON.stringify({ version: 9 }));
  });

  it.skipIf(isRoot)(
    'a failed rewrite still answers the user’s config (the reference answered the defaults)',
    async () => {
      await fs.writeFile(file(), JSON.stringify({ version: 9, groups: { mine: {} } }));
      await fs.chmod(dataDir, 0o500);
      const loaded = await store.load();
      expect(loaded.version).toBe(9);
      expect(loaded.groups.mine).toBeDefined();
    },
  );

  it('save sanitises, replaces the file (no merge) and answers what it wrote', async () => {
    await store.save({ groups: { first: {} } });
    const saved = await store.save({ version: 4 });
    expect(saved.version).toBe(4);
    expect(saved.groups.first).toBeUndefined();
    expect(JSON.parse(await fs.readFile(file(), 'utf8'))).toEqual(saved);
    expect(await store.save(undefined)).toEqual(DEFAULT_PROMPT_ENHANCER_CONFIG);
  });

  it('concurrent saves leave one whole file, no temp or lock files', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.save({ version: i })));
    const text = await fs.readFile(file(), 'utf8');
    expect(typeof JSON.parse(text).version).toBe('number');
    expect(await fs.readdir(dataDir)).toEqual(['prompt-enhancer-config.json']);
  });
});

describe('the AI endpoint setting', () => {
  const service = (env: NodeJS.ProcessEnv = {}) => new AiEndpointService({ dataDir, env, logger: silentLogger });
  const aiFile = () => path.join(dataDir, 'ai-endpoint.json');

  it('a base URL gets /chat/completions; a full one is used as is', () => {
    expect(chatCompletionsUrl('http://localhost:11434/v1')).toBe('http://localhost:11434/v1/chat/completions');
    expect(chatCompletionsUrl('http://localhost:11434/v1/')).toBe('http://localhost:11434/v1/chat/completions');
    expect(chatCompletionsUrl('https://x.test/api/chat/completions')).toBe('https://x.test/api/chat/completions');
    expect(chatCompletionsUrl('https://x.test')).toBe('https://x.test/chat/completions');
  });

  it('masks keys: only the last four characters of a long key', () => {
    expect(maskApiKey(undefined)).toBe('');
    expect(maskApiKey('short')).toBe('••••');
    expect(maskApiKey('sk-1234567890abcd')).toBe('••••abcd');
  });

  it('without a file or variables: the reference’s endpoint and model, 240 s', async () => {
    expect(await service().view()).toEqual({
      url: 'https://opencode.ai/zen/v1/chat/completions',
      chatCompletionsUrl: 'https://opencode.ai/zen/v1/chat/completions',
      model: 'big-pickle',
      apiKeySet: false,
      apiKeyHint: '',
      timeoutMs: 240_000,
      sources: { url: 'default', model: 'default', apiKey: 'default', timeoutMs: 'default' },
      variables: {},
      commitMessageOverrides: [],
      defaults: { url: 'https://opencode.ai/zen/v1/chat/completions', model: 'big-pickle', timeoutMs: 240_000 },
      settingsFile: aiFile(),
    });
  });

  it('save writes an owner-only file, never answers the key, and "" or 0 restore defaults', async () => {
    const saved = await service().save({
      url: ' http://127.0.0.1:1/v1 ',
      model: 'm',
      apiKey: 'sk-secret-key-0042',
      timeoutMs: 5_000,
    });
    expect(saved).toMatchObject({
      url: 'http://127.0.0.1:1/v1',
      chatCompletionsUrl: 'http://127.0.0.1:1/v1/chat/completions',
      model: 'm',
      apiKeySet: true,
      apiKeyHint: '••••0042',
      timeoutMs: 5_000,
      sources: { url: 'settings', model: 'settings', apiKey: 'settings', timeoutMs: 'settings' },
    });
    expect(JSON.stringify(saved)).not.toContain('sk-secret');
    expect((await fs.stat(aiFile())).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await fs.readFile(aiFile(), 'utf8'))).toEqual({
      url: 'http://127.0.0.1:1/v1',
      model: 'm',
      apiKey: 'sk-secret-key-0042',
      timeoutMs: 5_000,
    });
    const kept = await service().save({ model: 'n' });
    expect(kept).toMatchObject({ apiKeySet: true, model: 'n', url: 'http://127.0.0.1:1/v1' });
    const reset = await service().save({ url: '', apiKey: '', timeoutMs: 0 });
    expect(reset).toMatchObject({
      url: 'https://opencode.ai/zen/v1/chat/completions',
      apiKeySet: false,
      timeoutMs: 240_000,
    });
    expect(JSON.parse(await fs.readFile(aiFile(), 'utf8'))).toEqual({ model: 'n' });
  });

  it('environment variables override the file, and say so', async () => {
    await service().save({ model: 'stored', apiKey: 'stored-key-123456' });
    const view = await service({
      CHAMBER_AI_MODEL: 'from-env',
      CHAMBER_AI_URL: 'http://env.test/v1',
      CHAMBER_COMMIT_MESSAGE_API_KEY: 'x',
    }).view();
    expect(view).toMatchObject({
      model: 'from-env',
      url: 'http://env.test/v1',
      apiKeyHint: '••••3456',
      sources: { model: 'environment', url: 'environment', apiKey: 'settings' },
      variables: { model: 'CHAMBER_AI_MODEL', url: 'CHAMBER_AI_URL' },
      commitMessageOverrides: ['CHAMBER_COMMIT_MESSAGE_API_KEY'],
    });
  });

  it('a test applies the form’s values over the effective ones without saving them', async () => {
    await service().save({ model: 'stored' });
    const tried = await service({ CHAMBER_AI_MODEL: 'env' }).resolve('test', { model: 'tried', apiKey: 'k', url: '' });
    expect(tried).toMatchObject({ model: 'tried', apiKey: 'k', url: 'https://opencode.ai/zen/v1/chat/completions' });
    expect(JSON.parse(await fs.readFile(aiFile(), 'utf8'))).toEqual({ model: 'stored' });
  });

  it('a corrupt file is moved aside; invalid members are ignored', async () => {
    await fs.writeFile(aiFile(), 'nope');
    expect((await service().view()).sources.url).toBe('default');
    expect((await fs.readdir(dataDir)).some((name) => name.startsWith('ai-endpoint.json.corrupt-'))).toBe(true);
    await fs.writeFile(aiFile(), JSON.stringify({ url: 'ftp://x', model: 3, timeoutMs: 5, apiKey: 'k' }));
    expect(await service().view()).toMatchObject({
      sources: { url: 'default', model: 'default', timeoutMs: 'default', apiKey: 'settings' },
    });
  });
});
