/**
 * Refine and preview's request parsing, limits and assembly (settings-config-prompts.md §4.1,
 * §4.4, §4.5), and the reading of the model's answer (§4.6), as pure functions.
 */
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '@chamber/contract';
import { buildRefinePayload, LIMITS, parseFlags, truncate, type RefineContext } from '../../src/prompts/assemble.js';
import { DEFAULT_PROMPT_ENHANCER_CONFIG } from '../../src/prompts/defaults.js';
import {
  BASE_INSTRUCTIONS,
  DIFF_DIGEST_INSTRUCTION,
  PROJECT_CONTEXT_INSTRUCTION,
  REPOSITORY_DIFF_INSTRUCTION,
  REQUIREMENTS_INTRO,
  TARGET_AGENT_GUIDANCE,
  buildSystemPrompt,
  targetAgentInstructions,
} from '../../src/prompts/templates.js';
import { readRefinement, stripCodeFence } from '../../src/prompts/refine.js';
import { resolveAiEndpoint } from '../../src/ai/endpoint.js';

const NO_CONTEXT: RefineContext = { agentsContext: '', readmeContext: '', repositoryDiff: '' };
const CONTEXT: RefineContext = {
  agentsContext: '### AGENTS.md\n\nBe careful.',
  readmeContext: '### README.md\n\n# Project',
  repositoryDiff: '### a.txt (working)\ndiff --git a/a.txt b/a.txt',
};
const instructionOf = (group: string, option: string) =>
  DEFAULT_PROMPT_ENHANCER_CONFIG.groups[group]!.options.find((o) => o.id === option)!.instruction;
const DEFAULT_SINGLE = [
  instructionOf('implementationmode', 'feature'),
  instructionOf('scope', 'small'),
  instructionOf('testing', 'none'),
  instructionOf('runtimeaccess', 'blocked'),
  instructionOf('documentation', 'none'),
];
const DEFAULT_SUMMARY = [
  'Implementation mode: Feature delivery',
  'Scope: Small scope',
  'Tests: Tests not needed',
  'Runtime access: Runtime access blocked',
  'Documentation: No documentation updates',
  'Surface areas: Not specified',
];

describe('truncate (§4.4)', () => {
  it('keeps the first limit characters and appends a newline and three periods', () => {
    expect(truncate('abcdef', 3)).toBe('abc\n...');
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 3)).toBe('');
  });
});

describe('parseFlags (§4.1)', () => {
  it('context flags: a boolean as is, the string "false" off, anything else on', () => {
    for (const value of [undefined, null, 0, 'no', 'FALSE', {}, true]) {
      expect(parseFlags({ includeAgentsContext: value }).includeAgentsContext).toBe(true);
    }
    expect(parseFlags({ includeReadmeContext: false }).includeReadmeContext).toBe(false);
    expect(parseFlags({ includeReadmeContext: 'false' }).includeReadmeContext).toBe(false);
  });

  it('the diff flag: a boolean as is, the string "true" on, anything else off', () => {
    expect(parseFlags({}).includeRepositoryDiff).toBe(false);
    expect(parseFlags({ includeRepositoryDiff: 'true' }).includeRepositoryDiff).toBe(true);
    expect(parseFlags({ includeRepositoryDiff: 1 }).includeRepositoryDiff).toBe(false);
    expect(parseFlags({ includeRepositoryDiff: true }).includeRepositoryDiff).toBe(true);
  });

  it('includeProjectContext is either context flag', () => {
    expect(parseFlags({ includeAgentsContext: false, includeReadmeContext: false }).includeProjectContext).toBe(false);
    expect(parseFlags({ includeAgentsContext: false }).includeProjectContext).toBe(true);
  });
});

