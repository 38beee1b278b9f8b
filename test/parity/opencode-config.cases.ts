/**
 * Parity cases of OpenCode's config commands (agents, commands, reload) and the models metadata,
 * and the fixture hook that points every runtime at a loopback models.dev and pins OpenCode's
 * config dir inside the fixture home. The parity runtimes do not supervise OpenCode, so each
 * refresh resolves at once. Cases build on each other: their order matters.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandName, ConfigSourcesResponse } from '@chamber/contract';
import { expect } from 'vitest';
import { HOME, expectError, ok, type FixtureHook, type Outcome, type ParityCase } from './case.js';

const CONFIG_DIR = `${HOME}/.config/opencode`;
const CONFIG_FILE = `${CONFIG_DIR}/opencode.json`;

export const MODELS_CATALOGUE = {
  anthropic: {
    id: 'anthropic',
    models: { 'claude-test': { id: 'claude-test', name: 'Claude Test', tool_call: true, limit: { context: 200000 } } },
  },
  openai: { id: 'openai', models: { 'gpt-test': { id: 'gpt-test', reasoning: true } } },
};

interface ModelsServer {
  url: string;
  close(): Promise<void>;
}

let modelsServer: ModelsServer | undefined;

async function startModelsServer(): Promise<ModelsServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(MODELS_CATALOGUE));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api.json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const opencodeConfigFixtureHook: FixtureHook = {
  async prepare() {
    modelsServer ??= await startModelsServer();
    return {
      runtime: {
        env: {
          CHAMBER_MODELS_METADATA_URL: modelsServer.url,
          // Blank: every side finds the config dir in the fixture home whatever the test's own
          // environment says (the desktop sides inherit it). A path here would also reach the
          // desktop side's browser, which writes its own config there.
          XDG_CONFIG_HOME: '',
        },
      },
    };
  },
  async close() {
    await modelsServer?.close();
    modelsServer = undefined;
  },
};

const mutation = (message: string) => (outcome: Outcome) =>
  expect(ok(outcome)).toEqual({ success: true, requiresReload: true, message, reloadDelayMs: 800 });

function sources(
  name: string,
  md: ConfigSourcesResponse['sources']['md'],
  json: Omit<ConfigSourcesResponse['sources']['json'], 'path'>,
) {
  return (outcome: Outcome) =>
    expect(ok(outcome)).toEqual({
      name,
      sources: { md, json: { ...json, path: CONFIG_FILE } },
      isBuiltIn: !md.exists && !json.exists,
    });
}

const noMarkdown = { exists: false, path: null, fields: [] };
const noJson = { exists: false, fields: [] };

type Args = Record<string, unknown>;
type Call = (command: CommandName, args: Args) => Promise<Outcome>;

/** Two calls as one case: the first prepares, the second's outcome is the case's. */
function thenCall(first: [CommandName, Args], second: [CommandName, Args]): (call: Call) => Promise<Outcome> {
  return async (call) => {
    const prepared = await call(...first);
    if (!('ok' in prepared)) return prepared;
    return call(...second);
  };
}

