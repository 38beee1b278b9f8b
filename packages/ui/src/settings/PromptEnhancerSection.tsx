/**
 * Settings → Prompt enhancer: the groups and options the prompt enhancer offers
 * (prompt-enhancer-config.json). Edits stay in a draft until Save, which sends the whole config;
 * the runtime sanitises it and its answer replaces the draft. Only what the sanitiser keeps can
 * be changed: labels, helper texts, summary texts, descriptions, instructions, single or multiple
 * choice, the default option, custom groups and extra options (see prompt-enhancer-model.ts).
 */
import { Plus, RotateCcw, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { PromptEnhancerConfig, PromptEnhancerGroup, PromptEnhancerOption } from '@chamber/contract';
import { IconButton } from '../components/IconButton.js';
import { attempt } from '../state/runtime.js';
import { showToast } from '../state/toasts.js';
import {
  addGroup,
  addOption,
  canRemoveOption,
  isCoreGroup,
  problems,
  removeGroup,
  removeOption,
  updateGroup,
  updateOption,
} from './prompt-enhancer-model.js';

export function PromptEnhancerSection() {
  const [saved, setSaved] = useState<PromptEnhancerConfig | null>(null);
  const [draft, setDraft] = useState<PromptEnhancerConfig | null>(null);
  const [newGroup, setNewGroup] = useState('');
  const [busy, setBusy] = useState(false);
  const [issues, setIssues] = useState<string[]>([]);

  useEffect(() => {
    let live = true;
    void attempt('Loading the prompt enhancer', (apis) => apis.promptEnhancer.loadConfig()).then((config) => {
      if (!live || !config) return;
      setSaved(config);
      setDraft(config);
    });
    return () => {
      live = false;
    };
  }, []);

  if (!draft || !saved) return <p className="setting-help">Loading…</p>;

  const change = (next: PromptEnhancerConfig) => {
    setDraft(next);
    setIssues([]);
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  const store = async (config: unknown, doing: string) => {
    setBusy(true);
    const answer = await attempt(doing, (apis) => apis.promptEnhancer.saveConfig(config as PromptEnhancerConfig));
    setBusy(false);
    if (!answer) return;
    setSaved(answer);
    setDraft(answer);
    showToast({ tone: 'info', message: 'Prompt enhancer saved' });
  };

  const save = () => {
    const found = problems(draft);
    setIssues(found);
    if (found.length === 0) void store(draft, 'Saving the prompt enhancer');
  };

  return (
    <div className="prompt-enhancer" data-testid="prompt-enhancer">
      <p className="setting-help">
        The choices offered when a prompt is refined. Each option adds its instruction to the request; the six core
        groups and their options can be reworded but not removed.
      </p>
      {draft.groupOrder.map((groupId) => {
        const group = draft.groups[groupId];
        return group ? <GroupEditor key={groupId} group={group} config={draft} onChange={change} /> : null;
      })}
      <div className="pe-add-row">
        <input
          className="input"
          aria-label="New group name"
          placeholder="New group name"
          data-testid="pe-new-group"
          value={newGroup}
          onChange={(event) => setNewGroup(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && newGroup.trim()) {
              event.preventDefault();
              change(addGroup(draft, newGroup).config);
              setNewGroup('');
            }
          }}
        />
        <button
          type="button"
          className="button"
          data-testid="pe-add-group"
          disabled={!newGroup.trim()}
          onClick={() => {
            change(addGroup(draft, newGroup).config);
            setNewGroup('');
          }}
        >
          <Plus size={14} /> Add group
        </button>
      </div>
      {issues.length > 0 ? (
        <ul className="pe-issues" role="alert" data-testid="pe-issues">
          {issues.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      ) : null}
      <div className="ai-actions">
        <button
          type="button"
          className="button button-primary"
          data-testid="pe-save"
          disabled={busy || !dirty}
          onClick={save}
        >
          Save
        </button>
        <button type="button" className="button" disabled={busy || !dirty} onClick={() => change(saved)}>
          Discard changes
        </button>
        <button
          type="button"
          className="button button-ghost"
          data-testid="pe-reset"
          disabled={busy}
          onClick={() => void store({}, 'Restoring the prompt enhancer defaults')}
        >
          <RotateCcw size={14} /> Restore defaults
        </button>
      </div>
    </div>
  );
}

function GroupEditor({
  group,
  config,
  onChange,
}: {
  group: PromptEnhancerGroup;
  config: PromptEnhancerConfig;
  onChange(next: PromptEnhancerConfig): void;
}) {
  const [newOption, setNewOption] = useState('');
  const core = isCoreGroup(group.id);
  const set = (fields: Parameters<typeof updateGroup>[2]) => onChange(updateGroup(config, group.id, fields));
  const add = () => {
    onChange(addOption(config, group.id, newOption).config);
    setNewOption('');
  };
  return (
    <details className="pe-group" data-testid="pe-group" data-group={group.id}>
      <summary>
        <span className="pe-group-label">{group.label}</span>
        <span className="setting-help">
          {group.multiSelect ? 'any number' : 'one'} of {group.options.length}
          {core ? '' : ' · custom'}
        </span>
      </summary>
      <div className="pe-group-body">
        <div className="pe-grid">
          <TextField label="Label" value={group.label} testId="pe-group-label" onChange={(label) => set({ label })} />
          <TextField
            label="Summary heading"
            value={group.summaryHeading}
            onChange={(summaryHeading) => set({ summaryHeading })}
          />
        </div>
        <TextField label="Helper text" value={group.helperText ?? ''} onChange={(helperText) => set({ helperText })} />
        <div className="pe-row">
          <label className="pe-check">
            <input
              type="checkbox"
              checked={group.multiSelect}
              onChange={(event) => set({ multiSelect: event.target.checked })}
            />
            Several options may be chosen
          </label>
          {!group.multiSelect ? (
            <label className="pe-inline">
              Default
              <select
                className="input"
                value={group.defaultOptionId ?? ''}
                onChange={(event) => set({ defaultOptionId: event.target.value })}
              >
                {group.options.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.label}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {!core ? (
            <button
              type="button"
              className="button button-ghost pe-remove-group"
              data-testid="pe-remove-group"
              onClick={() => onChange(removeGroup(config, group.id))}
            >
              <Trash2 size={14} /> Remove group
            </button>
          ) : null}
        </div>
        {group.options.map((option) => (
          <OptionEditor
            key={option.id}
            groupId={group.id}
            option={option}
            onChange={(fields) => onChange(updateOption(config, group.id, option.id, fields))}
            onRemove={
              canRemoveOption(group.id, option.id)
                ? () => onChange(removeOption(config, group.id, option.id))
                : undefined
            }
          />
        ))}
        <div className="pe-add-row">
          <input
            className="input"
            aria-label={`New option for ${group.label}`}
            placeholder="New option name"
            data-testid="pe-new-option"
            value={newOption}
            onChange={(event) => setNewOption(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && newOption.trim()) {
                event.preventDefault();
                add();
              }
            }}
          />
          <button
            type="button"
            className="button"
            data-testid="pe-add-option"
            disabled={!newOption.trim()}
            onClick={add}
          >
            <Plus size={14} /> Add option
          </button>
        </div>
      </div>
    </details>
  );
}

function OptionEditor({
  groupId,
  option,
  onChange,
  onRemove,
}: {
  groupId: string;
  option: PromptEnhancerOption;
  onChange(fields: Parameters<typeof updateOption>[3]): void;
  onRemove: (() => void) | undefined;
}) {
  return (
    <fieldset className="pe-option" data-testid="pe-option" data-option={option.id}>
      <legend>
        <code>{option.id}</code>
        {onRemove ? (
          <IconButton label={`Remove option ${option.label}`} testId="pe-remove-option" onClick={onRemove}>
            <Trash2 size={13} />
          </IconButton>
        ) : null}
      </legend>
      <div className="pe-grid">
        <TextField
          label="Label"
          value={option.label}
          testId="pe-option-label"
          onChange={(label) => onChange({ label })}
        />
        <TextField
          label="Summary label"
          value={option.summaryLabel}
          onChange={(summaryLabel) => onChange({ summaryLabel })}
        />
      </div>
      <TextField
        label="Description"
        value={option.description ?? ''}
        onChange={(description) => onChange({ description })}
      />
      <label className="pe-field">
        <span>Instruction</span>
        <textarea
          className="input pe-instruction"
          aria-label={`Instruction of ${groupId} → ${option.label}`}
          data-testid="pe-option-instruction"
          rows={2}
          value={option.instruction}
          placeholder="The requirement this option adds, e.g. “The agent must …”"
          onChange={(event) => onChange({ instruction: event.target.value })}
        />
      </label>
    </fieldset>
  );
}

function TextField({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange(value: string): void;
  testId?: string;
}) {
  return (
    <label className="pe-field">
      <span>{label}</span>
      <input className="input" value={value} data-testid={testId} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}
