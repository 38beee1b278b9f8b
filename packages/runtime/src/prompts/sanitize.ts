/**
 * The web reference's prompt-enhancer sanitiser (settings-config-prompts.md §3.3), rule for rule,
 * quirks included, on both transports: the web contract wins over the desktop's variant
 * (compatibility policy §5), and the reference UI's own sanitiser behaves the same way.
 *
 * Reproduced quirks: ids keep leading/trailing dashes; a duplicate group key keeps the first
 * group; default groups are always present and default options cannot be removed; a custom group
 * always carries the `default` placeholder unless an option with that id is given; `multiSelect`
 * is truthiness (`"false"` means true); an unknown `defaultOptionId` falls back to the first
 * option, not to the default group's default.
 */
import type { PromptEnhancerConfig, PromptEnhancerGroup, PromptEnhancerOption } from '@chamber/contract';
import { DEFAULT_PROMPT_ENHANCER_CONFIG, defaultPromptEnhancerConfig, generatedGroup } from './defaults.js';

type Loose = Record<string, unknown>;

/** "A non-null object" in the reference's sense: arrays count. */
function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

function own(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

/** Trim, lower-case, each run outside `[a-z0-9-]` becomes one `-`; '' means invalid. */
export function sanitizeId(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
}

function trimmed(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function sanitizeOption(input: unknown): PromptEnhancerOption | undefined {
  if (!isObject(input)) return undefined;
  const id = sanitizeId(input.id);
  const instruction = trimmed(input.instruction);
  if (!id || !instruction) return undefined;
  const label = trimmed(input.label) || 'New option';
  const summaryLabel = trimmed(input.summaryLabel) || label;
  const description = trimmed(input.description);
  return { id, label, summaryLabel, ...(description ? { description } : {}), instruction };
}

/** `ensureGroupIntegrity`: the fallback group (default or generated) with the input's overrides. */
export function ensureGroupIntegrity(id: string, input: Loose | undefined): PromptEnhancerGroup {
  const defaults = DEFAULT_PROMPT_ENHANCER_CONFIG.groups;
  const fallback: PromptEnhancerGroup = own(defaults, id)
    ? structuredClone(defaults[id] as PromptEnhancerGroup)
    : generatedGroup(id, Boolean(input?.multiSelect));

  // Later duplicates replace earlier ones; a Map keeps the first one's position.
  const given = new Map<string, PromptEnhancerOption>();
  if (Array.isArray(input?.options)) {
    for (const raw of input.options) {
      const option = sanitizeOption(raw);
      if (option) given.set(option.id, option);
    }
  }
  const fallbackIds = new Set(fallback.options.map((option) => option.id));
  let options = [
    ...fallback.options.map((option) => given.get(option.id) ?? option),
    ...[...given.values()].filter((option) => !fallbackIds.has(option.id)),
  ].filter((option) => option.instruction !== '');
  if (options.length === 0) options = fallback.options;

  const multiSelect =
    input?.multiSelect !== undefined && input.multiSelect !== null ? Boolean(input.multiSelect) : fallback.multiSelect;

  let defaultOptionId: string | undefined;
  if (!multiSelect) {
    const candidate =
      typeof input?.defaultOptionId === 'string' ? sanitizeId(input.defaultOptionId) : fallback.defaultOptionId;
    defaultOptionId = options.some((option) => option.id === candidate) ? candidate : options[0]?.id;
  }

  const helperText = trimmed(input?.helperText) || fallback.helperText;
  return {
    id: fallback.id,
    label: trimmed(input?.label) || fallback.label,
    ...(helperText ? { helperText } : {}),
    summaryHeading: trimmed(input?.summaryHeading) || fallback.summaryHeading,
    multiSelect,
    ...(defaultOptionId !== undefined ? { defaultOptionId } : {}),
    options,
  };
}

/** `sanitizePromptEnhancerConfig` (§3.3). Never throws. */
export function sanitizePromptEnhancerConfig(input: unknown): PromptEnhancerConfig {
  if (!isObject(input)) return defaultPromptEnhancerConfig();
  const defaults = DEFAULT_PROMPT_ENHANCER_CONFIG;

  const version =
    typeof input.version === 'number' && Number.isFinite(input.version) ? input.version : defaults.version;

  // Input groups by sanitised key: the first of two keys that sanitise alike wins.
  const inputGroups = new Map<string, Loose>();
  if (isObject(input.groups)) {
    for (const key of Object.keys(input.groups)) {
      const id = sanitizeId(key);
      const value = input.groups[key];
      if (!id || inputGroups.has(id) || !isObject(value)) continue;
      inputGroups.set(id, value);
    }
  }

  const candidateOrder: string[] = [];
  if (Array.isArray(input.groupOrder)) {
    for (const entry of input.groupOrder) {
      const id = sanitizeId(entry);
      // `_` can never survive sanitising; the reference's check is kept for fidelity.
      if (id && !id.startsWith('_') && !candidateOrder.includes(id)) candidateOrder.push(id);
    }
  }

  const order: string[] = [];
  for (const id of [...candidateOrder, ...defaults.groupOrder, ...inputGroups.keys()]) {
    if (!order.includes(id)) order.push(id);
  }
  const groups: Record<string, PromptEnhancerGroup> = {};
  for (const id of order) groups[id] = ensureGroupIntegrity(id, inputGroups.get(id));

  const built = Object.values(groups);
  if (built.length === 0 || built.some((group) => group.options.length === 0) || order.length === 0) {
    return defaultPromptEnhancerConfig();
  }
  return { version, groupOrder: order.filter((id) => own(groups, id)), groups };
}
