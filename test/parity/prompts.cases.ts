/**
 * Parity cases of the prompt enhancer (config, refine, preview) and of the AI endpoint setting,
 * and the fixture hook that gives every fixture copy a directory of workspaces to read
 * (`<BASE>/prompts`: project context files, a repository with staged, working and untracked
 * changes, an oversized README) and points its AI endpoint setting (`ai-endpoint.json`) at the
 * loopback fake of test/support/ai-server.ts. Refinement answers depend on a `[reply:<kind>]`
 * marker in the prompt, so one server answers both transports identically.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type {
  AiEndpointSettings,
  AiEndpointTestResult,
  CommandName,
  PromptEnhancerConfig,
  RefinePreview,
} from '@chamber/contract';
import { expect } from 'vitest';
import { startAiServer, type AiServer } from '../support/ai-server.js';
import { git } from '../support/fixtures.js';
import { OUTSIDE, WORK, expectError, ok, restricted, type FixtureHook, type Outcome, type ParityCase } from './case.js';

const PROMPTS = '<BASE>/prompts';
const CTX = `${PROMPTS}/ctx`;
const REPO_DIR = `${PROMPTS}/repo`;
const BIG = `${PROMPTS}/big`;
const MISSING = `${PROMPTS}/missing`;
const API_KEY = 'sk-parity-key-0123456789';
const MODEL = 'parity-model';
const TIMEOUT_MS = 5_000;
const SETTINGS = 'Settings → AI';

let ai: AiServer | undefined;
/** A loopback port nothing listens on, the same for every side. */
let closedPort = 0;
// Promises, not values: every side's hook runs at once, and all must share one server and port.
let starting: Promise<[AiServer, number]> | undefined;

