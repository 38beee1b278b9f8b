/**
 * The bundled prompt-enhancer config (settings-config-prompts.md §3.2): version 1, the six core
 * groups with the reference's ids, labels, summary labels, order, single/multi choice and
 * default options.
 *
 * The helper texts, descriptions and instruction sentences are Chamber's own wording, written to
 * say in substance what the contract describes (the reference's exact texts live in an asset
 * file that is not part of the contract). A client comparing previews byte for byte against the
 * reference would see different sentences in the same places; ids, labels and shapes match.
 *
 * The reference web server fell back to a one-group config when its build artefact was missing;
 * Chamber always uses these six groups, as the reference desktop app and built web package did.
 */
import {
  PROMPT_ENHANCER_CORE_GROUPS,
  type PromptEnhancerConfig,
  type PromptEnhancerGroup,
  type PromptEnhancerOption,
} from '@chamber/contract';

/** The ids the UI also treats as "core" (the reference's `CORE_PROMPT_ENHANCER_GROUP_IDS`). */
export const CORE_GROUP_IDS = Object.keys(PROMPT_ENHANCER_CORE_GROUPS);

const option = (
  id: string,
  label: string,
  summaryLabel: string,
  description: string,
  instruction: string,
): PromptEnhancerOption => ({ id, label, summaryLabel, description, instruction });

const GROUPS: PromptEnhancerGroup[] = [
  {
    id: 'implementationmode',
    label: 'Implementation mode',
    helperText: 'What kind of work the agent is asked to do.',
    summaryHeading: 'Implementation mode',
    multiSelect: false,
    defaultOptionId: 'feature',
    options: [
      option(
        'feature',
        'Feature',
        'Feature delivery',
        'Build new behaviour that was asked for.',
        'The agent must ship production-quality TypeScript and React code that follows the patterns, naming and structure already used in the codebase.',
      ),
      option(
        'bugfix',
        'Bugfix',
        'Bug fix',
        'Track down and repair a defect.',
        'The agent must find the root cause before changing code, apply the smallest safe fix, and add tests that would have caught the defect.',
      ),
      option(
        'refactor',
        'Refactor',
        'Refactor / cleanup',
        'Restructure code without changing what it does.',
        'The agent must preserve the existing behaviour exactly and must not add new capabilities while restructuring the code.',
      ),
      option(
        'exploration',
        'Exploration',
        'Exploration / design spike',
        'Investigate the options before committing to one.',
        'The agent must compare the viable approaches, weigh their trade-offs and recommend one, with its reasons, before any production code is written.',
      ),
    ],
  },
  {
    id: 'scope',
    label: 'Scope',
    helperText: 'How far the change is expected to reach.',
    summaryHeading: 'Scope',
    multiSelect: false,
    defaultOptionId: 'small',
    options: [
      option(
        'small',
        'Small',
        'Small scope',
        'A focused change in one place.',
        'The agent must keep the change tightly scoped to what the request names and must leave unrelated code alone.',
      ),
      option(
        'medium',
        'Medium',
        'Medium scope',
        'Several modules that have to move together.',
        'The agent must coordinate the change across the affected modules and state the order in which the pieces land.',
      ),
      option(
        'large',
        'Large',
        'Large scope',
        'A broad change delivered in stages.',
        'The agent must plan a staged delivery that says how existing data and callers migrate and how each stage is rolled back.',
      ),
    ],
  },
  {
    id: 'testing',
    label: 'Testing',
    helperText: 'What test coverage the work needs.',
    summaryHeading: 'Tests',
    multiSelect: false,
    defaultOptionId: 'none',
    options: [
      option(
        'required',
        'Required',
        'Tests required',
        'Complete tests for the new behaviour.',
        'The agent must add or update automated tests that cover the new behaviour, its edge cases and its failure paths.',
      ),
      option(
        'recommended',
        'Recommended',
        'Tests recommended',
        'Tests where the risk is highest.',
        'The agent must test the highest-risk paths first and give the rest at least smoke coverage.',
      ),
      option(
        'none',
        'Not needed',
        'Tests not needed',
        'No new tests are expected.',
        'The agent must explain why no new tests are needed and must keep the code structured so that it stays easy to test.',
      ),
    ],
  },
  {
    id: 'runtimeaccess',
    label: 'Runtime access',
    helperText: 'Whether the agent may run commands.',
    summaryHeading: 'Runtime access',
    multiSelect: false,
    defaultOptionId: 'blocked',
    options: [
      option(
        'allowed',
        'Can run code',
        'Runtime access allowed',
        'Builds, tests and scripts may be run.',
        'The agent must give the exact commands it runs to build, test and verify the change, and report what they showed.',
      ),
      option(
        'blocked',
        'No execution',
        'Runtime access blocked',
        'Reasoning only: nothing is executed.',
        'The agent must not execute code or commands, must rely on static reasoning, and must list the checks a person has to run by hand.',
      ),
    ],
  },
  {
    id: 'documentation',
    label: 'Documentation',
    helperText: 'Which documentation the change should update.',
    summaryHeading: 'Documentation',
    multiSelect: false,
    defaultOptionId: 'none',
    options: [
      option(
        'required',
        'Docs required',
        'Documentation required',
        'Update the docs and code comments.',
        'The agent must update the affected documentation and code comments so that they describe the new behaviour.',
      ),
      option(
        'notes',
        'Notes only',
        'Light documentation notes',
        'Decisions recorded in the pull request notes.',
        'The agent must record the key decisions and their reasons in the pull request notes.',
      ),
      option(
        'none',
        'No docs',
        'No documentation updates',
        'Leave the documentation alone.',
        'The agent must skip documentation changes unless leaving them out would mislead readers about critical behaviour.',
      ),
    ],
  },
  {
    id: 'surfaceareas',
    label: 'Surface areas',
    helperText: 'The parts of the system the work touches; choose any.',
    summaryHeading: 'Surface areas',
    multiSelect: true,
    options: [
      option(
        'frontend',
        'Frontend UI',
        'Frontend UI',
        'Components, state and styles.',
        'The agent must respect the existing React, Zustand, theming and accessibility patterns of the frontend.',
      ),
      option(
        'backend',
        'Backend',
        'Backend / server',
        'The Express server and its routes.',
        'The agent must keep the Express API contracts compatible and guard them against regressions.',
      ),
      option(
        'shared',
        'Shared',
        'Shared utilities',
        'Types and helpers both sides use.',
        'The agent must change shared types and utilities with care and update every consumer they affect.',
      ),
      option(
        'infra',
        'Infra',
        'Tooling & infrastructure',
        'Build, CI and developer tooling.',
        'The agent must call out every change to tooling, build or CI configuration and what it means for other developers.',
      ),
      option(
        'tests',
        'Testing',
        'Testing',
        'The test suites themselves.',
        'The agent must strengthen the unit and integration tests of the code it touches rather than weaken or skip them.',
      ),
    ],
  },
];