const agentCases: ParityCase[] = [
  {
    name: 'get_agent_config reports an agent defined nowhere as built-in, naming opencode.json',
    command: 'get_agent_config',
    args: { name: 'reviewer' },
    expect: sources('reviewer', noMarkdown, noJson),
  },
  {
    name: 'create_agent writes agent/<name>.md',
    command: 'create_agent',
    args: { name: 'reviewer', config: { mode: 'subagent', description: 'Reviews code', prompt: 'Review the diff.' } },
    expect: mutation('Agent reviewer created successfully. Reloading interface\u2026'),
  },
  {
    name: "get_agent_config lists the markdown file's front matter, and the body as prompt",
    command: 'get_agent_config',
    args: { name: 'reviewer' },
    expect: sources(
      'reviewer',
      { exists: true, path: `${CONFIG_DIR}/agent/reviewer.md`, fields: ['mode', 'description', 'prompt'] },
      noJson,
    ),
  },
  {
    name: 'create_agent refuses an agent that exists as a markdown file',
    command: 'create_agent',
    args: { name: 'reviewer', config: { mode: 'primary' } },
    expect: expectError(500, 'Agent reviewer already exists as .md file'),
  },
  {
    name: 'update_agent writes new fields to the markdown file, the only source',
    command: 'update_agent',
    args: {},
    run: thenCall(
      ['update_agent', { name: 'reviewer', config: { temperature: 0.2, prompt: 'Review carefully.' } }],
      ['get_agent_config', { name: 'reviewer' }],
    ),
    expect: sources(
      'reviewer',
      {
        exists: true,
        path: `${CONFIG_DIR}/agent/reviewer.md`,
        fields: ['mode', 'description', 'temperature', 'prompt'],
      },
      noJson,
    ),
  },
  {
    name: 'update_agent answers the reference message',
    command: 'update_agent',
    args: { name: 'reviewer', config: { description: 'Reviews diffs' } },
    expect: mutation('Agent reviewer updated successfully. Reloading interface\u2026'),
  },
  {
    name: 'update_agent on a name defined nowhere creates its opencode.json section',
    command: 'update_agent',
    args: {},
    run: thenCall(
      ['update_agent', { name: 'planner', config: { model: 'test/model' } }],
      ['get_agent_config', { name: 'planner' }],
    ),
    expect: sources('planner', noMarkdown, { exists: true, fields: ['model'] }),
  },
  {
    name: 'create_agent refuses an agent defined in opencode.json',
    command: 'create_agent',
    args: { name: 'planner', config: {} },
    expect: expectError(500, 'Agent planner already exists in opencode.json'),
  },
  {
    name: 'update_agent writes the prompt into the file a {file:...} reference names',
    command: 'update_agent',
    args: {},
    run: thenCall(
      ['update_agent', { name: 'planner', config: { prompt: '{file:./prompts/planner.txt}' } }],
      ['update_agent', { name: 'planner', config: { prompt: 'Plan first.' } }],
    ),
    expect: mutation('Agent planner updated successfully. Reloading interface\u2026'),
  },
  {
    name: 'update_agent refuses a {file:...} reference outside the config dir',
    command: 'update_agent',
    args: {},
    run: thenCall(
      ['update_agent', { name: 'escaper', config: { prompt: '{file:../../outside.txt}' } }],
      ['update_agent', { name: 'escaper', config: { prompt: 'Overwrite it.' } }],
    ),
    expect: expectError(
      400,
      'Invalid prompt file reference for agent escaper: ../../outside.txt is outside the OpenCode config directory',
    ),
  },
  {
    name: 'update_agent refuses a blank {file:} reference with the reference message',
    command: 'update_agent',
    args: {},
    run: thenCall(
      ['update_agent', { name: 'blank', config: { prompt: '{file: }' } }],
      ['update_agent', { name: 'blank', config: { prompt: 'Text' } }],
    ),
    expect: expectError(500, 'Invalid prompt file reference for agent blank'),
  },
  {
    name: 'delete_agent removes the markdown file',
    command: 'delete_agent',
    args: {},
    run: thenCall(['delete_agent', { name: 'reviewer' }], ['get_agent_config', { name: 'reviewer' }]),
    expect: sources('reviewer', noMarkdown, noJson),
  },
  {
    name: 'delete_agent removes the opencode.json section and answers the reference message',
    command: 'delete_agent',
    args: { name: 'planner' },
    expect: mutation('Agent planner deleted successfully. Reloading interface\u2026'),
  },
  {
    name: 'delete_agent disables a built-in agent and succeeds (no wait for it to appear)',
    command: 'delete_agent',
    args: {},
    run: thenCall(['delete_agent', { name: 'build' }], ['get_agent_config', { name: 'build' }]),
    expect: sources('build', noMarkdown, { exists: true, fields: ['disable'] }),
  },
  {
    name: 'create_agent refuses a body that is not an object',
    command: 'create_agent',
    args: { name: 'x', config: ['mode'] },
    expect: expectError(400, 'config must be a JSON object, not an array'),
  },
];

