/**
 * OpenCode's own configuration: agents and commands (markdown files and `opencode.json`
 * sections), the reload that restarts OpenCode, and the models metadata
 * (settings-config-prompts.md §5, §6).
 */
import type { ConfigMutationResponse, ConfigSourcesResponse, ModelsMetadataResponse } from './opencode-config-types.js';
import { RuntimeError } from '../errors.js';
import { jsonObject, object, optional, type Schema } from '../schema.js';
import { defineCommand } from './define.js';

/** Longest agent or command name accepted (it becomes a file name and a JSON key). */
export const CONFIG_ENTRY_NAME_MAX_LENGTH = 100;

export type ConfigEntryKind = 'agent' | 'command';

/**
 * Why `name` cannot name an agent or command, or undefined when it can. The name becomes
 * `<config dir>/<kind>/<name>.md`: the reference took it verbatim from the URL, so `..%2F` read,
 * wrote and deleted files anywhere. A name is one plain file name that is never hidden.
 */
export function configEntryNameProblem(name: unknown): string | undefined {
  if (name === undefined || name === null || name === '') return 'must not be empty';
  if (typeof name !== 'string') return 'must be a string';
  if (name.length > CONFIG_ENTRY_NAME_MAX_LENGTH) return `must be at most ${CONFIG_ENTRY_NAME_MAX_LENGTH} characters`;
  if (name.includes('/') || name.includes('\\')) return 'must not contain "/" or "\\"';
  if (name.includes('\0')) return 'must not contain NUL characters';
  if (name.includes('..')) return 'must not contain ".."';
  if (name.startsWith('.')) return 'must not start with "."';
  return undefined;
}

/** The `:name` of an agent or command route; refused with `Invalid <kind> name: <why>`. */
export function configEntryName(kind: ConfigEntryKind): Schema<string> {
  return {
    optional: false,
    description: `${kind} name`,
    parse(value) {
      const problem = configEntryNameProblem(value);
      if (problem !== undefined) throw new RuntimeError(400, `Invalid ${kind} name: ${problem}`);
      return value as string;
    },
  };
}

const nameParam = { name: { from: 'param', name: 'name' } } as const;
const nameAndBody = { name: { from: 'param', name: 'name' }, config: { from: 'body-whole' } } as const;

const agentName = object({ name: configEntryName('agent') });
// `config` is optional in the schema so a missing body reaches the handler, which answers a
// 400 naming what is missing (the reference crashed with a TypeError text).
const agentNameAndConfig = object({ name: configEntryName('agent'), config: optional(jsonObject()) });
const commandName = object({ name: configEntryName('command') });
const commandNameAndConfig = object({ name: configEntryName('command'), config: optional(jsonObject()) });

export const opencodeConfigCommands = {
  get_agent_config: defineCommand<ConfigSourcesResponse>()({
    description: "Where an agent is defined (its markdown file, its opencode.json section) and each source's fields.",
    args: agentName,
    http: { method: 'GET', path: '/api/config/agents/:name', args: nameParam },
    fallbackError: 'Failed to get agent configuration metadata',
  }),
  create_agent: defineCommand<ConfigMutationResponse>()({
    description:
      'Write agent/<name>.md (prompt as the body, every other field in the front matter), then restart OpenCode.',
    args: agentNameAndConfig,
    http: { method: 'POST', path: '/api/config/agents/:name', args: nameAndBody },
    fallbackError: 'Failed to create agent',
  }),
  update_agent: defineCommand<ConfigMutationResponse>()({
    description:
      'Write each given field where the agent already defines it (markdown or opencode.json), then restart OpenCode.',
    args: agentNameAndConfig,
    http: { method: 'PATCH', path: '/api/config/agents/:name', args: nameAndBody },
    fallbackError: 'Failed to update agent',
  }),
  delete_agent: defineCommand<ConfigMutationResponse>()({
    description: 'Remove the agent from both sources (or disable a built-in one), then restart OpenCode.',
    args: agentName,
    http: { method: 'DELETE', path: '/api/config/agents/:name', args: nameParam },
    fallbackError: 'Failed to delete agent',
  }),
  get_command_config: defineCommand<ConfigSourcesResponse>()({
    description: "Where a command is defined (its markdown file, its opencode.json section) and each source's fields.",
    args: commandName,
    http: { method: 'GET', path: '/api/config/commands/:name', args: nameParam },
    fallbackError: 'Failed to get command configuration metadata',
  }),
  create_command: defineCommand<ConfigMutationResponse>()({
    description:
      'Write command/<name>.md (template as the body, every other field in the front matter), then restart OpenCode.',
    args: commandNameAndConfig,
    http: { method: 'POST', path: '/api/config/commands/:name', args: nameAndBody },
    fallbackError: 'Failed to create command',
  }),
  update_command: defineCommand<ConfigMutationResponse>()({
    description:
      'Write each given field where the command already defines it (markdown or opencode.json), then restart OpenCode.',
    args: commandNameAndConfig,
    http: { method: 'PATCH', path: '/api/config/commands/:name', args: nameAndBody },
    fallbackError: 'Failed to update command',
  }),
  delete_command: defineCommand<ConfigMutationResponse>()({
    description: 'Remove the command from both sources, then restart OpenCode.',
    args: commandName,
    http: { method: 'DELETE', path: '/api/config/commands/:name', args: nameParam },
    fallbackError: 'Failed to delete command',
  }),
  reload_opencode_config: defineCommand<ConfigMutationResponse>()({
    description: 'Restart OpenCode so it reads its configuration again.',
    args: object({}),
    http: { method: 'POST', path: '/api/config/reload', args: {} },
    fallbackError: 'Failed to reload configuration',
  }),
  get_models_metadata: defineCommand<ModelsMetadataResponse>()({
    description: "models.dev's model catalogue, cached (5 minutes in memory, the last good copy on disk).",
    args: object({}),
    http: { method: 'GET', path: '/api/openchamber/models-metadata', args: {} },
    fallbackError: 'Failed to retrieve model metadata',
  }),
} as const;