export const DEFAULT_PROMPT_ENHANCER_CONFIG: PromptEnhancerConfig = {
  version: 1,
  groupOrder: GROUPS.map((group) => group.id),
  groups: Object.fromEntries(GROUPS.map((group) => [group.id, group])),
};

/** A deep copy, so callers may change what they get. */
export function defaultPromptEnhancerConfig(): PromptEnhancerConfig {
  return structuredClone(DEFAULT_PROMPT_ENHANCER_CONFIG);
}

/** The option every generated group starts with (§3.2; these texts are the contract's). */
export function placeholderOption(): PromptEnhancerOption {
  return {
    id: 'default',
    label: 'New option',
    summaryLabel: 'New option',
    description: 'Describe what this option influences.',
    instruction: 'Explain the guidance this option should add to the refined prompt.',
  };
}

/** `my-group_x` → `My Group X`; `Group` when nothing is left. */
export function labelFromId(id: string): string {
  const words = id
    .split(/[-_]/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1));
  return words.length > 0 ? words.join(' ') : 'Group';
}

/** A group for an id that is no default group (§3.2 "Generated group"). */
export function generatedGroup(id: string, multiSelect: boolean): PromptEnhancerGroup {
  const label = labelFromId(id);
  return {
    id,
    label,
    summaryHeading: label,
    multiSelect,
    ...(multiSelect ? {} : { defaultOptionId: 'default' }),
    options: [placeholderOption()],
  };
}
