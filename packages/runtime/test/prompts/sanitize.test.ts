/**
 * The prompt-enhancer sanitiser, rule by rule (settings-config-prompts.md §3.3) and quirk by
 * quirk: these are the web reference's behaviours, kept so that the reference UI sees the same
 * config it would see from the reference server.
 */
import { describe, expect, it } from 'vitest';
import { PROMPT_ENHANCER_CORE_GROUPS, type PromptEnhancerConfig } from '@chamber/contract';
import {
  CORE_GROUP_IDS,
  DEFAULT_PROMPT_ENHANCER_CONFIG,
  generatedGroup,
  labelFromId,
  placeholderOption,
} from '../../src/prompts/defaults.js';
import { ensureGroupIntegrity, sanitizeId, sanitizePromptEnhancerConfig } from '../../src/prompts/sanitize.js';

const sanitize = (input: unknown) => sanitizePromptEnhancerConfig(input);
const DEFAULTS = DEFAULT_PROMPT_ENHANCER_CONFIG;
const option = (id: string, instruction = `Do ${id}.`, extra: Record<string, unknown> = {}) => ({
  id,
  instruction,
  ...extra,
});

describe('the bundled defaults (§3.2)', () => {
  it('are version 1 with the six core groups in order, their labels, choice kind and default option', () => {
    expect(DEFAULTS.version).toBe(1);
    expect(DEFAULTS.groupOrder).toEqual([...CORE_GROUP_IDS]);
    const table = DEFAULTS.groupOrder.map((id) => {
      const group = DEFAULTS.groups[id]!;
      return [
        id,
        group.label,
        group.summaryHeading,
        group.multiSelect,
        group.defaultOptionId,
        group.options.map((o) => `${o.id}:${o.label}→${o.summaryLabel}`).join('; '),
      ];
    });
    expect(table).toEqual([
      [
        'implementationmode',
        'Implementation mode',
        'Implementation mode',
        false,
        'feature',
        'feature:Feature→Feature delivery; bugfix:Bugfix→Bug fix; refactor:Refactor→Refactor / cleanup; exploration:Exploration→Exploration / design spike',
      ],
      [
        'scope',
        'Scope',
        'Scope',
        false,
        'small',
        'small:Small→Small scope; medium:Medium→Medium scope; large:Large→Large scope',
      ],
      [
        'testing',
        'Testing',
        'Tests',
        false,
        'none',
        'required:Required→Tests required; recommended:Recommended→Tests recommended; none:Not needed→Tests not needed',
      ],
      [
        'runtimeaccess',
        'Runtime access',
        'Runtime access',
        false,
        'blocked',
        'allowed:Can run code→Runtime access allowed; blocked:No execution→Runtime access blocked',
      ],
      [
        'documentation',
        'Documentation',
        'Documentation',
        false,
        'none',
        'required:Docs required→Documentation required; notes:Notes only→Light documentation notes; none:No docs→No documentation updates',
      ],
      [
        'surfaceareas',
        'Surface areas',
        'Surface areas',
        true,
        undefined,
        'frontend:Frontend UI→Frontend UI; backend:Backend→Backend / server; shared:Shared→Shared utilities; infra:Infra→Tooling & infrastructure; tests:Testing→Testing',
      ],
    ]);
  });

  it('match the core option ids the contract lists for clients', () => {
    expect(
      Object.fromEntries(DEFAULTS.groupOrder.map((id) => [id, DEFAULTS.groups[id]!.options.map((o) => o.id)])),
    ).toEqual(PROMPT_ENHANCER_CORE_GROUPS);
  });

  it('give every group a helper text and every option a description and a "must" instruction', () => {
    for (const group of Object.values(DEFAULTS.groups)) {
      expect(group.helperText).toBeTruthy();
      for (const o of group.options) {
        expect(o.description).toBeTruthy();
        expect(o.instruction).toMatch(/ must /);
      }
    }
  });

  it('are a fixed point of the sanitiser', () => {
    expect(sanitize(DEFAULTS)).toEqual(DEFAULTS);
    expect(JSON.stringify(sanitize(DEFAULTS))).toBe(JSON.stringify(DEFAULTS));
  });
});

describe('sanitizeId', () => {
  it('trims, lower-cases and turns each run outside [a-z0-9-] into one dash, keeping edge dashes (web)', () => {
    expect(sanitizeId(' My Group! ')).toBe('my-group-');
    expect(sanitizeId('a__b  c')).toBe('a-b-c');
    expect(sanitizeId('-x-')).toBe('-x-');
    expect(sanitizeId('Ünïcode')).toBe('-n-code');
    expect(sanitizeId('   ')).toBe('');
    expect(sanitizeId(42)).toBe('');
  });
});

