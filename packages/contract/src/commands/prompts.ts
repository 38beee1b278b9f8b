/**
 * Prompt-enhancer commands (settings-config-prompts.md §3, §4; desktop-ipc.md §4.8). The config
 * commands carry the desktop reference's names (`load_/save_prompt_enhancer_config`, argument
 * `payload`); refine and preview had no desktop command, so their names are Chamber's.
 *
 * Arguments are taken as they come (`looseValue`): the reference parses every member loosely (a
 * wrong type counts as absent, a non-object config sanitises to the defaults), and the runtime
 * reproduces that parsing, so the schema must not refuse what the reference accepted.
 */
import type { PromptEnhancerConfig, RefinePreview, RefineResponse } from './prompts-types.js';
import { object, type Schema } from '../schema.js';
import { defineCommand, type HttpArgSource } from './define.js';

/** Any JSON value, or absent; checked member by member by the runtime. */
export function looseValue(): Schema<unknown> & { readonly optional: true } {
  return {
    optional: true,
    description: 'any',
    parse(value) {
      return value === null ? undefined : value;
    },
  };
}

const refineArgs = object({
  prompt: looseValue(),
  selections: looseValue(),
  configuration: looseValue(),
  additionalConstraints: looseValue(),
  contextSummary: looseValue(),
  diffDigest: looseValue(),
  includeAgentsContext: looseValue(),
  includeReadmeContext: looseValue(),
  includeRepositoryDiff: looseValue(),
  workspaceDirectory: looseValue(),
  promptStyle: looseValue(),
  targetAgent: looseValue(),
});

const fromBody = (name: string): HttpArgSource => ({ from: 'body', name });

/** Every member of the request body is an argument of the same name. */
const refineBinding = Object.fromEntries(Object.keys(refineArgs.shape).map((name) => [name, fromBody(name)])) as {
  [K in keyof typeof refineArgs.shape]: HttpArgSource;
};

export type PromptCommandName =
  'load_prompt_enhancer_config' | 'save_prompt_enhancer_config' | 'refine_prompt' | 'preview_prompt_refinement';

export const promptCommands = {
  load_prompt_enhancer_config: defineCommand<PromptEnhancerConfig>()({
    description:
      'The stored prompt-enhancer config, sanitised (and written back when sanitising changed it); the defaults when there is none.',
    args: object({}),
    http: { method: 'GET', path: '/api/config/prompt-enhancer', args: {} },
    fallbackError: 'Failed to load prompt enhancer config',
  }),
  save_prompt_enhancer_config: defineCommand<PromptEnhancerConfig>()({
    description: 'Sanitise a prompt-enhancer config and write it atomically (replacing, not merging).',
    args: object({ payload: looseValue() }),
    http: { method: 'PUT', path: '/api/config/prompt-enhancer', args: { payload: { from: 'body-whole' } } },
    fallbackError: 'Failed to save prompt enhancer config',
  }),
  refine_prompt: defineCommand<RefineResponse>()({
    description:
      "Refine a prompt with the AI endpoint: the request's options, the workspace's AGENTS.md/README.md and optionally its diff.",
    args: refineArgs,
    http: { method: 'POST', path: '/api/prompts/refine', args: refineBinding },
    fallbackError: 'Failed to refine prompt',
  }),
  preview_prompt_refinement: defineCommand<RefinePreview>()({
    description: 'Everything refine_prompt would send to the model (system prompt, user message, parts), sent nowhere.',
    args: refineArgs,
    http: { method: 'POST', path: '/api/prompts/refine/preview', args: refineBinding },
    fallbackError: 'Failed to build prompt preview',
  }),
} as const;