describe('buildRefinePayload (§4.5)', () => {
  it('refuses a missing or blank prompt with 400 prompt is required', () => {
    for (const prompt of [undefined, '', '   ', 42, ['x']]) {
      let caught: unknown;
      try {
        buildRefinePayload({ prompt }, NO_CONTEXT);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(RuntimeError);
      expect(caught).toMatchObject({ status: 400, message: 'prompt is required' });
    }
  });

  it('a bare prompt: base and context instructions, every single-select default, the six parts', () => {
    const payload = buildRefinePayload({ prompt: '  Add a button  ' }, NO_CONTEXT);
    expect(payload.rawPrompt).toBe('Add a button');
    expect(payload.instructions).toEqual([...BASE_INSTRUCTIONS, PROJECT_CONTEXT_INSTRUCTION, ...DEFAULT_SINGLE]);
    expect(payload.summaryEntries).toEqual(DEFAULT_SUMMARY);
    expect(payload.summaryBlock).toBe(DEFAULT_SUMMARY.join('\n'));
    const core = [
      '## Raw Request',
      'Add a button',
      '## Execution Parameters',
      DEFAULT_SUMMARY.join('\n'),
      '## Requirements to Integrate',
      REQUIREMENTS_INTRO,
      payload.instructions.map((line) => `- ${line}`).join('\n'),
    ].join('\n\n');
    expect(payload.userContent).toBe(core);
    expect(payload.userPromptPreview).toBe(core);
    expect(payload.systemPrompt).toBe(
      buildSystemPrompt({ promptStyle: 'balanced', includeProjectContext: true, includeRepositoryDiff: false }),
    );
    expect(payload.messages).toEqual([
      { role: 'system', content: payload.systemPrompt },
      { role: 'user', content: payload.userContent },
    ]);
    expect(payload).toMatchObject({
      additionalConstraints: [],
      contextSummary: '',
      diffDigest: '',
      agentsContext: '',
      readmeContext: '',
      repositoryDiff: '',
      targetAgentContext: '',
      includeAgentsContext: true,
      includeReadmeContext: true,
      includeProjectContext: true,
      includeRepositoryDiff: false,
    });
    expect(payload).not.toHaveProperty('targetAgentName');
  });

  it('every part, in order, each heading followed by a blank line', () => {
    const payload = buildRefinePayload(
      {
        prompt: 'Fix it',
        includeRepositoryDiff: true,
        additionalConstraints: ['  Keep the API ', '', 7, 'No new deps'],
        contextSummary: ' Some context ',
        diffDigest: ' digest ',
        targetAgent: { name: ' builder ', description: ' Builds things ', tools: ['bash', ' edit ', 'bash', '', 3] },
      },
      CONTEXT,
    );
    const headings = payload.userContent.split('\n\n').filter((part) => part.startsWith('## '));
    expect(headings).toEqual([
      '## Target Agent',
      '## Project Context',
      '## Repository Diff',
      '## Raw Request',
      '## Execution Parameters',
      '## Requirements to Integrate',
      '## Extra Constraints',
      '## Additional Context',
      '## Diff Digest',
    ]);
    expect(payload.userContent).toContain(
      `## Project Context\n\n${CONTEXT.agentsContext}\n\n${CONTEXT.readmeContext}\n\n## Repository Diff`,
    );
    expect(payload.userContent).toContain(
      '## Extra Constraints\n\n- Keep the API\n- No new deps\n\n## Additional Context\n\nSome context',
    );
    expect(payload.userPromptPreview.startsWith('## Raw Request\n\nFix it')).toBe(true);
    expect(payload.targetAgentName).toBe('builder');
    expect(payload.targetAgentContext).toBe(
      [
        'Name: builder',
        'Mission focus: Builds things',
        'Enabled tools / capabilities: bash, edit',
        TARGET_AGENT_GUIDANCE,
      ].join('\n'),
    );
    expect(payload.summaryEntries[0]).toBe('Target agent: builder');
    expect(payload.instructions).toEqual([
      ...BASE_INSTRUCTIONS,
      PROJECT_CONTEXT_INSTRUCTION,
      REPOSITORY_DIFF_INSTRUCTION,
      ...targetAgentInstructions('builder', 'Builds things', 'bash, edit'),
      ...DEFAULT_SINGLE,
      DIFF_DIGEST_INSTRUCTION,
      'Keep the API',
      'No new deps',
    ]);
    // Constraints appear twice: in the requirements and in their own part.
    expect(payload.userContent.split('- Keep the API').length).toBe(3);
    expect(payload.systemPrompt).toBe(
      buildSystemPrompt({ promptStyle: 'balanced', includeProjectContext: true, includeRepositoryDiff: true }),
    );
  });

  it('the flags decide what is used: context files only when their flag is on, the diff only when asked', () => {
    const agentsOnly = buildRefinePayload({ prompt: 'x', includeReadmeContext: 'false' }, CONTEXT);
    expect(agentsOnly.agentsContext).toBe(CONTEXT.agentsContext);
    expect(agentsOnly.readmeContext).toBe('');
    expect(agentsOnly.repositoryDiff).toBe('');
    expect(agentsOnly.userContent).not.toContain('## Repository Diff');
    const none = buildRefinePayload({ prompt: 'x', includeAgentsContext: false, includeReadmeContext: false }, CONTEXT);
    expect(none.userContent).not.toContain('## Project Context');
    expect(none.instructions).not.toContain(PROJECT_CONTEXT_INSTRUCTION);
  });

  it('quirk: the context instruction is added when a flag is on even without any file; the diff one without a diff', () => {
    const payload = buildRefinePayload({ prompt: 'x', includeRepositoryDiff: true }, NO_CONTEXT);
    expect(payload.instructions).toContain(PROJECT_CONTEXT_INSTRUCTION);
    expect(payload.instructions).toContain(REPOSITORY_DIFF_INSTRUCTION);
    expect(payload.userContent).not.toContain('## Project Context');
    expect(payload.userContent).not.toContain('## Repository Diff');
  });

  it('selections: single by id (trimmed, not lower-cased), else the default, else the first; multi in request order', () => {
    const payload = buildRefinePayload(
      {
        prompt: 'x',
        selections: {
          single: { scope: ' large ', testing: 'REQUIRED', documentation: 5 },
          multi: { surfaceareas: ['tests', ' frontend', 'tests', 'nope', 3] },
        },
      },
      NO_CONTEXT,
    );
    expect(payload.summaryEntries).toEqual([
      'Implementation mode: Feature delivery',
      'Scope: Large scope',
      'Tests: Tests not needed',
      'Runtime access: Runtime access blocked',
      'Documentation: No documentation updates',
      'Surface areas: Testing, Frontend UI',
    ]);
    expect(payload.instructions.slice(-2)).toEqual([
      instructionOf('surfaceareas', 'tests'),
      instructionOf('surfaceareas', 'frontend'),
    ]);
  });

  it('selections that are not objects, and multi entries that are not arrays, count as none', () => {
    for (const selections of ['x', null, { single: 'x', multi: { surfaceareas: 'tests' } }]) {
      expect(buildRefinePayload({ prompt: 'x', selections }, NO_CONTEXT).summaryEntries).toEqual(DEFAULT_SUMMARY);
    }
  });

  it('the request’s configuration drives the options (sanitised); a single-select group always contributes', () => {
    const payload = buildRefinePayload(
      {
        prompt: 'x',
        configuration: {
          groupOrder: ['tone'],
          groups: {
            tone: { summaryHeading: 'Tone', options: [{ id: 'dry', label: 'Dry', instruction: 'Write dryly.' }] },
          },
        },
      },
      NO_CONTEXT,
    );
    expect(payload.summaryEntries[0]).toBe('Tone: New option');
    expect(payload.instructions).toContain('Explain the guidance this option should add to the refined prompt.');
  });

  it('exact duplicates appear once in the instruction list', () => {
    const payload = buildRefinePayload(
      { prompt: 'x', additionalConstraints: [BASE_INSTRUCTIONS[0], 'a', 'a'] },
      NO_CONTEXT,
    );
    expect(payload.instructions.filter((line) => line === BASE_INSTRUCTIONS[0])).toHaveLength(1);
    expect(payload.instructions.filter((line) => line === 'a')).toHaveLength(1);
    expect(payload.additionalConstraints).toEqual([BASE_INSTRUCTIONS[0], 'a', 'a']);
  });

  it('a target agent without description or tools gets the fallbacks; one without a name is ignored', () => {
    const payload = buildRefinePayload({ prompt: 'x', targetAgent: { name: 'plan', description: 3 } }, NO_CONTEXT);
    expect(payload.instructions).toEqual(
      expect.arrayContaining(
        targetAgentInstructions('plan', 'No description provided.', 'No explicit tool access specified.'),
      ),
    );
    expect(payload.targetAgentContext).toContain(
      'Mission focus: No description provided.\nEnabled tools / capabilities: No explicit tools enabled.',
    );
    expect(TARGET_AGENT_GUIDANCE).toContain('\u2019');
    for (const targetAgent of [{ name: '  ' }, 'plan', { description: 'd' }]) {
      expect(buildRefinePayload({ prompt: 'x', targetAgent }, NO_CONTEXT).targetAgentContext).toBe('');
    }
  });

  it('promptStyle: concise, balanced or detailed; anything else balanced', () => {
    const style = (promptStyle: unknown) => buildRefinePayload({ prompt: 'x', promptStyle }, NO_CONTEXT).systemPrompt;
    const balanced = buildSystemPrompt({
      promptStyle: 'balanced',
      includeProjectContext: true,
      includeRepositoryDiff: false,
    });
    expect(style('weird')).toBe(balanced);
    expect(style('concise')).toContain('300–500 words');
    expect(style('balanced')).toContain('500–800 words');
    expect(style('detailed')).toContain('800–1200 words');
  });

  it('the system prompt: role with the JSON contract, style and a space, grounding sentences, rules', () => {
    const plain = buildSystemPrompt({
      promptStyle: 'concise',
      includeProjectContext: false,
      includeRepositoryDiff: false,
    });
    expect(plain).toContain('"prompt" (a string) and "rationale" (an array of strings)');
    expect(plain).toContain('lead with the actions. Rules: ');
    expect(plain).toContain('Context, Objectives, Constraints, Open Questions, Implementation Plan and Validation');
    expect(plain).not.toContain('Project Context');
    const both = buildSystemPrompt({
      promptStyle: 'concise',
      includeProjectContext: true,
      includeRepositoryDiff: true,
    });
    expect(both).toContain(
      'lead with the actions. Ground your guidance in the Project Context section. Respect the work',
    );
    expect(both).toContain('Repository Diff section. Rules: ');
  });
});

describe('limits (§4.4)', () => {
  it('cuts each item at its limit and appends "\\n..."', () => {
    const long = (n: number) => 'x'.repeat(n);
    const payload = buildRefinePayload(
      {
        prompt: long(LIMITS.prompt + 1),
        contextSummary: long(LIMITS.contextSummary + 1),
        diffDigest: long(LIMITS.diffDigest + 1),
        includeRepositoryDiff: true,
        additionalConstraints: Array.from({ length: 20 }, (_, i) => `c${i}`),
        targetAgent: { name: 'a', description: long(5_000) },
      },
      {
        agentsContext: long(LIMITS.agentsContext + 1),
        readmeContext: long(LIMITS.readmeContext + 1),
        repositoryDiff: long(LIMITS.repositoryDiff + 1),
      },
    );
    expect(payload.rawPrompt).toBe(`${long(5_000)}\n...`);
    expect(payload.contextSummary).toBe(`${long(4_000)}\n...`);
    expect(payload.diffDigest).toBe(`${long(6_000)}\n...`);
    expect(payload.agentsContext).toBe(`${long(12_000)}\n...`);
    expect(payload.readmeContext).toBe(`${long(12_000)}\n...`);
    expect(payload.repositoryDiff).toBe(`${long(20_000)}\n...`);
    expect(payload.targetAgentContext).toHaveLength(4_004);
    expect(payload.targetAgentContext.endsWith('\n...')).toBe(true);
    expect(payload.additionalConstraints).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`));
  });

  it('leaves items exactly at their limit whole', () => {
    const payload = buildRefinePayload({ prompt: 'y'.repeat(LIMITS.prompt) }, NO_CONTEXT);
    expect(payload.rawPrompt).toHaveLength(LIMITS.prompt);
  });
});

describe('reading the model’s answer (§4.6)', () => {
  const endpoint = resolveAiEndpoint({ url: 'http://127.0.0.1:9/v1' }, {}, 'refine');

  it('strips a code fence with an optional json tag in any case', () => {
    expect(stripCodeFence('```JSON\n{"a":1}\n```')).toBe('{"a":1}');
    expect(stripCodeFence('  ```\n{"a":1}```  ')).toBe('{"a":1}');
    expect(stripCodeFence('{"a":1}\n```')).toBe('{"a":1}');
    expect(stripCodeFence('```json\n```')).toBe('```json\n```');
    expect(stripCodeFence('Here: {"a":1}')).toBe('Here: {"a":1}');
  });

  it('answers the trimmed prompt and the string rationale entries, trimmed, blanks dropped', () => {
    expect(readRefinement('{"prompt":"  P  ","rationale":[" a ","",3,"b"]}', endpoint)).toEqual({
      prompt: 'P',
      rationale: ['a', 'b'],
    });
    expect(readRefinement('{"prompt":"P","rationale":"no"}', endpoint)).toEqual({ prompt: 'P', rationale: [] });
  });

  it('maps each bad answer to its 502 with the contract’s message and an explanation', () => {
    const failure = (content: unknown) => {
      try {
        readRefinement(content, endpoint);
      } catch (error) {
        return { ...(error as RuntimeError), message: (error as RuntimeError).message };
      }
      throw new Error('expected a failure');
    };
    expect(failure('')).toMatchObject({ status: 502, message: 'No prompt returned by generator' });
    expect(failure(undefined)).toMatchObject({ status: 502, message: 'No prompt returned by generator' });
    expect(failure('   ')).toMatchObject({ status: 502, message: 'Failed to parse refinement response' });
    expect(failure('not json')).toMatchObject({
      status: 502,
      message: 'Failed to parse refinement response',
      detail: expect.stringMatching(
        /^Failed to refine prompt: the model's answer is not the JSON object .*Settings → AI$/,
      ),
    });
    expect(failure('{"prompt":"  "}')).toMatchObject({ status: 502, message: 'Refinement response missing prompt' });
    expect(failure('"just a string"')).toMatchObject({ status: 502, message: 'Refinement response missing prompt' });
    expect(failure(7)).toMatchObject({
      status: 502,
      message: 'No prompt returned by generator',
      detail:
        'Failed to refine prompt: model "big-pickle" at http://127.0.0.1:9/v1/chat/completions returned no text — check the model in Settings → AI',
    });
  });
});
