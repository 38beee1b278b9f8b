/**
 * Refine and preview's request parsing, limits and assembly (settings-config-prompts.md §4.1,
 * §4.4, §4.5), as pure functions: the same request and context always give the same messages.
 */
import { RuntimeError, type PromptEnhancerGroup, type PromptStyle, type RefinePreview } from '@chamber/contract';
import { sanitizePromptEnhancerConfig } from './sanitize.js';
import {
  BASE_INSTRUCTIONS,
  DIFF_DIGEST_INSTRUCTION,
  NO_DESCRIPTION,
  NO_TOOL_ACCESS,
  NO_TOOLS_ENABLED,
  PROJECT_CONTEXT_INSTRUCTION,
  REPOSITORY_DIFF_INSTRUCTION,
  REQUIREMENTS_INTRO,
  TARGET_AGENT_GUIDANCE,
  buildSystemPrompt,
  targetAgentInstructions,
} from './templates.js';

/** §4.4, in UTF-16 code units. */
export const LIMITS = {
  prompt: 5_000,
  contextSummary: 4_000,
  diffDigest: 6_000,
  agentsContext: 12_000,
  readmeContext: 12_000,
  repositoryDiff: 20_000,
  targetAgentContext: 4_000,
  additionalConstraints: 12,
} as const;

/** Longer than `limit`: the first `limit` characters, a newline and three periods. */
export function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}\n...` : text;
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const trimmedString = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
const own = (record: Loose, key: string) => Object.prototype.hasOwnProperty.call(record, key);

/** The refine request's members as they arrive (any JSON). */
export interface RawRefineRequest {
  prompt?: unknown;
  selections?: unknown;
  configuration?: unknown;
  additionalConstraints?: unknown;
  contextSummary?: unknown;
  diffDigest?: unknown;
  includeAgentsContext?: unknown;
  includeReadmeContext?: unknown;
  includeRepositoryDiff?: unknown;
  workspaceDirectory?: unknown;
  promptStyle?: unknown;
  targetAgent?: unknown;
}

export interface RefineFlags {
  includeAgentsContext: boolean;
  includeReadmeContext: boolean;
  includeProjectContext: boolean;
  includeRepositoryDiff: boolean;
}

/** A boolean as is; `"false"` → false; anything else (missing, null, 0, "no") → true. */
function onUnlessFalse(value: unknown): boolean {
  return typeof value === 'boolean' ? value : value !== 'false';
}

export function parseFlags(request: RawRefineRequest): RefineFlags {
  const includeAgentsContext = onUnlessFalse(request.includeAgentsContext);
  const includeReadmeContext = onUnlessFalse(request.includeReadmeContext);
  const includeRepositoryDiff =
    typeof request.includeRepositoryDiff === 'boolean'
      ? request.includeRepositoryDiff
      : request.includeRepositoryDiff === 'true';
  return {
    includeAgentsContext,
    includeReadmeContext,
    // From the flags, not from whether a file was found (a reference quirk kept: same messages).
    includeProjectContext: includeAgentsContext || includeReadmeContext,
    includeRepositoryDiff,
  };
}

/** The trimmed prompt, or 400 `prompt is required`. */
export function requirePrompt(request: RawRefineRequest): string {
  const prompt = trimmedString(request.prompt);
  if (!prompt) throw new RuntimeError(400, 'prompt is required');
  return prompt;
}

interface TargetAgent {
  name: string;
  description: string;
  tools: string[];
}

function parseTargetAgent(value: unknown): TargetAgent | undefined {
  if (!isObject(value)) return undefined;
  const name = trimmedString(value.name);
  if (!name) return undefined;
  const tools = Array.isArray(value.tools) ? value.tools.map(trimmedString).filter(Boolean) : [];
  return { name, description: trimmedString(value.description), tools: [...new Set(tools)] };
}

function parseStyle(value: unknown): PromptStyle {
  return value === 'concise' || value === 'detailed' ? value : 'balanced';
}

/** What was read from the workspace: whole blocks and diff (cut here, when assembled). */
export interface RefineContext {
  /** `### AGENTS.md\n\n<content>`, or '' when missing or empty. */
  agentsContext: string;
  readmeContext: string;
  repositoryDiff: string;
}

function selectSingle(group: PromptEnhancerGroup, selected: unknown) {
  const id = trimmedString(selected);
  return (
    group.options.find((option) => option.id === id) ??
    group.options.find((option) => option.id === group.defaultOptionId) ??
    group.options[0]
  );
}

function selectMultiple(group: PromptEnhancerGroup, selected: unknown) {
  if (!Array.isArray(selected)) return [];
  const ids = [...new Set(selected.map(trimmedString).filter(Boolean))];
  return ids.flatMap((id) => group.options.filter((option) => option.id === id).slice(0, 1));
}