describe('sanitizePromptEnhancerConfig', () => {
  it('answers a copy of the defaults for a non-object input', () => {
    for (const input of [undefined, null, 'config', 7, true]) expect(sanitize(input)).toEqual(DEFAULTS);
    const copy = sanitize(null);
    copy.groups.scope!.label = 'changed';
    expect(DEFAULTS.groups.scope!.label).toBe('Scope');
  });

  it('treats an array like an object without groups (the reference: arrays are objects)', () => {
    expect(sanitize([])).toEqual(DEFAULTS);
  });

  it('rule 1: keeps a finite numeric version, else the default', () => {
    expect(sanitize({ version: 2.5 }).version).toBe(2.5);
    expect(sanitize({ version: -3 }).version).toBe(-3);
    expect(sanitize({ version: '2' }).version).toBe(1);
    expect(sanitize({ version: Number.NaN }).version).toBe(1);
  });

  it('rule 2: sanitises group keys; the first of two keys that sanitise alike wins; non-objects are skipped', () => {
    const result = sanitize({
      groups: {
        'My Group': { label: 'First', options: [option('x')] },
        'my group': { label: 'Second' },
        'not-an-object': 'text',
        '   ': { label: 'blank' },
      },
    });
    expect(result.groups['my-group']!.label).toBe('First');
    expect(result.groups['not-an-object']).toBeUndefined();
    expect(Object.keys(result.groups)).toEqual([...CORE_GROUP_IDS, 'my-group']);
  });

  it('rule 3–4: groupOrder first (sanitised, deduplicated), then the defaults, then other input groups', () => {
    const result = sanitize({
      groupOrder: ['Extra', 'testing', 'extra', '', 5, 'scope'],
      groups: { later: { options: [option('l')] }, extra: {} },
    });
    expect(result.groupOrder).toEqual([
      'extra',
      'testing',
      'scope',
      'implementationmode',
      'runtimeaccess',
      'documentation',
      'surfaceareas',
      'later',
    ]);
    expect(Object.keys(result.groups)).toEqual(result.groupOrder);
  });

  it('quirk: default groups cannot be removed or moved to the end', () => {
    const result = sanitize({ groupOrder: ['custom'], groups: { custom: {} } });
    expect(result.groupOrder).toEqual(['custom', ...CORE_GROUP_IDS]);
  });

  it('rule 4: an id only in groupOrder still creates a generated group with the placeholder option', () => {
    const result = sanitize({ groupOrder: ['release_notes-x'] });
    expect(result.groups['release-notes-x']).toEqual({
      id: 'release-notes-x',
      label: 'Release Notes X',
      summaryHeading: 'Release Notes X',
      multiSelect: false,
      defaultOptionId: 'default',
      options: [placeholderOption()],
    });
  });

  it('generated labels: parts split on - and _, empty parts dropped, capitalised; "Group" when nothing remains', () => {
    expect(labelFromId('a-b_c')).toBe('A B C');
    expect(labelFromId('--x--')).toBe('X');
    expect(labelFromId('---')).toBe('Group');
    expect(generatedGroup('m', true)).not.toHaveProperty('defaultOptionId');
  });

  it('quirk: a custom group keeps the placeholder unless an option with id "default" is given', () => {
    const kept = sanitize({ groups: { custom: { options: [option('mine')] } } }).groups.custom!;
    expect(kept.options.map((o) => o.id)).toEqual(['default', 'mine']);
    const replaced = sanitize({ groups: { custom: { options: [option('Default', 'Own text.')] } } }).groups.custom!;
    expect(replaced.options).toEqual([
      { id: 'default', label: 'New option', summaryLabel: 'New option', instruction: 'Own text.' },
    ]);
  });

  it('options: need an object with a non-empty sanitised id and a non-empty trimmed instruction', () => {
    const group = sanitize({
      groups: {
        custom: {
          options: [
            'text',
            null,
            { id: '  ', instruction: 'x' },
            { id: 'no-instruction', instruction: '   ' },
            { id: 'number', instruction: 5 },
            { id: 'Good One', instruction: '  Keep it.  ' },
          ],
        },
      },
    }).groups.custom!;
    expect(group.options.map((o) => o.id)).toEqual(['default', 'good-one']);
    expect(group.options[1]).toEqual({
      id: 'good-one',
      label: 'New option',
      summaryLabel: 'New option',
      instruction: 'Keep it.',
    });
  });

  it('options: label trimmed or "New option", summaryLabel trimmed or the label, description trimmed or omitted', () => {
    const [, o] = sanitize({
      groups: { c: { options: [option('a', 'Do.', { label: ' L ', summaryLabel: '  ', description: ' D ' })] } },
    }).groups.c!.options;
    expect(o).toEqual({ id: 'a', label: 'L', summaryLabel: 'L', description: 'D', instruction: 'Do.' });
    expect(Object.keys(o!)).toEqual(['id', 'label', 'summaryLabel', 'description', 'instruction']);
  });

  it('options: a later duplicate replaces an earlier one, keeping the first position', () => {
    const options = sanitize({
      groups: { c: { options: [option('a', 'First a.'), option('b'), option('A', 'Second a.')] } },
    }).groups.c!.options;
    expect(options.map((o) => [o.id, o.instruction])).toEqual([
      ['default', 'Explain the guidance this option should add to the refined prompt.'],
      ['a', 'Second a.'],
      ['b', 'Do b.'],
    ]);
  });

  it('quirk: default options cannot be removed; input overrides their text in place, extras follow', () => {
    const scope = sanitize({
      groups: { scope: { options: [option('extra'), option('medium', 'Changed medium.', { label: 'Mid' })] } },
    }).groups.scope!;
    expect(scope.options.map((o) => o.id)).toEqual(['small', 'medium', 'large', 'extra']);
    expect(scope.options[1]).toEqual({
      id: 'medium',
      label: 'Mid',
      summaryLabel: 'Mid',
      instruction: 'Changed medium.',
    });
    expect(scope.options[0]).toEqual(DEFAULTS.groups.scope!.options[0]);
  });

  it('multiSelect: truthiness when given (quirk: "false" means true), else the fallback', () => {
    expect(sanitize({ groups: { scope: { multiSelect: 'false' } } }).groups.scope!.multiSelect).toBe(true);
    expect(sanitize({ groups: { surfaceareas: { multiSelect: 0 } } }).groups.surfaceareas!.multiSelect).toBe(false);
    expect(sanitize({ groups: { surfaceareas: { multiSelect: null } } }).groups.surfaceareas!.multiSelect).toBe(true);
    expect(sanitize({ groups: { custom: { multiSelect: 1 } } }).groups.custom!.multiSelect).toBe(true);
  });

  it('defaultOptionId: omitted for multi-select; else the sanitised input when it names an option', () => {
    expect(sanitize({ groups: { scope: { multiSelect: true } } }).groups.scope).not.toHaveProperty('defaultOptionId');
    expect(sanitize({ groups: { scope: { defaultOptionId: ' LARGE ' } } }).groups.scope!.defaultOptionId).toBe('large');
    expect(sanitize({ groups: { scope: { defaultOptionId: 3 } } }).groups.scope!.defaultOptionId).toBe('small');
    expect(sanitize({ groups: { surfaceareas: { multiSelect: false } } }).groups.surfaceareas!.defaultOptionId).toBe(
      'frontend',
    );
  });

  it('quirk: an unknown defaultOptionId falls back to the first option, not the default group’s default', () => {
    expect(sanitize({ groups: { testing: { defaultOptionId: 'nope' } } }).groups.testing!.defaultOptionId).toBe(
      'required',
    );
  });

  it('label, helperText, summaryHeading: trimmed input when non-empty, else the fallback’s', () => {
    const scope = sanitize({ groups: { scope: { label: ' Reach ', helperText: '   ', summaryHeading: ' R ' } } }).groups
      .scope!;
    expect([scope.label, scope.helperText, scope.summaryHeading]).toEqual([
      'Reach',
      DEFAULTS.groups.scope!.helperText,
      'R',
    ]);
    const custom = ensureGroupIntegrity('custom', { helperText: ' Why ' });
    expect(custom.helperText).toBe('Why');
    expect(ensureGroupIntegrity('custom', {})).not.toHaveProperty('helperText');
  });

  it('the id is the fallback’s (the key), whatever the input group says', () => {
    expect(sanitize({ groups: { scope: { id: 'other' } } }).groups.scope!.id).toBe('scope');
  });

  it('group keys are written in schema order', () => {
    const custom = sanitize({ groups: { custom: { helperText: 'h' } } }).groups.custom!;
    expect(Object.keys(custom)).toEqual([
      'id',
      'label',
      'helperText',
      'summaryHeading',
      'multiSelect',
      'defaultOptionId',
      'options',
    ]);
  });

  it('is idempotent', () => {
    const once: PromptEnhancerConfig = sanitize({
      version: 3,
      groupOrder: ['b', 'a'],
      groups: { a: { multiSelect: true, options: [option('x')] }, b: { defaultOptionId: 'q', options: [option('q')] } },
    });
    expect(sanitize(once)).toEqual(once);
  });
});
