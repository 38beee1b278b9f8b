/**
 * What differs between agents and commands (settings-config-prompts.md §5.7): their directory,
 * their section of opencode.json, the field the markdown body holds, and the words of messages.
 */
import type { ConfigEntryKind } from '@chamber/contract';

export interface EntryKind {
  kind: ConfigEntryKind;
  /** First word of messages: `Agent <name> created successfully…`. */
  label: 'Agent' | 'Command';
  /** Directory of the markdown files, under the config dir. */
  directory: 'agent' | 'command';
  /** Top-level key of opencode.json holding the entries. */
  section: 'agent' | 'command';
  /** The field stored as the markdown body instead of in the front matter. */
  bodyField: 'prompt' | 'template';
}

export const AGENT: EntryKind = {
  kind: 'agent',
  label: 'Agent',
  directory: 'agent',
  section: 'agent',
  bodyField: 'prompt',
};

export const COMMAND: EntryKind = {
  kind: 'command',
  label: 'Command',
  directory: 'command',
  section: 'command',
  bodyField: 'template',
};

export type MutationVerb = 'created' | 'updated' | 'deleted';

/** The reference's success message; the ellipsis is the single character U+2026. */
export function mutationMessage(kind: EntryKind, verb: MutationVerb, name: string): string {
  return `${kind.label} ${name} ${verb} successfully. Reloading interface\u2026`;
}