const aiServer = (): AiServer => {
  if (!ai) throw new Error('the prompts fixture hook did not run');
  return ai;
};
const chatUrl = () => aiServer().endpoint;

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function findClosedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export const promptsFixtureHook: FixtureHook = {
  async prepare(fixture) {
    [ai, closedPort] = await (starting ??= Promise.all([startAiServer(), findClosedPort()]));
    const root = path.join(fixture.base, 'prompts');
    write(path.join(root, 'ctx/AGENTS.md'), '# Agents\n\nUse tabs.\n');
    write(path.join(root, 'ctx/README.md'), '\n# Demo\n\nA demo project.\n\n');
    write(path.join(root, 'big/README.md'), 'r'.repeat(13_000));
    const repo = path.join(root, 'repo');
    write(path.join(repo, 'a.txt'), 'one\n');
    write(path.join(repo, 'b.txt'), 'two\n');
    write(path.join(repo, 'c.txt'), 'three\n');
    write(path.join(repo, 'e.txt'), 'gone\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'initial');
    write(path.join(repo, 'a.txt'), 'one staged\n');
    write(path.join(repo, 'c.txt'), 'three staged\n');
    git(repo, 'add', 'a.txt', 'c.txt');
    // A staged deletion: its working diff is the staged one again, which is left out.
    git(repo, 'rm', '-q', 'e.txt');
    write(path.join(repo, 'b.txt'), 'two working\n');
    write(path.join(repo, 'c.txt'), 'three staged and working\n');
    write(path.join(repo, 'd.txt'), 'new\n');
    write(
      path.join(fixture.dataDir, 'ai-endpoint.json'),
      JSON.stringify({ url: ai.baseUrl, model: MODEL, apiKey: API_KEY, timeoutMs: TIMEOUT_MS }, null, 2),
    );
    return { roots: [root] };
  },
  async close() {
    await ai?.close();
    ai = undefined;
    starting = undefined;
  },
};

type Args = Record<string, unknown>;
type Call = (command: CommandName, args: Args) => Promise<Outcome>;

/** Change the AI setting, run one call, put the setting back; the call's outcome is the case's. */
function withEndpoint(changes: Args, command: CommandName, args: Args): (call: Call) => Promise<Outcome> {
  return async (call) => {
    const changed = await call('save_ai_endpoint', changes);
    if (!('ok' in changed)) return changed;
    try {
      return await call(command, args);
    } finally {
      await call('save_ai_endpoint', { url: aiServer().baseUrl, model: MODEL, apiKey: API_KEY, timeoutMs: TIMEOUT_MS });
    }
  };
}

/** A 5xx/502 whose message is the contract's and whose detail explains it. */
function explained(status: number, message: string, detail: string | RegExp) {
  return (outcome: Outcome) => {
    expectError(status, message)(outcome);
    const error = (outcome as { error: { detail?: string } }).error;
    if (typeof detail === 'string') expect(error.detail).toBe(detail);
    else expect(error.detail).toMatch(detail);
  };
}

/** A 500 whose message is the explanation itself (the reference passed a low-level text). */
function explainedOnly(detail: string | RegExp) {
  return (outcome: Outcome) => {
    expect(outcome).toHaveProperty('error');
    const error = (outcome as { error: { status: number; message: string; detail?: string } }).error;
    expect(error.status).toBe(500);
    expect(error.detail).toBe(error.message);
    if (typeof detail === 'string') expect(error.message).toBe(detail);
    else expect(error.message).toMatch(detail);
  };
}

const preview = (outcome: Outcome) => ok<RefinePreview>(outcome);
const sectionHeaders = (text: string) => text.match(/^### .+$/gm) ?? [];

const configCases: ParityCase[] = [
  {
    name: 'load_prompt_enhancer_config answers the six default groups when nothing is stored',
    command: 'load_prompt_enhancer_config',
    args: {},
    expect: (o) => {
      const config = ok<PromptEnhancerConfig>(o);
      expect(config.version).toBe(1);
      expect(config.groupOrder).toEqual([
        'implementationmode',
        'scope',
        'testing',
        'runtimeaccess',
        'documentation',
        'surfaceareas',
      ]);
      expect(config.groups.testing?.summaryHeading).toBe('Tests');
    },
  },
  {
    name: 'save_prompt_enhancer_config sanitises and stores; load answers it',
    command: 'save_prompt_enhancer_config',
    args: {},
    run: async (call) => {
      const saved = await call('save_prompt_enhancer_config', {
        payload: {
          version: 2,
          groupOrder: [' Tone! '],
          groups: { tone: { label: ' Tone ', options: [{ id: 'Dry', instruction: ' Write dryly. ' }] } },
        },
      });
      if (!('ok' in saved)) return saved;
      const loaded = await call('load_prompt_enhancer_config', {});
      expect(loaded).toEqual(saved);
      return loaded;
    },
    expect: (o) => {
      const config = ok<PromptEnhancerConfig>(o);
      expect(config.version).toBe(2);
      // ' Tone! ' sanitises to 'tone-': a second, generated group, first in order (the reference's rule).
      expect(config.groupOrder[0]).toBe('tone-');
      expect(config.groupOrder.at(-1)).toBe('tone');
      expect(config.groups['tone-']?.options.map((option) => option.id)).toEqual(['default']);
      expect(config.groups.tone?.label).toBe('Tone');
      expect(config.groups.tone?.options.map((option) => option.id)).toEqual(['default', 'dry']);
    },
  },
  {
    // An array, because over HTTP a top-level string or number is refused while parsing the body.
    name: 'save_prompt_enhancer_config with an array payload stores the defaults (arrays have no groups)',
    command: 'save_prompt_enhancer_config',
    args: { payload: [1, 2] },
    expect: (o) => expect(Object.keys(ok<PromptEnhancerConfig>(o).groups)).toHaveLength(6),
  },
  {
    name: 'save_prompt_enhancer_config without a payload stores the defaults',
    command: 'save_prompt_enhancer_config',
    args: {},
    expect: (o) => expect(ok<PromptEnhancerConfig>(o).groupOrder).toHaveLength(6),
  },
];

const previewCases: ParityCase[] = [
  {
    name: "preview_prompt_refinement without a directory reads OpenCode's directory",
    command: 'preview_prompt_refinement',
    args: {},
    // Other cases move OpenCode's directory: name the one this case expects first.
    run: async (call) => {
      const moved = await call('set_opencode_directory', { path: CTX });
      if (!('ok' in moved)) return moved;
      return call('preview_prompt_refinement', { prompt: 'Add a button' });
    },
    expect: (o) => {
      const p = preview(o);
      expect(p.agentsContext).toBe('### AGENTS.md\n\n# Agents\n\nUse tabs.');
      expect(p.userContent).toContain(`## Project Context\n\n${p.agentsContext}\n\n### README.md`);
      expect(p.userContent).toContain('## Raw Request\n\nAdd a button');
      expect(p.messages.map((m) => m.role)).toEqual(['system', 'user']);
    },
  },
  {
    name: 'preview_prompt_refinement reads AGENTS.md and README.md, trimmed, as blocks',
    command: 'preview_prompt_refinement',
    args: { prompt: ' Fix the bug ', workspaceDirectory: CTX, selections: { single: { testing: 'required' } } },
    expect: (o) => {
      const p = preview(o);
      expect(p.agentsContext).toBe('### AGENTS.md\n\n# Agents\n\nUse tabs.');
      expect(p.readmeContext).toBe('### README.md\n\n# Demo\n\nA demo project.');
      expect(p.rawPrompt).toBe('Fix the bug');
      expect(p.summaryEntries).toContain('Tests: Tests required');
      expect(p.userContent.indexOf('### AGENTS.md')).toBeLessThan(p.userContent.indexOf('### README.md'));
    },
  },
  {
    name: 'preview_prompt_refinement leaves out the files whose flag is off',
    command: 'preview_prompt_refinement',
    args: { prompt: 'x', workspaceDirectory: CTX, includeAgentsContext: 'false', includeReadmeContext: false },
    expect: (o) => {
      const p = preview(o);
      expect([p.agentsContext, p.readmeContext, p.includeProjectContext]).toEqual(['', '', false]);
      expect(p.userContent).not.toContain('## Project Context');
    },
  },
  {
    name: 'preview_prompt_refinement includes the staged and working diff of every changed file when asked',
    command: 'preview_prompt_refinement',
    args: { prompt: 'Review', workspaceDirectory: REPO_DIR, includeRepositoryDiff: 'true' },
    expect: (o) => {
      const p = preview(o);
      expect(p.includeRepositoryDiff).toBe(true);
      expect(sectionHeaders(p.repositoryDiff)).toEqual([
        '### a.txt (staged)',
        '### b.txt (working)',
        '### c.txt (staged)',
        '### c.txt (working)',
        '### e.txt (staged)',
        '### d.txt (working)',
      ]);
      expect(p.repositoryDiff).toContain('### a.txt (staged)\ndiff --git a/a.txt b/a.txt');
      expect(p.repositoryDiff).toContain('+three staged and working');
      expect(p.userContent).toContain(`## Repository Diff\n\n${p.repositoryDiff}\n\n## Raw Request`);
    },
  },
  {
    name: 'preview_prompt_refinement has no diff unless asked',
    command: 'preview_prompt_refinement',
    args: { prompt: 'Review', workspaceDirectory: REPO_DIR },
    expect: (o) => expect(preview(o).repositoryDiff).toBe(''),
  },
  {
    name: 'preview_prompt_refinement cuts a README block at 12 000 characters plus "\\n..."',
    command: 'preview_prompt_refinement',
    args: { prompt: 'x', workspaceDirectory: BIG },
    expect: (o) => {
      const readme = preview(o).readmeContext;
      expect(readme).toHaveLength(12_004);
      expect(readme.startsWith('### README.md\n\nrrr')).toBe(true);
      expect(readme.endsWith('r\n...')).toBe(true);
    },
  },
  {
    name: 'preview_prompt_refinement of a missing directory has no project context',
    command: 'preview_prompt_refinement',
    args: { prompt: 'x', workspaceDirectory: MISSING, includeRepositoryDiff: true },
    expect: (o) =>
      expect([preview(o).agentsContext, preview(o).readmeContext, preview(o).repositoryDiff]).toEqual(['', '', '']),
  },
  {
    name: 'preview_prompt_refinement reads a directory outside the sandbox only when it is open (the reference: any)',
    command: 'preview_prompt_refinement',
    args: { prompt: 'x', workspaceDirectory: OUTSIDE },
    expect: (o, mode) =>
      restricted(mode) ? expectError(403, 'Access to directory denied')(o) : expect(preview(o).readmeContext).toBe(''),
  },
  {
    name: 'preview_prompt_refinement reads a named directory inside the sandbox',
    command: 'preview_prompt_refinement',
    args: { prompt: 'x', workspaceDirectory: WORK },
    expect: (o) => expect(preview(o).readmeContext).toBe('### README.md\n\n# fixture'),
  },
  {
    name: 'preview_prompt_refinement needs a prompt',
    command: 'preview_prompt_refinement',
    args: { prompt: '   ', workspaceDirectory: CTX },
    expect: expectError(400, 'prompt is required'),
  },
  {
    name: 'preview_prompt_refinement with a prompt that is no string: prompt is required',
    command: 'preview_prompt_refinement',
    args: { prompt: { text: 'x' } },
    expect: expectError(400, 'prompt is required'),
  },
  {
    name: 'preview_prompt_refinement refuses a directory with a NUL byte',
    command: 'preview_prompt_refinement',
    args: { prompt: 'x', workspaceDirectory: 'a\u0000b' },
    expect: expectError(400, 'workspaceDirectory must not contain NUL bytes'),
  },
];

const refine = (prompt: string): Args => ({ prompt, workspaceDirectory: CTX });
const refined = (raw: string) => (o: Outcome) =>
  expect(ok(o)).toEqual({
    prompt: `Refined: ${raw}`,
    rationale: ['Names the files to touch', 'Adds a validation step'],
  });

const refineCases: ParityCase[] = [
  {
    name: 'refine_prompt answers the model’s prompt and rationale, trimmed and filtered',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('Add a dark mode'),
    expect: refined('Add a dark mode'),
  },
  {
    name: 'refine_prompt strips a ```json fence',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('Fence me [reply:fenced]'),
    expect: refined('Fence me [reply:fenced]'),
  },
  {
    name: 'refine_prompt when the endpoint answers 401 is 502 Failed to refine prompt, explained',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('x [reply:http-401]'),
    expect: (o) =>
      explained(
        502,
        'Failed to refine prompt',
        `Failed to refine prompt: ${chatUrl()} answered 401 Unauthorized: Invalid API key — check the endpoint, model and API key in ${SETTINGS}`,
      )(o),
  },
  {
    name: 'refine_prompt when the endpoint answers 500 is 502 Failed to refine prompt',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('x [reply:http-500]'),
    expect: (o) =>
      explained(
        502,
        'Failed to refine prompt',
        `Failed to refine prompt: ${chatUrl()} answered 500 Internal Server Error: upstream exploded — check the endpoint, model and API key in ${SETTINGS}`,
      )(o),
  },
  {
    name: 'refine_prompt when the endpoint answers something that is not JSON is a 500 that says so',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('x [reply:not-json]'),
    expect: (o) =>
      explainedOnly(
        `Failed to refine prompt: ${chatUrl()} answered with a body that is not JSON (<html><body>Welcome to nginx</body></html>) — is it an OpenAI-compatible chat-completions endpoint? Check the URL in ${SETTINGS}`,
      )(o),
  },
  {
    name: 'refine_prompt when the model answers prose is 502 Failed to parse refinement response',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('x [reply:prose]'),
    expect: explained(
      502,
      'Failed to parse refinement response',
      /^Failed to refine prompt: the model's answer is not the JSON object/,
    ),
  },
  {
    name: 'refine_prompt when the answer has no prompt is 502 Refinement response missing prompt',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('x [reply:no-prompt]'),
    expect: explained(502, 'Refinement response missing prompt', /has no "prompt" text/),
  },
  {
    name: 'refine_prompt when the answer is empty is 502 No prompt returned by generator',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('x [reply:empty]'),
    expect: (o) =>
      explained(
        502,
        'No prompt returned by generator',
        `Failed to refine prompt: model "${MODEL}" at ${chatUrl()} returned no text — check the model in ${SETTINGS}`,
      )(o),
  },
  {
    name: 'refine_prompt when the endpoint drops the connection is a 500 naming the endpoint',
    command: 'refine_prompt',
    needsNetwork: true,
    args: refine('x [reply:drop]'),
    expect: (o) =>
      explainedOnly(
        new RegExp(
          `^Failed to refine prompt: could not reach ${escape(chatUrl())} \\(.+\\) — set the AI endpoint in Settings → AI$`,
        ),
      )(o),
  },
  {
    name: 'refine_prompt when nothing listens on the endpoint says where to set it',
    command: 'refine_prompt',
    needsNetwork: true,
    args: {},
    run: (call) => withEndpoint({ url: `http://127.0.0.1:${closedPort}/v1` }, 'refine_prompt', refine('x'))(call),
    expect: (o) =>
      explainedOnly(
        `Failed to refine prompt: could not reach http://127.0.0.1:${closedPort}/v1/chat/completions (ECONNREFUSED) — set the AI endpoint in ${SETTINGS}`,
      )(o),
  },
  {
    name: 'refine_prompt gives up after the configured timeout',
    command: 'refine_prompt',
    needsNetwork: true,
    modes: ['open'],
    args: {},
    run: (call) => withEndpoint({ timeoutMs: 1_000 }, 'refine_prompt', refine('x [reply:hang]'))(call),
    expect: (o) =>
      explainedOnly(
        `Failed to refine prompt: ${chatUrl()} did not answer within 1 s — raise the timeout or choose another endpoint in ${SETTINGS}`,
      )(o),
  },
  {
    name: 'refine_prompt needs a prompt (before any file or network is touched)',
    command: 'refine_prompt',
    args: { prompt: '' },
    expect: expectError(400, 'prompt is required'),
  },
  {
    name: 'refine_prompt refuses a directory outside the sandbox when it is restricted',
    command: 'refine_prompt',
    modes: ['roots', 'settings'],
    args: { prompt: 'x', workspaceDirectory: OUTSIDE },
    expect: expectError(403, 'Access to directory denied'),
  },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const maskDuration = (outcome: Outcome): Outcome =>
  'ok' in outcome ? { ok: { ...(outcome.ok as AiEndpointTestResult), durationMs: 0 } } : outcome;

const aiCases: ParityCase[] = [
  {
    name: 'get_ai_endpoint answers the stored setting, the key masked, and where each value comes from',
    command: 'get_ai_endpoint',
    args: {},
    expect: (o) =>
      expect(ok<AiEndpointSettings>(o)).toEqual({
        url: aiServer().baseUrl,
        chatCompletionsUrl: chatUrl(),
        model: MODEL,
        apiKeySet: true,
        apiKeyHint: '••••6789',
        timeoutMs: TIMEOUT_MS,
        sources: { url: 'settings', model: 'settings', apiKey: 'settings', timeoutMs: 'settings' },
        variables: {},
        commitMessageOverrides: ['runtime options'],
        defaults: { url: 'https://opencode.ai/zen/v1/chat/completions', model: 'big-pickle', timeoutMs: 240_000 },
        settingsFile: '<BASE>/data/ai-endpoint.json',
      }),
  },
  {
    name: "save_ai_endpoint changes what is given, '' restores a default, and never answers the key",
    command: 'save_ai_endpoint',
    args: {},
    run: (call) => withEndpoint({ model: 'other-model', apiKey: '' }, 'get_ai_endpoint', {})(call),
    expect: (o) =>
      expect(ok<AiEndpointSettings>(o)).toMatchObject({
        model: 'other-model',
        apiKeySet: false,
        apiKeyHint: '',
        sources: { model: 'settings', apiKey: 'default' },
      }),
  },
  {
    name: 'save_ai_endpoint refuses a URL that is not http(s)',
    command: 'save_ai_endpoint',
    args: { url: 'ftp://models.test/v1' },
    expect: expectError(400, 'url must be an http:// or https:// URL'),
  },
  {
    name: 'save_ai_endpoint refuses a timeout below one second',
    command: 'save_ai_endpoint',
    args: { timeoutMs: 5 },
    expect: expectError(400, 'timeoutMs must be 0 (the default) or at least 1000'),
  },
  {
    name: 'save_ai_endpoint refuses a key with a line break',
    command: 'save_ai_endpoint',
    args: { apiKey: 'sk-1\nInjected: yes' },
    expect: expectError(400, 'apiKey must not contain control characters'),
  },
  {
    name: 'test_ai_endpoint sends one tiny completion and answers the reply',
    command: 'test_ai_endpoint',
    needsNetwork: true,
    args: {},
    mask: maskDuration,
    expect: (o) =>
      expect(ok<AiEndpointTestResult>(o)).toEqual({
        ok: true,
        chatCompletionsUrl: chatUrl(),
        model: MODEL,
        reply: 'OK',
        durationMs: 0,
      }),
  },
  {
    name: 'test_ai_endpoint tries the given values without saving them: a 401 is 502, explained',
    command: 'test_ai_endpoint',
    needsNetwork: true,
    args: {},
    prepare: async (_context, args) => ({ ...args, url: `${aiServer().baseUrl}/status/401`, model: 'tried' }),
    expect: (o) =>
      explained(
        502,
        'AI endpoint test failed',
        `AI endpoint test failed: ${aiServer().baseUrl}/status/401/chat/completions answered 401 Unauthorized: Forced status 401 — check the endpoint, model and API key in ${SETTINGS}`,
      )(o),
  },
];

export const promptCases: ParityCase[] = [...configCases, ...previewCases, ...refineCases, ...aiCases];
