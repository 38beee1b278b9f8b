/**
 * The fixed sentences of a refinement request (settings-config-prompts.md §4.5). Their places,
 * order and the conditions that add them are the reference's; the wording is Chamber's own, written
 * to say what the contract describes (the reference's exact text is not part of the contract),
 * so a preview differs from the reference's only in these sentences.
 */
import type { PromptStyle } from '@chamber/contract';

/** Instruction list, items 1: always first. */
export const BASE_INSTRUCTIONS = [
  'Work through the task in one self-contained pass: no conversational filler and no requests for confirmation.',
  'Begin with a short execution plan before changing anything.',
  'Finish by calling out risks, open questions and hand-off notes for whoever continues the work.',
] as const;

/** Item 2: a context flag is on. */
export const PROJECT_CONTEXT_INSTRUCTION =
  "Use the provided project context (AGENTS.md, README.md) and follow the project's conventions.";

/** Item 3: the repository diff was asked for (even when it turned out empty). */
export const REPOSITORY_DIFF_INSTRUCTION =
  'Review the repository diff and build on the changes already in progress instead of redoing them.';

/** Item 6: a diff digest was given. */
export const DIFF_DIGEST_INSTRUCTION = 'Use the diff digest to understand what has already changed.';

export const NO_DESCRIPTION = 'No description provided.';
export const NO_TOOL_ACCESS = 'No explicit tool access specified.';
export const NO_TOOLS_ENABLED = 'No explicit tools enabled.';

/** Item 4: three instructions for a target agent (names in ASCII double quotes, tools joined with ", "). */
export function targetAgentInstructions(name: string, description: string, tools: string): [string, string, string] {
  return [
    `Write the refined prompt for the agent "${name}" and keep every directive in line with its mission: ${description}`,
    `Shape the objectives, plan and validation around what this agent is able to do (${tools}), and keep the deliverables fitting for its mission.`,
    `Focus only on what "${name}" can achieve within its mission and propose nothing outside its scope.`,
  ];
}

/** The last line of the target-agent context block (with a typographic apostrophe, U+2019). */
export const TARGET_AGENT_GUIDANCE =
  'Guidance: Keep the refined prompt inside this agent’s mission and name any follow-up that belongs to other agents instead of assigning it here.';

/** The sentence that opens "## Requirements to Integrate". */
export const REQUIREMENTS_INTRO =
  'The requirements below are for the coding agent that will receive your refined prompt. Work each one into the fitting section (Context, Objectives, Constraints, Implementation Plan, Validation, Deliverables) so that all of them are reflected without contradictions.';

const ROLE =
  'You are a staff-level software engineer who turns rough requests into refined prompts for another autonomous coding agent. ' +
  'Answer with a JSON object that has the keys "prompt" (a string) and "rationale" (an array of strings).';

const STYLE: Record<PromptStyle, string> = {
  concise: 'Keep the refined prompt to about 300–500 words and lead with the actions.',
  balanced: 'Keep the refined prompt to about 500–800 words.',
  detailed: 'Write about 800–1200 words, cover the alternatives considered and describe the validation in detail.',
};

const PROJECT_CONTEXT_SENTENCE = 'Ground your guidance in the Project Context section.';
const REPOSITORY_DIFF_SENTENCE = 'Respect the work already shown in the Repository Diff section.';

const RULES = [
  'Rules: the prompt must stand on its own and contain the sections Context, Objectives, Constraints, Open Questions, Implementation Plan and Validation.',
  'Make the expectations for tests, runtime access and documentation explicit.',
  'Under Open Questions, list what the agent has to ask the user before it starts.',
  'Write the Implementation Plan as a numbered list.',
  'Under Validation, list the commands the agent can run when runtime access allows it, otherwise the manual checks.',
  'Keep the tone direct.',
  'Leave "rationale" as an empty array when there is nothing noteworthy to explain.',
  'Return only the JSON object, without commentary and without code fences.',
].join(' ');

/** `buildSystemPrompt` (§4.5): role, style directive and one space, context sentences, rules. */
export function buildSystemPrompt(options: {
  promptStyle: PromptStyle;
  includeProjectContext: boolean;
  includeRepositoryDiff: boolean;
}): string {
  const grounding = [
    ...(options.includeProjectContext ? [PROJECT_CONTEXT_SENTENCE] : []),
    ...(options.includeRepositoryDiff ? [REPOSITORY_DIFF_SENTENCE] : []),
  ];
  return `${ROLE}\n\n${STYLE[options.promptStyle]} ${grounding.map((sentence) => `${sentence} `).join('')}${RULES}`;
}
