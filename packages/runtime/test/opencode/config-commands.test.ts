import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CommandName } from '@chamber/contract';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Services } from '../../src/commands/context.js';
import { opencodeConfigCommands } from '../../src/commands/opencode-config.js';
import { dispatchCommand, type CommandHandlers } from '../../src/dispatch.js';
import { silentLogger } from '../../src/logger.js';
import type { OpenCodeController, OpenCodeRefreshOptions } from '../../src/opencode/types.js';

type Outcome = { ok: unknown } | { error: { status: number; message: string } };

let base: string;
let configDir: string;
let refreshes: (OpenCodeRefreshOptions | undefined)[];
let refreshFailure: Error | undefined;
let handlers: CommandHandlers;

function fakeController(): OpenCodeController {
  return {
    enabled: true,
    directory: '/',
    health: () => ({
      openCodePort: null,
      openCodeRunning: false,
      openCodeApiPrefix: '',
      openCodeApiPrefixDetected: false,
      isOpenCodeReady: false,
      lastOpenCodeError: null,
    }),
    async refreshAfterConfigChange(options) {
      refreshes.push(options);
      if (refreshFailure) throw refreshFailure;
    },
  };
}

beforeEach(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'chamber-opencode-config-')));
  configDir = path.join(base, 'config', 'opencode');
  refreshes = [];
  refreshFailure = undefined;
  const services = {
    opencodeConfigDir: configDir,
    dataDir: path.join(base, 'data'),
    env: { CHAMBER_MODELS_METADATA_URL: 'http://127.0.0.1:9/unused' },
    logger: silentLogger,
    opencode: fakeController(),
  } as unknown as Services;
  // Only this subsystem's handlers exist; dispatch looks up the one it is asked for.
  handlers = opencodeConfigCommands(services) as unknown as CommandHandlers;
});