/** Everything refine sends and preview answers (§4.5, §4.7). Throws 400 for a missing prompt. */
export function buildRefinePayload(request: RawRefineRequest, context: RefineContext): RefinePreview {
  const flags = parseFlags(request);
  const rawPrompt = truncate(requirePrompt(request), LIMITS.prompt);
  const config = sanitizePromptEnhancerConfig(request.configuration);
  const selections = isObject(request.selections) ? request.selections : {};
  const single = isObject(selections.single) ? selections.single : {};
  const multi = isObject(selections.multi) ? selections.multi : {};
  const additionalConstraints = (Array.isArray(request.additionalConstraints) ? request.additionalConstraints : [])
    .map(trimmedString)
    .filter(Boolean)
    .slice(0, LIMITS.additionalConstraints);
  const contextSummary = truncate(trimmedString(request.contextSummary), LIMITS.contextSummary);
  const diffDigest = truncate(trimmedString(request.diffDigest), LIMITS.diffDigest);
  const targetAgent = parseTargetAgent(request.targetAgent);
  const promptStyle = parseStyle(request.promptStyle);

  // An insertion-ordered set: an exact duplicate appears once, where it first came.
  const instructions = new Set<string>(BASE_INSTRUCTIONS);
  if (flags.includeProjectContext) instructions.add(PROJECT_CONTEXT_INSTRUCTION);
  if (flags.includeRepositoryDiff) instructions.add(REPOSITORY_DIFF_INSTRUCTION);
  if (targetAgent) {
    const description = targetAgent.description || NO_DESCRIPTION;
    const tools = targetAgent.tools.length > 0 ? targetAgent.tools.join(', ') : NO_TOOL_ACCESS;
    for (const line of targetAgentInstructions(targetAgent.name, description, tools)) instructions.add(line);
  }

  const summaryEntries: string[] = targetAgent ? [`Target agent: ${targetAgent.name}`] : [];
  for (const groupId of config.groupOrder) {
    const group = config.groups[groupId];
    if (!group) continue;
    if (group.multiSelect) {
      const chosen = selectMultiple(group, own(multi, groupId) ? multi[groupId] : undefined);
      for (const option of chosen) if (option.instruction) instructions.add(option.instruction);
      const value = chosen.length > 0 ? chosen.map((option) => option.summaryLabel).join(', ') : 'Not specified';
      summaryEntries.push(`${group.summaryHeading}: ${value}`);
    } else {
      const option = selectSingle(group, own(single, groupId) ? single[groupId] : undefined);
      if (!option) continue;
      if (option.instruction) instructions.add(option.instruction);
      summaryEntries.push(`${group.summaryHeading}: ${option.summaryLabel}`);
    }
  }
  if (diffDigest) instructions.add(DIFF_DIGEST_INSTRUCTION);
  for (const constraint of additionalConstraints) instructions.add(constraint);

  const instructionList = [...instructions];
  const summaryBlock = summaryEntries.join('\n');
  const agentsContext = flags.includeAgentsContext ? truncate(context.agentsContext, LIMITS.agentsContext) : '';
  const readmeContext = flags.includeReadmeContext ? truncate(context.readmeContext, LIMITS.readmeContext) : '';
  const repositoryDiff = flags.includeRepositoryDiff ? truncate(context.repositoryDiff, LIMITS.repositoryDiff) : '';
  const targetAgentContext = targetAgent
    ? truncate(
        [
          `Name: ${targetAgent.name}`,
          `Mission focus: ${targetAgent.description || NO_DESCRIPTION}`,
          `Enabled tools / capabilities: ${targetAgent.tools.length > 0 ? targetAgent.tools.join(', ') : NO_TOOLS_ENABLED}`,
          TARGET_AGENT_GUIDANCE,
        ].join('\n'),
        LIMITS.targetAgentContext,
      )
    : '';

  const projectContext = [agentsContext, readmeContext].filter(Boolean).join('\n\n');
  const leading = [
    ...(targetAgentContext ? ['## Target Agent', targetAgentContext] : []),
    ...(projectContext ? ['## Project Context', projectContext] : []),
    ...(repositoryDiff ? ['## Repository Diff', repositoryDiff] : []),
  ];
  const core = [
    '## Raw Request',
    rawPrompt,
    '## Execution Parameters',
    summaryBlock,
    '## Requirements to Integrate',
    REQUIREMENTS_INTRO,
    instructionList.map((line) => `- ${line}`).join('\n'),
    ...(additionalConstraints.length > 0
      ? ['## Extra Constraints', additionalConstraints.map((line) => `- ${line}`).join('\n')]
      : []),
    ...(contextSummary ? ['## Additional Context', contextSummary] : []),
    ...(diffDigest ? ['## Diff Digest', diffDigest] : []),
  ];
  const userContent = [...leading, ...core].join('\n\n');
  const systemPrompt = buildSystemPrompt({
    promptStyle,
    includeProjectContext: flags.includeProjectContext,
    includeRepositoryDiff: flags.includeRepositoryDiff,
  });

  return {
    systemPrompt,
    userContent,
    messages: [
      { role: 'system', content: systemPrompt },
      { role: 'user', content: userContent },
    ],
    summaryEntries,
    summaryBlock,
    instructions: instructionList,
    additionalConstraints,
    contextSummary,
    diffDigest,
    rawPrompt,
    agentsContext,
    readmeContext,
    repositoryDiff,
    userPromptPreview: core.join('\n\n'),
    targetAgentContext,
    ...(targetAgent ? { targetAgentName: targetAgent.name } : {}),
    ...flags,
  };
}
