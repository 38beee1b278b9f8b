/**
 * git's `--progress` lines (`Receiving objects:  45% (9/20), 1.00 KiB | 1.00 MiB/s`,
 * `remote: Counting objects: 100% (3/3), done.`, `Enumerating objects: 4, done.`) become
 * progress events; the same lines are removed from error text, which then reads exactly as git's
 * output without `--progress` (what the reference's messages were made of).
 */
import type { GitProgressEvent } from '@chamber/contract';

const PERCENT = /^(remote: )?([A-Za-z][A-Za-z ]*?):\s+(\d{1,3})% \((\d+)\/(\d+)\)(.*)$/;
const COUNT = /^(remote: )?([A-Za-z][A-Za-z ]*?):\s+(\d+)(, done\.?)?\s*$/;
/** Summary lines git prints only along with progress. */
const PROGRESS_ONLY = [/^(remote: )?Total \d+ \(delta \d+\)/, /^(remote: )?Delta compression using up to \d+ threads/];

export type ProgressFields = Omit<GitProgressEvent, 'operation' | 'directory'>;

export function parseProgressLine(line: string): ProgressFields | null {
  const percent = PERCENT.exec(line);
  if (percent) {
    const [, remote, phase = '', value = '0', current = '0', total = '0', rest = ''] = percent;
    return {
      phase,
      remote: remote !== undefined,
      percent: Math.min(100, Number(value)),
      current: Number(current),
      total: Number(total),
      done: /, done\.?\s*$/.test(rest),
      line,
    };
  }
  const count = COUNT.exec(line);
  if (count) {
    const [, remote, phase = '', current = '0', done] = count;
    return {
      phase,
      remote: remote !== undefined,
      percent: null,
      current: Number(current),
      total: null,
      done: !!done,
      line,
    };
  }
  return null;
}

/** stderr without progress redraws and progress-only summaries; every other line kept verbatim. */
export function stripProgress(text: string): string {
  if (!text.includes('\r') && !text.split('\n').some(isProgressNoise)) return text;
  const kept: string[] = [];
  const lines = text.split('\n');
  const trailingNewline = text.endsWith('\n');
  if (trailingNewline) lines.pop();
  for (const raw of lines) {
    const segments = raw.split('\r').filter((segment) => segment !== '');
    // A terminal shows the last redraw; anything else on the line was progress being replaced.
    const shown = segments[segments.length - 1] ?? '';
    if (segments.length > 0 && isProgressNoise(shown)) continue;
    kept.push(shown);
  }
  return kept.length === 0 ? '' : kept.join('\n') + (trailingNewline ? '\n' : '');
}

function isProgressNoise(line: string): boolean {
  return parseProgressLine(line) !== null || PROGRESS_ONLY.some((pattern) => pattern.test(line));
}
