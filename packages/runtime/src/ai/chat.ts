/**
 * One non-streaming chat completion against the configured OpenAI-compatible endpoint, shared by
 * prompt refinement, the AI commit message and the settings view's test.
 *
 * Failures keep the reference's status and, where the contract fixes one, its exact message
 * (e.g. 502 `Failed to refine prompt` for a non-2xx answer); every failure also carries a
 * `detail` saying what failed and where to change it, e.g. `Failed to refine prompt: could not
 * reach http://127.0.0.1:9/v1/chat/completions (ECONNREFUSED) — set the AI endpoint in Settings →
 * AI`. Where the reference answered an arbitrary low-level text (`fetch failed`, `This operation
 * was aborted`, a JSON parser message, all 500) the message is that explanation too.
 */
import { RuntimeError, type AiEndpointField } from '@chamber/contract';
import type { Logger } from '../logger.js';
import { assertUsableUrl, type ResolvedAiEndpoint } from './endpoint.js';

export interface ChatFeature {
  /** Leading words of every explanation and the 502 message of a non-2xx answer. */
  failure: string;
}

const SETTINGS = 'Settings → AI';

/**
 * Where a person changes what caused a failure: the environment variable or runtime option that
 * set one of `fields` (they override the settings), else `action` (a sentence about Settings → AI).
 */
export function whereToChange(
  endpoint: ResolvedAiEndpoint,
  fields: readonly AiEndpointField[],
  action: string,
): string {
  const variables = fields.flatMap((field) => (endpoint.variables[field] ? [endpoint.variables[field]] : []));
  if (variables.length > 0) {
    return `change ${[...new Set(variables)].join(' / ')} in the environment (it overrides ${SETTINGS})`;
  }
  if (fields.some((field) => endpoint.sources[field] === 'options')) {
    return "change the runtime's git.commitMessage options (they override " + SETTINGS + ')';
  }
  return action;
}

/** A failure whose `message` is the contract's exact string, explained in `detail`. */
export function aiFailure(status: number, message: string, detail: string): RuntimeError {
  return new RuntimeError(status, message, { detail });
}

/** A failure whose message is free (the reference passed a low-level text): the explanation itself. */
function explained(status: number, detail: string): RuntimeError {
  return new RuntimeError(status, detail, { detail });
}

/** One line, at most `limit` characters, for quoting an upstream text in a message. */
export function snippet(text: string, limit = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

/** The error text an OpenAI-compatible server put in its error body, if any. */
function upstreamErrorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown } | null;
    const error = body?.error;
    if (typeof error === 'string') return snippet(error);
    const nested = (error as { message?: unknown } | null | undefined)?.message;
    if (typeof nested === 'string') return snippet(nested);
    if (typeof body?.message === 'string') return snippet(body.message);
    if (typeof body?.detail === 'string') return snippet(body.detail);
  } catch {
    // not JSON: quote the text itself
  }
  return snippet(text);
}

/** Why a connection failed, as short as possible: `ECONNREFUSED`, `ENOTFOUND`, `other side closed`. */
function connectionProblem(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if (code && /^E[A-Z0-9_]+$/.test(code)) return code;
  if (typeof cause?.message === 'string' && cause.message) return cause.message;
  if (code) return code;
  return error instanceof Error ? error.message : String(error);
}

export interface ChatCompletionResult {
  /** `choices[0].message.content` as the endpoint sent it (any type; the caller checks). */
  content: unknown;
  /** The whole parsed answer. */
  payload: unknown;
}

/**
 * POST `body` (the model is added) and return the parsed answer. Throws a `RuntimeError` with a
 * `detail` for: a URL that is no http(s) URL, no connection, the timeout (one bound on the whole
 * exchange, headers and body), a non-2xx status (502 `feature.failure`), a body that is not JSON.
 */
export async function chatCompletion(
  endpoint: ResolvedAiEndpoint,
  body: Record<string, unknown>,
  feature: ChatFeature,
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<ChatCompletionResult> {
  const { failure } = feature;
  const url = endpoint.chatCompletionsUrl;
  assertUsableUrl(endpoint, failure, whereToChange(endpoint, ['url'], `set the AI endpoint in ${SETTINGS}`));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), endpoint.timeoutMs);
  let status: number;
  let statusText: string;
  let text: string;
  try {
    const response = await (endpoint.fetch ?? fetchImpl)(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(endpoint.apiKey ? { Authorization: `Bearer ${endpoint.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: endpoint.model, ...body }),
      signal: controller.signal,
    });
    status = response.status;
    statusText = response.statusText;
    text = await response.text();
  } catch (error) {
    if (controller.signal.aborted) {
      const seconds = Math.round(endpoint.timeoutMs / 100) / 10;
      throw explained(
        500,
        `${failure}: ${url} did not answer within ${seconds} s — ${whereToChange(
          endpoint,
          ['timeoutMs', 'url'],
          `raise the timeout or choose another endpoint in ${SETTINGS}`,
        )}`,
      );
    }
    const problem = connectionProblem(error);
    logger.log('warn', 'AI endpoint unreachable', { endpoint: url, error: problem });
    throw explained(
      500,
      `${failure}: could not reach ${url} (${problem}) — ${whereToChange(endpoint, ['url'], `set the AI endpoint in ${SETTINGS}`)}`,
    );
  } finally {
    clearTimeout(timer);
  }
  if (status < 200 || status > 299) {
    logger.log('warn', 'AI endpoint answered an error', { endpoint: url, status, body: text.slice(0, 500) });
    const said = upstreamErrorText(text);
    throw aiFailure(
      502,
      failure,
      `${failure}: ${url} answered ${status}${statusText ? ` ${statusText}` : ''}${said ? `: ${said}` : ''} — ${whereToChange(
        endpoint,
        ['url', 'model', 'apiKey'],
        `check the endpoint, model and API key in ${SETTINGS}`,
      )}`,
    );
  }
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw explained(
      500,
      `${failure}: ${url} answered with a body that is not JSON (${snippet(text, 80) || 'empty'}) — ${whereToChange(
        endpoint,
        ['url'],
        `is it an OpenAI-compatible chat-completions endpoint? Check the URL in ${SETTINGS}`,
      )}`,
    );
  }
  const content = (payload as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message
    ?.content;
  return { content, payload };
}

/** The explanation for an answer without text (the caller picks the 502 message). */
export function noContentDetail(endpoint: ResolvedAiEndpoint, failure: string): string {
  return `${failure}: model "${endpoint.model}" at ${endpoint.chatCompletionsUrl} returned no text — ${whereToChange(
    endpoint,
    ['model'],
    `check the model in ${SETTINGS}`,
  )}`;
}