afterEach(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

async function call(command: CommandName, args: Record<string, unknown>): Promise<Outcome> {
  try {
    return { ok: await dispatchCommand(handlers, command, args, { transport: 'internal' }) };
  } catch (error) {
    const { status, message } = error as { status: number; message: string };
    return { error: { status, message } };
  }
}

const file = (...parts: string[]) => path.join(configDir, ...parts);
const read = (...parts: string[]) => fs.readFile(file(...parts), 'utf8');
const readJson = async () => parseJsonc(await read('opencode.json')) as Record<string, unknown>;
const mutation = (message: string) => ({ ok: { success: true, requiresReload: true, message, reloadDelayMs: 800 } });
const failure = (status: number, message: string) => ({ error: { status, message } });

describe('agents', () => {
  it('create writes the markdown file and waits for the agent to appear', async () => {
    const outcome = await call('create_agent', {
      name: 'reviewer',
      config: { mode: 'subagent', prompt: 'Review the diff.', description: 'Reviews', tools: { bash: false } },
    });
    expect(outcome).toEqual(mutation('Agent reviewer created successfully. Reloading interface\u2026'));
    expect(await read('agent', 'reviewer.md')).toBe(
      '---\nmode: subagent\ndescription: Reviews\ntools:\n  bash: false\n---\n\nReview the diff.',
    );
    expect(refreshes).toEqual([{ agent: 'reviewer' }]);
    expect((await fs.readdir(configDir)).sort()).toEqual(['agent', 'command']);
  });

  it('get answers where an agent is defined and its fields', async () => {
    await call('create_agent', { name: 'reviewer', config: { mode: 'subagent', prompt: 'P' } });
    await call('update_agent', { name: 'reviewer', config: { temperature: 0.3 } });
    await fs.writeFile(file('opencode.json'), '{ "agent": { "reviewer": { "model": "a/b" } } }');
    expect(await call('get_agent_config', { name: 'reviewer' })).toEqual({
      ok: {
        name: 'reviewer',
        sources: {
          md: { exists: true, path: file('agent', 'reviewer.md'), fields: ['mode', 'temperature', 'prompt'] },
          json: { exists: true, path: file('opencode.json'), fields: ['model'] },
        },
        isBuiltIn: false,
      },
    });
    expect(await call('get_agent_config', { name: 'build' })).toEqual({
      ok: {
        name: 'build',
        sources: {
          md: { exists: false, path: null, fields: [] },
          json: { exists: false, path: file('opencode.json'), fields: [] },
        },
        isBuiltIn: true,
      },
    });
  });

  it('create refuses a name that exists as a file or in opencode.json', async () => {
    await call('create_agent', { name: 'a', config: {} });
    expect(await call('create_agent', { name: 'a', config: {} })).toEqual(
      failure(500, 'Agent a already exists as .md file'),
    );
    await fs.writeFile(file('opencode.json'), '{ "agent": { "b": { "mode": "all" } } }');
    expect(await call('create_agent', { name: 'b', config: {} })).toEqual(
      failure(500, 'Agent b already exists in opencode.json'),
    );
  });

  it('a missing body is a 400, not a TypeError', async () => {
    expect(await call('create_agent', { name: 'a' })).toEqual(
      failure(400, 'Agent configuration is required: send a JSON object body'),
    );
    expect(await call('update_command', { name: 'a' })).toEqual(
      failure(400, 'Command configuration is required: send a JSON object body'),
    );
    expect(await call('update_agent', { name: 'a', config: [] })).toEqual(
      failure(400, 'config must be a JSON object, not an array'),
    );
    expect(refreshes).toEqual([]);
  });

  it('update routes each field to the source that has it (§5.6)', async () => {
    await fs.mkdir(file('agent'), { recursive: true });
    await fs.writeFile(file('agent', 'both.md'), '---\nmode: subagent\n---\n\nOld prompt');
    await fs.writeFile(
      file('opencode.json'),
      '{\n  // mine\n  "agent": { "both": { "model": "a/b" }, "jsononly": { "prompt": "old" } }\n}\n',
    );
    await fs.writeFile(file('agent', 'mdonly.md'), 'Only a body');

    await call('update_agent', {
      name: 'both',
      config: { mode: 'primary', model: 'c/d', temperature: 0.5, prompt: 'New prompt', toString: 'data' },
    });
    await call('update_agent', { name: 'mdonly', config: { description: 'D', prompt: null } });
    await call('update_agent', { name: 'jsononly', config: { prompt: 42, disable: null } });
    await call('update_agent', { name: 'nowhere', config: { mode: 'all' } });

    expect(await read('agent', 'both.md')).toBe('---\nmode: primary\n---\n\nNew prompt');
    expect(await read('agent', 'mdonly.md')).toBe('---\ndescription: D\n---\n\n');
    const text = await read('opencode.json');
    expect(text).toContain('// mine');
    expect(await readJson()).toEqual({
      agent: {
        both: { model: 'c/d', temperature: 0.5, toString: 'data' },
        jsononly: { prompt: '42', disable: null },
        nowhere: { mode: 'all' },
      },
    });
    expect(refreshes).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('update writes the prompt into the file a {file:...} reference names', async () => {
    await fs.mkdir(file('prompts'), { recursive: true });
    await fs.writeFile(
      file('opencode.json'),
      '{ "agent": { "a": { "prompt": " {FILE:./prompts/a.txt} " }, "b": { "prompt": "{file:nested/b.txt}" } } }',
    );
    const before = await read('opencode.json');
    await call('update_agent', { name: 'a', config: { prompt: 'Prompt A' } });
    await call('update_agent', { name: 'b', config: { prompt: 'Prompt B' } });
    expect(await read('prompts', 'a.txt')).toBe('Prompt A');
    expect(await read('nested', 'b.txt')).toBe('Prompt B');
    expect(await read('opencode.json')).toBe(before);
  });

  it('update refuses a file reference outside the config dir and writes nothing', async () => {
    const outside = path.join(base, 'outside.txt');
    await fs.writeFile(outside, 'untouched');
    await fs.mkdir(configDir, { recursive: true });
    await fs.symlink(base, file('link-out'));
    for (const reference of [outside, '../../outside.txt', './link-out/outside.txt']) {
      await fs.writeFile(file('opencode.json'), JSON.stringify({ agent: { a: { prompt: `{file:${reference}}` } } }));
      const before = await read('opencode.json');
      expect(await call('update_agent', { name: 'a', config: { mode: 'all', prompt: 'pwned' } })).toEqual(
        failure(
          400,
          `Invalid prompt file reference for agent a: ${reference} is outside the OpenCode config directory`,
        ),
      );
      expect(await fs.readFile(outside, 'utf8')).toBe('untouched');
      expect(await read('opencode.json')).toBe(before);
    }
    expect(refreshes).toEqual([]);
  });

  it('update refuses a blank file reference with the reference message', async () => {
    await fs.mkdir(configDir, { recursive: true });
    await fs.writeFile(file('opencode.json'), '{ "command": { "c": { "template": "{file: }" } } }');
    expect(await call('update_command', { name: 'c', config: { template: 't' } })).toEqual(
      failure(500, 'Invalid template file reference for command c'),
    );
  });

  it('delete removes both sources, and disables an agent defined nowhere, without waiting for it', async () => {
    await call('create_agent', { name: 'a', config: { mode: 'all' } });
    await fs.writeFile(file('opencode.json'), '{\n  // keep\n  "agent": { "a": { "model": "x/y" }, "other": {} }\n}\n');
    refreshes = [];
    expect(await call('delete_agent', { name: 'a' })).toEqual(
      mutation('Agent a deleted successfully. Reloading interface\u2026'),
    );
    await expect(fs.stat(file('agent', 'a.md'))).rejects.toThrow();
    expect(await read('opencode.json')).toContain('// keep');
    expect(await readJson()).toEqual({ agent: { other: {} } });

    expect(await call('delete_agent', { name: 'build' })).toEqual(
      mutation('Agent build deleted successfully. Reloading interface\u2026'),
    );
    expect(await readJson()).toEqual({ agent: { other: {}, build: { disable: true } } });
    expect(refreshes).toEqual([undefined, undefined]);
  });

  it('the refresh failure is the 500 message, after the change was written', async () => {
    refreshFailure = new Error('Agent "a" not available after OpenCode restart');
    expect(await call('create_agent', { name: 'a', config: {} })).toEqual(
      failure(500, 'Agent "a" not available after OpenCode restart'),
    );
    expect(await read('agent', 'a.md')).toBe('---\n{}\n---\n\n');
    refreshFailure = new Error('');
    expect(await call('reload_opencode_config', {})).toEqual(failure(500, 'Failed to reload configuration'));
  });
});

describe('commands', () => {
  it('create, update, get and delete a command; no presence wait', async () => {
    expect(
      await call('create_command', { name: 'test', config: { template: 'Run $ARGUMENTS', description: 'Tests' } }),
    ).toEqual(mutation('Command test created successfully. Reloading interface\u2026'));
    await call('update_command', { name: 'test', config: { subtask: true, template: 'Run all' } });
    expect(await read('command', 'test.md')).toBe('---\ndescription: Tests\nsubtask: true\n---\n\nRun all');
    expect(await call('get_command_config', { name: 'test' })).toMatchObject({
      ok: { sources: { md: { exists: true, fields: ['description', 'subtask', 'template'] } }, isBuiltIn: false },
    });
    expect(await call('delete_command', { name: 'test' })).toEqual(
      mutation('Command test deleted successfully. Reloading interface\u2026'),
    );
    expect(refreshes).toEqual([undefined, undefined, undefined]);
  });

  it('delete of a command defined nowhere is the reference 500', async () => {
    expect(await call('delete_command', { name: 'nope' })).toEqual(failure(500, 'Command "nope" not found'));
    expect(refreshes).toEqual([]);
  });

  it('create refuses a command already in opencode.json', async () => {
    await fs.mkdir(configDir, { recursive: true });
    await fs.writeFile(file('opencode.json'), '{ "command": { "c": { "template": "t" } } }');
    expect(await call('create_command', { name: 'c', config: {} })).toEqual(
      failure(500, 'Command c already exists in opencode.json'),
    );
  });
});

describe('a corrupt config', () => {
  const CORRUPT = '{ "agent": { "a": { "mode": "all" }, // unfinished';

  beforeEach(async () => {
    await fs.mkdir(file('agent'), { recursive: true });
    await fs.writeFile(file('opencode.json'), CORRUPT);
    await fs.writeFile(file('agent', 'kept.md'), '---\nmode: all\n---\n\nKept');
  });

  it.each<[CommandName, Record<string, unknown>]>([
    ['create_agent', { name: 'new', config: { mode: 'all' } }],
    ['update_agent', { name: 'kept', config: { model: 'a/b' } }],
    ['update_agent', { name: 'a', config: { model: 'a/b' } }],
    ['delete_agent', { name: 'kept' }],
    ['delete_command', { name: 'x' }],
  ])('%s answers the read error and changes no file', async (command, args) => {
    expect(await call(command, args)).toEqual(failure(500, 'Failed to read OpenCode configuration'));
    expect(await read('opencode.json')).toBe(CORRUPT);
    expect(await read('agent', 'kept.md')).toBe('---\nmode: all\n---\n\nKept');
    expect((await fs.readdir(file('agent'))).sort()).toEqual(['kept.md']);
    expect((await fs.readdir(configDir)).filter((name) => name.startsWith('opencode'))).toEqual(['opencode.json']);
    expect(refreshes).toEqual([]);
  });

  it('get answers the reference fallback', async () => {
    expect(await call('get_agent_config', { name: 'kept' })).toEqual(
      failure(500, 'Failed to get agent configuration metadata'),
    );
    expect(await call('get_command_config', { name: 'x' })).toEqual(
      failure(500, 'Failed to get command configuration metadata'),
    );
  });
});

describe('a markdown file that does not parse', () => {
  it('fails the update with the reference message and the get with its fallback', async () => {
    await fs.mkdir(file('command'), { recursive: true });
    await fs.writeFile(file('command', 'bad.md'), '---\nkey: [unclosed\n---\nx');
    expect(await call('update_command', { name: 'bad', config: { agent: 'build' } })).toEqual(
      failure(500, 'Failed to parse agent markdown file'),
    );
    expect(await call('get_command_config', { name: 'bad' })).toEqual(
      failure(500, 'Failed to get command configuration metadata'),
    );
  });
});

describe('reload', () => {
  it('restarts OpenCode without a presence check', async () => {
    expect(await call('reload_opencode_config', {})).toEqual(
      mutation('Configuration reloaded successfully. Refreshing interface\u2026'),
    );
    expect(refreshes).toEqual([undefined]);
  });
});
