/**
 * Settings → AI: the OpenAI-compatible endpoint that prompt refinement and "Write with AI" use
 * (stored by the runtime in ai-endpoint.json). The key is write-only: the runtime answers only a
 * mask of it. A field set by an environment variable is shown read-only with the variable's name,
 * since the variable would override whatever is saved here.
 */
import { Check, PlugZap } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import {
  OPENCODE_AI_URL,
  type AiEndpointChanges,
  type AiEndpointField,
  type AiEndpointSettings,
} from '@chamber/contract';
import { attempt, attemptOutcome } from '../state/runtime.js';

interface Draft {
  url: string;
  model: string;
  /** '' = keep the saved key. */
  apiKey: string;
  removeKey: boolean;
  timeoutSeconds: string;
}

type Status = { tone: 'ok' | 'error' | 'info'; text: string } | null;

function draftOf(settings: AiEndpointSettings): Draft {
  return {
    url: settings.url,
    // Through OpenCode the reference's default model means nothing: empty is OpenCode's own.
    model: settings.url === OPENCODE_AI_URL && settings.model === settings.defaults.model ? '' : settings.model,
    apiKey: '',
    removeKey: false,
    timeoutSeconds: String(Math.round(settings.timeoutMs / 1000)),
  };
}

/** The changes the form holds, leaving out fields an environment variable decides. */
function changesOf(draft: Draft, settings: AiEndpointSettings): AiEndpointChanges | string {
  const locked = (field: AiEndpointField) => settings.variables[field] !== undefined;
  const changes: AiEndpointChanges = {};
  if (!locked('url')) changes.url = draft.url.trim() === settings.defaults.url ? '' : draft.url.trim();
  if (!locked('model')) changes.model = draft.model.trim() === settings.defaults.model ? '' : draft.model.trim();
  if (!locked('apiKey')) {
    if (draft.removeKey) changes.apiKey = '';
    else if (draft.apiKey !== '') changes.apiKey = draft.apiKey;
  }
  if (!locked('timeoutMs')) {
    const seconds = Number(draft.timeoutSeconds);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600)
      return 'The timeout must be between 1 and 3600 seconds.';
    const ms = Math.round(seconds * 1000);
    changes.timeoutMs = ms === settings.defaults.timeoutMs ? 0 : ms;
  }
  return changes;
}