const refusedNames: [CommandName, string, 'agent' | 'command', string][] = [
  ['get_agent_config', 'a/b', 'agent', 'must not contain "/" or "\\"'],
  ['delete_agent', '../../../escape', 'agent', 'must not contain "/" or "\\"'],
  ['create_agent', 'a\\b', 'agent', 'must not contain "/" or "\\"'],
  ['update_agent', 'a..b', 'agent', 'must not contain ".."'],
  ['get_agent_config', '.hidden', 'agent', 'must not start with "."'],
  ['get_agent_config', 'a\0b', 'agent', 'must not contain NUL characters'],
  ['get_command_config', 'x'.repeat(101), 'command', 'must be at most 100 characters'],
  ['create_command', '..\\x', 'command', 'must not contain "/" or "\\"'],
];

const nameCases = refusedNames.map(([command, name, kind, problem]): ParityCase => ({
  name: `${command} refuses the name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…` : name)}`,
  command,
  args: { name, config: {} },
  expect: expectError(400, `Invalid ${kind} name: ${problem}`),
}));

const commandCases: ParityCase[] = [
  {
    name: 'get_command_config reports a command defined nowhere as built-in',
    command: 'get_command_config',
    args: { name: 'test' },
    expect: sources('test', noMarkdown, noJson),
  },
  {
    name: 'create_command writes command/<name>.md',
    command: 'create_command',
    args: { name: 'test', config: { template: 'Run the tests.', description: 'Tests', agent: 'build' } },
    expect: mutation('Command test created successfully. Reloading interface\u2026'),
  },
  {
    name: "get_command_config lists the markdown file's front matter, and the body as template",
    command: 'get_command_config',
    args: { name: 'test' },
    expect: sources(
      'test',
      { exists: true, path: `${CONFIG_DIR}/command/test.md`, fields: ['description', 'agent', 'template'] },
      noJson,
    ),
  },
  {
    name: 'create_command refuses a command that exists as a markdown file',
    command: 'create_command',
    args: { name: 'test', config: {} },
    expect: expectError(500, 'Command test already exists as .md file'),
  },
  {
    name: 'update_command answers the reference message',
    command: 'update_command',
    args: { name: 'test', config: { subtask: true } },
    expect: mutation('Command test updated successfully. Reloading interface\u2026'),
  },
  {
    name: 'create_command refuses a command defined in opencode.json',
    command: 'create_command',
    args: {},
    run: thenCall(
      ['update_command', { name: 'lint', config: { template: 'Lint.' } }],
      ['create_command', { name: 'lint', config: {} }],
    ),
    expect: expectError(500, 'Command lint already exists in opencode.json'),
  },
  {
    name: 'update_command refuses a blank {file:} reference with the reference message',
    command: 'update_command',
    args: {},
    run: thenCall(
      ['update_command', { name: 'lint', config: { template: '{FILE:  }' } }],
      ['update_command', { name: 'lint', config: { template: 'Lint again.' } }],
    ),
    expect: expectError(500, 'Invalid template file reference for command lint'),
  },
  {
    name: 'delete_command removes the markdown file',
    command: 'delete_command',
    args: { name: 'test' },
    expect: mutation('Command test deleted successfully. Reloading interface\u2026'),
  },
  {
    name: 'delete_command removes the opencode.json section',
    command: 'delete_command',
    args: {},
    run: thenCall(['delete_command', { name: 'lint' }], ['get_command_config', { name: 'lint' }]),
    expect: sources('lint', noMarkdown, noJson),
  },
  {
    name: 'delete_command of a command defined nowhere is the reference 500',
    command: 'delete_command',
    args: { name: 'nope' },
    expect: expectError(500, 'Command "nope" not found'),
  },
];

const reloadAndModelsCases: ParityCase[] = [
  {
    name: 'reload_opencode_config answers the reference message',
    command: 'reload_opencode_config',
    args: {},
    expect: mutation('Configuration reloaded successfully. Refreshing interface\u2026'),
  },
  {
    name: 'get_models_metadata answers the upstream catalogue',
    command: 'get_models_metadata',
    args: {},
    needsNetwork: true,
    expect: (o) => expect(ok(o)).toEqual(MODELS_CATALOGUE),
  },
  {
    name: 'get_models_metadata answers the same catalogue from its cache',
    command: 'get_models_metadata',
    args: { ignored: true },
    needsNetwork: true,
    expect: (o) => expect(ok(o)).toEqual(MODELS_CATALOGUE),
  },
];

export const opencodeConfigCases: ParityCase[] = [
  ...agentCases,
  ...nameCases,
  ...commandCases,
  ...reloadAndModelsCases,
];
