/**
 * Editing a prompt-enhancer config (pure): what the settings view may change, within what the
 * runtime's sanitiser keeps (settings-config-prompts.md §3.3). Core groups and their options are
 * always put back, and every custom group keeps its `default` placeholder option, so the view
 * offers to remove neither; an option without an instruction would be dropped silently, so a save
 * is refused until each has one.
 */
import {
  PROMPT_ENHANCER_CORE_GROUPS,
  PROMPT_ENHANCER_PLACEHOLDER_OPTION_ID,
  type PromptEnhancerConfig,
  type PromptEnhancerGroup,
  type PromptEnhancerOption,
} from '@chamber/contract';

/** The sanitiser's id rule: trimmed, lower-cased, each run outside `[a-z0-9-]` one `-`. */
export function toId(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
}

/** `base`, or `base-2`, `base-3`… whichever is not taken ('' becomes `item`). */
export function uniqueId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  const root = base.replace(/^-+|-+$/g, '') || 'item';
  if (!used.has(root)) return root;
  for (let n = 2; ; n++) if (!used.has(`${root}-${n}`)) return `${root}-${n}`;
}

export function isCoreGroup(groupId: string): boolean {
  return Object.prototype.hasOwnProperty.call(PROMPT_ENHANCER_CORE_GROUPS, groupId);
}

/** Whether the sanitiser would keep the option out once it is removed. */
export function canRemoveOption(groupId: string, optionId: string): boolean {
  const core = isCoreGroup(groupId) ? PROMPT_ENHANCER_CORE_GROUPS[groupId] : undefined;
  if (core) return !core.includes(optionId);
  return optionId !== PROMPT_ENHANCER_PLACEHOLDER_OPTION_ID;
}

function withGroup(
  config: PromptEnhancerConfig,
  groupId: string,
  change: (group: PromptEnhancerGroup) => PromptEnhancerGroup,
): PromptEnhancerConfig {
  const group = config.groups[groupId];
  if (!group) return config;
  return { ...config, groups: { ...config.groups, [groupId]: change(group) } };
}

export type GroupFields = Partial<
  Pick<PromptEnhancerGroup, 'label' | 'helperText' | 'summaryHeading' | 'multiSelect' | 'defaultOptionId'>
>;
export type OptionFields = Partial<
  Pick<PromptEnhancerOption, 'label' | 'summaryLabel' | 'description' | 'instruction'>
>;

export function updateGroup(config: PromptEnhancerConfig, groupId: string, fields: GroupFields): PromptEnhancerConfig {
  return withGroup(config, groupId, (group) => {
    const next = { ...group, ...fields };
    // The sanitiser drops defaultOptionId for multi-select groups and requires one otherwise.
    if (next.multiSelect) delete next.defaultOptionId;
    else next.defaultOptionId ??= next.options[0]?.id;
    return next;
  });
}

export function updateOption(
  config: PromptEnhancerConfig,
  groupId: string,
  optionId: string,
  fields: OptionFields,
): PromptEnhancerConfig {
  return withGroup(config, groupId, (group) => ({
    ...group,
    options: group.options.map((option) => (option.id === optionId ? { ...option, ...fields } : option)),
  }));
}

/** A new option named `label` (its id derived from it, unique in the group); returns its id too. */
export function addOption(
  config: PromptEnhancerConfig,
  groupId: string,
  label: string,
): { config: PromptEnhancerConfig; optionId: string } {
  const group = config.groups[groupId];
  if (!group) return { config, optionId: '' };
  const optionId = uniqueId(
    toId(label),
    group.options.map((option) => option.id),
  );
  const option: PromptEnhancerOption = {
    id: optionId,
    label: label.trim() || 'New option',
    summaryLabel: label.trim() || 'New option',
    instruction: '',
  };
  return { config: withGroup(config, groupId, (g) => ({ ...g, options: [...g.options, option] })), optionId };
}

export function removeOption(config: PromptEnhancerConfig, groupId: string, optionId: string): PromptEnhancerConfig {
  if (!canRemoveOption(groupId, optionId)) return config;
  return withGroup(config, groupId, (group) => {
    const options = group.options.filter((option) => option.id !== optionId);
    const defaultOptionId = group.defaultOptionId === optionId ? options[0]?.id : group.defaultOptionId;
    return { ...group, options, ...(defaultOptionId !== undefined && !group.multiSelect ? { defaultOptionId } : {}) };
  });
}

/** A custom group named `label`, last in the order, with the placeholder option the sanitiser gives it. */
export function addGroup(
  config: PromptEnhancerConfig,
  label: string,
): { config: PromptEnhancerConfig; groupId: string } {
  const groupId = uniqueId(toId(label), Object.keys(config.groups));
  const name = label.trim() || 'Group';
  const group: PromptEnhancerGroup = {
    id: groupId,
    label: name,
    summaryHeading: name,
    multiSelect: false,
    defaultOptionId: PROMPT_ENHANCER_PLACEHOLDER_OPTION_ID,
    options: [
      {
        id: PROMPT_ENHANCER_PLACEHOLDER_OPTION_ID,
        label: 'New option',
        summaryLabel: 'New option',
        description: 'Describe what this option influences.',
        instruction: 'Explain the guidance this option should add to the refined prompt.',
      },
    ],
  };
  return {
    config: { ...config, groupOrder: [...config.groupOrder, groupId], groups: { ...config.groups, [groupId]: group } },
    groupId,
  };
}

export function removeGroup(config: PromptEnhancerConfig, groupId: string): PromptEnhancerConfig {
  if (isCoreGroup(groupId) || !config.groups[groupId]) return config;
  const groups = { ...config.groups };
  delete groups[groupId];
  return { ...config, groupOrder: config.groupOrder.filter((id) => id !== groupId), groups };
}

/** What would be lost on save: one line per option without an instruction. */
export function problems(config: PromptEnhancerConfig): string[] {
  const found: string[] = [];
  for (const groupId of config.groupOrder) {
    const group = config.groups[groupId];
    for (const option of group?.options ?? []) {
      if (!option.instruction.trim())
        found.push(`${group?.label ?? groupId} → ${option.label}: the instruction is empty`);
    }
  }
  return found;
}