export function AiEndpointSection() {
  const [settings, setSettings] = useState<AiEndpointSettings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState<'save' | 'test' | null>(null);
  const [status, setStatus] = useState<Status>(null);

  useEffect(() => {
    let live = true;
    void attempt('Loading the AI endpoint', (apis) => apis.ai.getEndpoint()).then((loaded) => {
      if (!live || !loaded) return;
      setSettings(loaded);
      setDraft(draftOf(loaded));
    });
    return () => {
      live = false;
    };
  }, []);

  if (!settings || !draft) {
    return <p className="setting-help">Loading…</p>;
  }

  const edit = (fields: Partial<Draft>) => {
    setDraft({ ...draft, ...fields });
    setStatus(null);
  };

  const save = async () => {
    const changes = changesOf(draft, settings);
    if (typeof changes === 'string') return setStatus({ tone: 'error', text: changes });
    setBusy('save');
    const saved = await attempt('Saving the AI endpoint', (apis) => apis.ai.saveEndpoint(changes));
    setBusy(null);
    if (!saved) return;
    setSettings(saved);
    setDraft(draftOf(saved));
    setStatus({ tone: 'info', text: 'Saved. Refine and “Write with AI” use it from now on.' });
  };

  const test = async () => {
    const changes = changesOf(draft, settings);
    if (typeof changes === 'string') return setStatus({ tone: 'error', text: changes });
    setBusy('test');
    setStatus({ tone: 'info', text: 'Testing…' });
    const outcome = await attemptOutcome('Testing the AI endpoint', (apis) => apis.ai.testEndpoint(changes));
    setBusy(null);
    setStatus(
      outcome.ok
        ? {
            tone: 'ok',
            text: `It works: ${outcome.value.model} answered${outcome.value.reply ? ` “${outcome.value.reply}”` : ''} in ${outcome.value.durationMs} ms.`,
          }
        : { tone: 'error', text: outcome.message },
    );
  };

  const lockedNote = (field: AiEndpointField) => {
    const variable = settings.variables[field];
    return variable ? `Set by the environment variable ${variable}, which overrides this setting.` : undefined;
  };

  const viaOpenCode = draft.url.trim() === OPENCODE_AI_URL;

  return (
    <div className="ai-endpoint" data-testid="ai-endpoint">
      <p className="setting-help">
        Prompt refinement and “Write with AI” send their requests to this OpenAI-compatible endpoint (for example a
        local Ollama or LM Studio server). Empty fields use the defaults.
      </p>
      <label className="ai-use-opencode">
        <input
          type="checkbox"
          data-testid="ai-use-opencode"
          checked={viaOpenCode}
          disabled={settings.variables.url !== undefined}
          // The endpoint `opencode:` is the model configured in OpenCode: no second endpoint or key.
          onChange={(event) =>
            edit(
              event.target.checked
                ? {
                    url: OPENCODE_AI_URL,
                    ...(draft.model.trim() === settings.defaults.model ? { model: '' } : {}),
                  }
                : { url: '' },
            )
          }
        />
        Use the model OpenCode is configured with
      </label>
      <Field
        label="Endpoint URL"
        help={
          lockedNote('url') ??
          (viaOpenCode
            ? 'Requests go to the OpenCode agent this server runs, as one throwaway session without tools.'
            : `A base URL (…/v1) or a full …/chat/completions URL. Requests go to ${settings.chatCompletionsUrl}`)
        }
      >
        <input
          className="input"
          data-testid="ai-url"
          aria-label="Endpoint URL"
          value={draft.url}
          placeholder={settings.defaults.url}
          disabled={settings.variables.url !== undefined}
          spellCheck={false}
          onChange={(event) => edit({ url: event.target.value })}
        />
      </Field>
      <Field
        label="Model"
        help={
          lockedNote('model') ??
          (viaOpenCode
            ? 'Empty: OpenCode’s default model; or provider/model, e.g. anthropic/claude-sonnet-4.'
            : 'The model name the endpoint knows.')
        }
      >
        <input
          className="input"
          data-testid="ai-model"
          aria-label="Model"
          value={draft.model}
          placeholder={viaOpenCode ? 'OpenCode’s default' : settings.defaults.model}
          disabled={settings.variables.model !== undefined}
          spellCheck={false}
          onChange={(event) => edit({ model: event.target.value })}
        />
      </Field>
      <Field
        label="API key"
        help={
          lockedNote('apiKey') ??
          (viaOpenCode
            ? 'Not used: OpenCode talks to its model with its own credentials.'
            : settings.apiKeySet
              ? `A key is saved (${settings.apiKeyHint}); type a new one to replace it.`
              : 'Sent as “Authorization: Bearer …”; leave empty when the endpoint needs none.')
        }
      >
        <div className="ai-key-row">
          <input
            className="input"
            type="password"
            data-testid="ai-key"
            aria-label="API key"
            value={draft.apiKey}
            placeholder={draft.removeKey ? 'No key' : settings.apiKeySet ? settings.apiKeyHint : 'No key'}
            disabled={settings.variables.apiKey !== undefined || draft.removeKey}
            autoComplete="off"
            onChange={(event) => edit({ apiKey: event.target.value })}
          />
          {settings.apiKeySet && settings.variables.apiKey === undefined ? (
            <label className="ai-remove-key">
              <input
                type="checkbox"
                checked={draft.removeKey}
                data-testid="ai-remove-key"
                onChange={(event) => edit({ removeKey: event.target.checked, apiKey: '' })}
              />
              Remove
            </label>
          ) : null}
        </div>
      </Field>
      <Field
        label="Timeout (seconds)"
        help={lockedNote('timeoutMs') ?? 'How long one request may take, answer included.'}
      >
        <input
          className="input ai-timeout"
          type="number"
          min={1}
          max={3600}
          data-testid="ai-timeout"
          aria-label="Timeout in seconds"
          value={draft.timeoutSeconds}
          disabled={settings.variables.timeoutMs !== undefined}
          onChange={(event) => edit({ timeoutSeconds: event.target.value })}
        />
      </Field>
      {settings.commitMessageOverrides.length > 0 ? (
        <p className="setting-help" data-testid="ai-commit-overrides">
          “Write with AI” also follows {settings.commitMessageOverrides.join(', ')}, which override this setting for
          commit messages.
        </p>
      ) : null}
      <div className="ai-actions">
        <button
          type="button"
          className="button button-primary"
          data-testid="ai-save"
          disabled={busy !== null}
          onClick={() => void save()}
        >
          <Check size={14} /> Save
        </button>
        <button
          type="button"
          className="button"
          data-testid="ai-test"
          disabled={busy !== null}
          onClick={() => void test()}
        >
          <PlugZap size={14} /> Test
        </button>
        {status ? (
          <span className={`ai-status ai-status-${status.tone}`} data-testid="ai-status" role="status">
            {status.text}
          </span>
        ) : null}
      </div>
    </div>
  );
}

/** A labelled field; its input carries the same text as `aria-label` (no nested <label>s). */
function Field({ label, help, children }: { label: string; help: string; children: ReactNode }) {
  return (
    <div className="setting setting-stacked ai-field">
      <span className="setting-label">{label}</span>
      {children}
      <span className="setting-help">{help}</span>
    </div>
  );
}
