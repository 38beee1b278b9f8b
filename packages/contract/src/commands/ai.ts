/**
 * Chamber's AI endpoint setting (no reference counterpart: the reference called one hard-coded
 * endpoint): the OpenAI-compatible endpoint, model, API key and timeout that prompt refinement
 * and the AI commit message use. Routes live under `/api/chamber/`, Chamber's own namespace.
 */
import { RuntimeError } from '../errors.js';
import type { AiEndpointSettings, AiEndpointTestResult } from './prompts-types.js';
import { number, object, optional, string, type Schema } from '../schema.js';
import { defineCommand, type HttpArgSource } from './define.js';

/** Longest URL accepted for the endpoint. */
export const AI_URL_MAX_LENGTH = 2_048;
/** Bounds of the timeout a client may set (ms); 0 restores the default. */
export const AI_TIMEOUT_MIN_MS = 1_000;
export const AI_TIMEOUT_MAX_MS = 3_600_000;

/**
 * Why `value` cannot be the endpoint URL, or undefined when it can ('' = back to the default).
 * A syntactic check (the contract has no `URL` class: it runs without DOM or Node types); the
 * runtime parses the URL properly when it calls it.
 */
/** The AI endpoint "the model configured in OpenCode" (answered through the supervised OpenCode). */
export const OPENCODE_AI_URL = 'opencode:';

export function aiUrlProblem(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === OPENCODE_AI_URL) return undefined;
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(trimmed);
  if (!match || /\s/.test(trimmed)) return 'must be an absolute http:// or https:// URL';
  const scheme = (match[1] ?? '').toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return 'must be an http:// or https:// URL';
  const authority = match[2] ?? '';
  if (authority.includes('@')) return 'must not contain credentials (use the API key field)';
  if (authority === '' || authority.startsWith(':')) return 'must name a host';
  return undefined;
}

function checked(inner: Schema<string>, problem: (value: string) => string | undefined): Schema<string> {
  return {
    optional: false,
    description: inner.description,
    parse(value, label) {
      const parsed = inner.parse(value, label);
      const why = problem(parsed);
      if (why) throw new RuntimeError(400, `${label} ${why}`);
      return parsed;
    },
  };
}

// Control characters would break the header the key travels in, or the JSON the model gets.
function noControl(value: string): string | undefined {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return 'must not contain control characters';
  }
  return undefined;
}

const timeout: Schema<number> = {
  optional: false,
  description: 'integer',
  parse(value, label) {
    const parsed = number({ integer: true, min: 0, max: AI_TIMEOUT_MAX_MS }).parse(value, label);
    if (parsed !== 0 && parsed < AI_TIMEOUT_MIN_MS) {
      throw new RuntimeError(400, `${label} must be 0 (the default) or at least ${AI_TIMEOUT_MIN_MS}`);
    }
    return parsed;
  },
};

const changeArgs = object({
  url: optional(checked(string({ maxLength: AI_URL_MAX_LENGTH }), aiUrlProblem)),
  model: optional(checked(string({ maxLength: 256 }), noControl)),
  apiKey: optional(checked(string({ maxLength: 4_096 }), noControl)),
  timeoutMs: optional(timeout),
});

const body = (name: string): HttpArgSource => ({ from: 'body', name });
const changeBinding = { url: body('url'), model: body('model'), apiKey: body('apiKey'), timeoutMs: body('timeoutMs') };

export type AiCommandName = 'get_ai_endpoint' | 'save_ai_endpoint' | 'test_ai_endpoint';

export const aiCommands = {
  get_ai_endpoint: defineCommand<AiEndpointSettings>()({
    description: 'The AI endpoint refine and the commit message use, where each value comes from; the key masked.',
    args: object({}),
    http: { method: 'GET', path: '/api/chamber/ai-endpoint', args: {} },
    fallbackError: 'Failed to load the AI endpoint setting',
  }),
  save_ai_endpoint: defineCommand<AiEndpointSettings>()({
    description: "Change the stored AI endpoint (ai-endpoint.json): absent members stay, '' or 0 restore a default.",
    args: changeArgs,
    http: { method: 'PUT', path: '/api/chamber/ai-endpoint', args: changeBinding },
    fallbackError: 'Failed to save the AI endpoint setting',
  }),
  test_ai_endpoint: defineCommand<AiEndpointTestResult>()({
    description: 'Send one tiny chat completion to the effective endpoint, with the given changes applied (not saved).',
    args: changeArgs,
    http: { method: 'POST', path: '/api/chamber/ai-endpoint/test', args: changeBinding },
    fallbackError: 'AI endpoint test failed',
  }),
} as const;
