/** The settings view's prompt-enhancer edits: only what the runtime's sanitiser keeps. */
import { describe, expect, it } from 'vitest';
import type { PromptEnhancerConfig } from '@chamber/contract';
import {
  addGroup,
  addOption,
  canRemoveOption,
  problems,
  removeGroup,
  removeOption,
  toId,
  uniqueId,
  updateGroup,
} from '../src/settings/prompt-enhancer-model.js';

const config: PromptEnhancerConfig = {
  version: 1,
  groupOrder: ['scope'],
  groups: {
    scope: {
      id: 'scope',
      label: 'Scope',
      summaryHeading: 'Scope',
      multiSelect: false,
      defaultOptionId: 'small',
      options: [
        { id: 'small', label: 'Small', summaryLabel: 'Small scope', instruction: 'Keep it small.' },
        { id: 'huge', label: 'Huge', summaryLabel: 'Huge', instruction: 'Go big.' },
      ],
    },
  },
};

describe('prompt-enhancer edits', () => {
  it('derives ids as the sanitiser does, unique within their list', () => {
    expect(toId(' My Group! ')).toBe('my-group-');
    expect(uniqueId('my-group-', ['my-group'])).toBe('my-group-2');
    expect(uniqueId('', [])).toBe('item');
  });

  it('offers to remove neither core options nor a custom group’s placeholder', () => {
    expect(canRemoveOption('scope', 'small')).toBe(false);
    expect(canRemoveOption('scope', 'huge')).toBe(true);
    expect(canRemoveOption('custom', 'default')).toBe(false);
    expect(canRemoveOption('custom', 'other')).toBe(true);
    expect(removeOption(config, 'scope', 'small')).toBe(config);
  });

  it('removing the default option of a single-choice group moves the default to the first', () => {
    const withDefault = updateGroup(config, 'scope', { defaultOptionId: 'huge' });
    expect(removeOption(withDefault, 'scope', 'huge').groups.scope?.defaultOptionId).toBe('small');
  });

  it('a multi-choice group has no default option; back to single choice picks the first', () => {
    const multi = updateGroup(config, 'scope', { multiSelect: true });
    expect(multi.groups.scope).not.toHaveProperty('defaultOptionId');
    expect(updateGroup(multi, 'scope', { multiSelect: false }).groups.scope?.defaultOptionId).toBe('small');
  });

  it('adds a custom group last, with the placeholder option, and removes it again; core groups stay', () => {
    const { config: added, groupId } = addGroup(config, 'Release notes');
    expect(groupId).toBe('release-notes');
    expect(added.groupOrder).toEqual(['scope', 'release-notes']);
    expect(added.groups['release-notes']?.options.map((option) => option.id)).toEqual(['default']);
    expect(removeGroup(added, 'release-notes')).toEqual(config);
    expect(removeGroup(config, 'scope')).toBe(config);
  });

  it('a new option needs an instruction before the config can be saved', () => {
    const { config: added, optionId } = addOption(config, 'scope', 'Huge');
    expect(optionId).toBe('huge-2');
    expect(problems(added)).toEqual(['Scope → Huge: the instruction is empty']);
    expect(problems(config)).toEqual([]);
  });
});
