/**
 * `POST /api/prompts/refine`'s exchange with the model (settings-config-prompts.md §4.6): the
 * reference's request body to the configured endpoint (see `../ai/`), then its reading of the
 * answer, status for status and message for message. Each 502 also carries a `detail`.
 */
import type { ChatMessage, RefineResponse } from '@chamber/contract';
import { aiFailure, chatCompletion, noContentDetail, snippet } from '../ai/chat.js';
import type { ResolvedAiEndpoint } from '../ai/endpoint.js';
import type { Logger } from '../logger.js';

export const REFINE_FAILURE = 'Failed to refine prompt';

const RETRY = 'try again, or choose another model in Settings → AI';

/**
 * Step 4 of §4.6: trim; a leading fence (with an optional `json` tag, any case, and the whitespace
 * after it) is removed and the text cut at the last remaining fence; a trailing fence left over
 * is removed too. Nothing left → the trimmed raw text. Prose around JSON is not searched.
 */
export function stripCodeFence(raw: string): string {
  const text = raw.trim();
  let cleaned = text;
  if (cleaned.startsWith('```')) {
    cleaned = cleaned.replace(/^```(?:json)?\s*/i, '');
    const close = cleaned.lastIndexOf('```');
    if (close !== -1) cleaned = cleaned.slice(0, close);
    cleaned = cleaned.trim();
  }
  if (cleaned.endsWith('```')) cleaned = cleaned.slice(0, -3).trim();
  return cleaned || text;
}

/** Steps 3–7 of §4.6 on the answer's `choices[0].message.content`. */
export function readRefinement(content: unknown, endpoint: ResolvedAiEndpoint): RefineResponse {
  if (typeof content !== 'string' || content === '') {
    throw aiFailure(502, 'No prompt returned by generator', noContentDetail(endpoint, REFINE_FAILURE));
  }
  const cleaned = stripCodeFence(content);
  let parsed: unknown;
  try {
    parsed = JSON.parse(cleaned);
  } catch {
    throw aiFailure(
      502,
      'Failed to parse refinement response',
      `${REFINE_FAILURE}: the model's answer is not the JSON object that was asked for (${snippet(cleaned, 80)}) — ${RETRY}`,
    );
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as {
    prompt?: unknown;
    rationale?: unknown;
  };
  const prompt = typeof record.prompt === 'string' ? record.prompt.trim() : '';
  const rationale = Array.isArray(record.rationale)
    ? record.rationale.flatMap((item) => (typeof item === 'string' && item.trim() ? [item.trim()] : []))
    : [];
  if (!prompt) {
    throw aiFailure(
      502,
      'Refinement response missing prompt',
      `${REFINE_FAILURE}: the model's answer has no "prompt" text — ${RETRY}`,
    );
  }
  return { prompt, rationale };
}

export async function requestRefinement(
  endpoint: ResolvedAiEndpoint,
  messages: readonly ChatMessage[],
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<RefineResponse> {
  const { content } = await chatCompletion(
    endpoint,
    { temperature: 0.7, max_tokens: 3000, stream: false, reasoning: { effort: 'low' }, messages },
    { failure: REFINE_FAILURE },
    logger,
    fetchImpl,
  );
  return readRefinement(content, endpoint);
}
