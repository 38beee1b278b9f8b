/**
 * The AI commit message against a local OpenAI-compatible server on loopback: the request the
 * runtime sends, the configuration rules, and graceful, bounded failure when the endpoint is
 * unreachable or silent.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseModelReply, truncateDiff } from '../../src/git/commit-message.js';
import { DEFAULT_AI_ENDPOINT, resolveAiEndpoint } from '../../src/ai/endpoint.js';
import { createRuntime, type Runtime } from '../../src/index.js';
import { startAiServer, type AiServer } from '../../../../test/support/ai-server.js';
import { buildGitRepos, pinnedGitEnv, type GitRepos } from '../../../../test/support/git-repos.js';

let base: string;
let repos: GitRepos;
let server: AiServer;
const runtimes: Runtime[] = [];

function runtimeWith(commitMessage: Record<string, unknown>): Runtime {
  const home = path.join(base, 'home');
  const runtime = createRuntime({
    homeDir: home,
    dataDir: path.join(base, 'data'),
    env: {},
    git: { env: pinnedGitEnv(home), commitMessage },
  });
  runtimes.push(runtime);
  return runtime;
}

beforeAll(async () => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-ai-')));
  repos = buildGitRepos(path.join(base, 'git'), path.join(base, 'home'));
  // A diff long enough to be cut, with an astral character right at the cut.
  fs.writeFileSync(path.join(repos.main, 'long.txt'), `${'y'.repeat(3_985)}😀${'z'.repeat(100)}\n`);
  fs.writeFileSync(path.join(repos.main, 'hang.txt'), 'the server never answers for this one\n');
  server = await startAiServer();
});
afterAll(async () => {
  for (const runtime of runtimes) await runtime.close();
  await server.close();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('generate_commit_message', () => {
  it('posts the reference request to the configured endpoint, with the API key when set', async () => {
    const runtime = runtimeWith({ endpoint: server.endpoint, model: 'local-model', apiKey: 'sk-test' });
    const answer = await runtime.invoke('generate_commit_message', {
      directory: repos.main,
      files: ['a.txt', 'long.txt'],
    });
    expect(answer).toEqual({
      message: { subject: 'fix(main): adjust a', highlights: ['Changes the second line of a'] },
    });
    const request = server.requests.at(-1)!;
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toMatchObject({
      model: 'local-model',
      max_tokens: 3000,
      stream: false,
      reasoning: { effort: 'low' },
    });
    const prompt = request.body.messages?.[0]?.content ?? '';
    expect(request.body.messages?.[0]?.role).toBe('user');
    expect(prompt).toContain('Diff summary:\nFILE: a.txt\ndiff --git a/a.txt b/a.txt');
    expect(prompt).toContain('\n\nFILE: long.txt\n');
    // Cut at 4000 UTF-16 units without splitting the surrogate pair, then "\n...".
    expect(prompt).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(prompt.endsWith('\n...')).toBe(true);
  });

  it('sends no Authorization header without a key', async () => {
    await runtimeWith({ endpoint: server.endpoint }).invoke('generate_commit_message', {
      directory: repos.main,
      files: ['a.txt'],
    });
    expect(server.requests.at(-1)!.headers.authorization).toBeUndefined();
    expect(server.requests.at(-1)!.body.model).toBe('big-pickle');
  });

  it('answers 500 at once, naming the endpoint, when nothing listens on it', async () => {
    const port = await closedPort();
    const started = Date.now();
    const url = `http://127.0.0.1:${port}/v1/chat/completions`;
    const runtime = runtimeWith({ endpoint: url, timeoutMs: 30_000 });
    const expected = `Failed to generate commit message: could not reach ${url} (ECONNREFUSED) — change the runtime's git.commitMessage options (they override Settings → AI)`;
    await expect(
      runtime.invoke('generate_commit_message', { directory: repos.main, files: ['a.txt'] }),
    ).rejects.toMatchObject({ status: 500, message: expected, detail: expected });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('gives up after the configured timeout when the endpoint never answers', async () => {
    const runtime = runtimeWith({ endpoint: server.endpoint, timeoutMs: 300 });
    await expect(
      runtime.invoke('generate_commit_message', { directory: repos.main, files: ['hang.txt'] }),
    ).rejects.toMatchObject({
      status: 500,
      message: expect.stringMatching(
        /^Failed to generate commit message: http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions did not answer within 0\.3 s — /,
      ),
    });
  });
});

describe('commit message configuration', () => {
  it('takes runtime options, then CHAMBER_COMMIT_MESSAGE_*, then CHAMBER_AI_*, then the file, then the reference', () => {
    const resolve = (options: Record<string, unknown>, env: Record<string, string>, stored = {}) =>
      resolveAiEndpoint(stored, env, 'commit-message', options);
    expect(resolve({}, {})).toMatchObject({
      url: DEFAULT_AI_ENDPOINT.url,
      chatCompletionsUrl: 'https://opencode.ai/zen/v1/chat/completions',
      model: 'big-pickle',
      timeoutMs: 240_000,
    });
    expect(resolve({}, {}).apiKey).toBeUndefined();
    const env = {
      CHAMBER_COMMIT_MESSAGE_ENDPOINT: 'http://localhost:1/v1/chat/completions',
      CHAMBER_COMMIT_MESSAGE_MODEL: 'm',
      CHAMBER_COMMIT_MESSAGE_API_KEY: 'k',
      CHAMBER_COMMIT_MESSAGE_TIMEOUT_MS: '5000',
      CHAMBER_AI_MODEL: 'general',
    };
    expect(resolve({}, env)).toMatchObject({
      chatCompletionsUrl: 'http://localhost:1/v1/chat/completions',
      model: 'm',
      apiKey: 'k',
      timeoutMs: 5000,
      variables: { model: 'CHAMBER_COMMIT_MESSAGE_MODEL' },
    });
    expect(resolve({ model: 'override' }, env).model).toBe('override');
    expect(resolve({}, { CHAMBER_AI_MODEL: 'general' }, { model: 'stored' }).model).toBe('general');
    expect(resolve({}, {}, { model: 'stored' }).model).toBe('stored');
    expect(resolve({}, { CHAMBER_COMMIT_MESSAGE_TIMEOUT_MS: 'soon' }).timeoutMs).toBe(240_000);
    // Refinement ignores the commit message's own variables and options.
    expect(resolveAiEndpoint({}, env, 'refine', { model: 'override' }).model).toBe('general');
  });

  it('reads model replies as the reference did', () => {
    expect(parseModelReply('```JSON\n{"subject":"a","highlights":[]}\n```')).toEqual({ subject: 'a', highlights: [] });
    expect(parseModelReply('[1,2]')).toEqual([1, 2]);
    expect(parseModelReply('{not json')).toEqual({ subject: '{not json', highlights: [] });
    expect(truncateDiff('abc', 5)).toBe('abc');
    expect(truncateDiff('abcdef', 3)).toBe('abc\n...');
  });
});

/** A loopback port with nothing listening on it. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
