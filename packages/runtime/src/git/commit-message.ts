/**
 * `generate_commit_message` (git.md §4.3): the selected files' diffs go to an OpenAI-compatible
 * chat-completions endpoint, and the model's JSON answer comes back as `{ message }`.
 *
 * The reference called a hard-coded cloud endpoint with no key and a 4-minute wait for headers
 * only. Here the endpoint is the AI endpoint setting shared with prompt refinement
 * (`../ai/endpoint.ts`: Settings → AI, `CHAMBER_AI_*`, and for the commit message alone
 * `CHAMBER_COMMIT_MESSAGE_*` and the runtime's `git.commitMessage` options), and one timeout bounds
 * the whole exchange (headers and body). Statuses are the reference's and so are the 502
 * messages; every failure carries a `detail` that says what failed and where to change it, and
 * the failures the reference answered with a low-level text (500 `fetch failed`, `This operation
 * was aborted`) answer that explanation instead.
 */
import { RuntimeError } from '@chamber/contract';
import { aiFailure, chatCompletion, noContentDetail } from '../ai/chat.js';
import type { ResolvedAiEndpoint } from '../ai/endpoint.js';
import type { Logger } from '../logger.js';
import { getDiff } from './diff.js';
import type { GitRepo } from './repo.js';

export const COMMIT_MESSAGE_FAILURE = 'Failed to generate commit message';

/** Per-file diff budget, in UTF-16 code units like the reference (never splitting a surrogate pair). */
export const DIFF_SECTION_LIMIT = 4_000;

export function truncateDiff(diff: string, limit = DIFF_SECTION_LIMIT): string {
  if (diff.length <= limit) return diff;
  let end = limit;
  const code = diff.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return `${diff.slice(0, end)}\n...`;
}

/**
 * Each file's diff: the unstaged one, or, when the file's changes are all staged, the staged one
 * (the reference sent only unstaged diffs, so a fully staged selection always failed). Files whose
 * diff fails or is empty are skipped, as in the reference.
 */
export async function collectDiffs(repo: GitRepo, files: readonly string[]): Promise<{ path: string; diff: string }[]> {
  const sections: { path: string; diff: string }[] = [];
  for (const requested of files) {
    try {
      const file = await repo.resolveFile(requested);
      let diff = await getDiff(repo, file, { staged: false, contextLines: 3 });
      if (diff.trim() === '') diff = await getDiff(repo, file, { staged: true, contextLines: 3 });
      if (diff.trim() !== '') sections.push({ path: requested, diff });
    } catch (error) {
      if (error instanceof RuntimeError && error.status === 400) throw error; // a path outside the repository
    }
  }
  return sections;
}

const INSTRUCTIONS = [
  'Write a git commit message for the changes below.',
  'Reply with JSON only, shaped {"subject": string, "highlights": string[]}, and nothing around it (no Markdown fence).',
  'subject: a conventional commit "type(scope): summary", for example "feat(git): add branch picker" or "fix: keep scroll position".',
  'Use one of these types: feat, fix, chore, style, refactor, perf, docs, test, build, ci; use chore when none fits.',
  'Write the summary in the imperative mood, at most 70 characters, without a final period.',
  'Add a scope only when the file names or folders make it obvious.',
  'Base the subject on the change that matters most to a user; put the other major outcomes in highlights.',
  'highlights: two or three plain sentences of at most 90 characters each, each about a distinct feature or visible change.',
  'Name new controls, actions or stored state explicitly. Do not repeat the subject, do not name helper functions,',
  'and avoid subjective or promotional words. Leave highlights empty when there are fewer than two meaningful points.',
  'Plain text only, no bullets; start every highlight with a capitalised verb.',
].join('\n');

export function buildPrompt(sections: readonly { path: string; diff: string }[]): string {
  const body = sections.map(({ path, diff }) => `FILE: ${path}\n${truncateDiff(diff)}`).join('\n\n');
  return `${INSTRUCTIONS}\n\nDiff summary:\n${body}`;
}

export async function requestCommitMessage(
  endpoint: ResolvedAiEndpoint,
  prompt: string,
  logger: Logger,
  fetchImpl: typeof fetch = fetch,
): Promise<{ message: unknown }> {
  const { content } = await chatCompletion(
    endpoint,
    { messages: [{ role: 'user', content: prompt }], max_tokens: 3000, stream: false, reasoning: { effort: 'low' } },
    { failure: COMMIT_MESSAGE_FAILURE },
    logger,
    fetchImpl,
  );
  const raw = typeof content === 'string' ? content.trim() : '';
  if (!raw) {
    throw aiFailure(502, 'No commit message returned by generator', noContentDetail(endpoint, COMMIT_MESSAGE_FAILURE));
  }
  return { message: parseModelReply(raw) };
}

/** The first of (fence-stripped text, raw text) that is JSON starting with `{` or `[`, else the raw text as subject. */
export function parseModelReply(raw: string): unknown {
  const candidates = [...new Set([stripFence(raw), raw])].filter(Boolean);
  for (const candidate of candidates) {
    if (!candidate.startsWith('{') && !candidate.startsWith('[')) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next candidate
    }
  }
  return { subject: raw, highlights: [] };
}

function stripFence(text: string): string {
  let stripped = text.replace(/^```(?:json)?\s*/i, '');
  const close = stripped.lastIndexOf('```');
  if (close !== -1) stripped = stripped.slice(0, close);
  return stripped.trim().replace(/```$/, '').trim();
}
