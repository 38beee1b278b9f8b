/**
 * Which characters of a search hit to highlight. The runtime ranks hits (fuzzysort) but does not
 * say where they matched, so the UI finds the match again: a contiguous substring when there is
 * one, else the query's characters in order, preferring the starts of words.
 */

export type Range = readonly [start: number, end: number];

const WORD_BREAK = /[\s/\\._-]/;

function isWordStart(text: string, index: number): boolean {
  if (index === 0) return true;
  const previous = text[index - 1] as string;
  const current = text[index] as string;
  if (WORD_BREAK.test(previous)) return true;
  return previous === previous.toLowerCase() && current !== current.toLowerCase(); // camelCase hump
}

/** Merge adjacent indexes into [start, end) ranges. */
function toRanges(indexes: readonly number[]): Range[] {
  const ranges: [number, number][] = [];
  for (const index of indexes) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === index) last[1] = index + 1;
    else ranges.push([index, index + 1]);
  }
  return ranges;
}

/**
 * Ranges of `text` matched by `query` (case-insensitive, whitespace in the query ignored), or
 * null when the characters of `query` do not all occur in order.
 */
export function matchRanges(text: string, query: string): Range[] | null {
  const needle = query.replace(/\s+/g, '').toLowerCase();
  if (needle === '') return [];
  const haystack = text.toLowerCase();
  const exact = haystack.indexOf(needle);
  if (exact >= 0) return [[exact, exact + needle.length]];

  // In-order match; each character prefers a word start that still leaves room for the rest.
  const indexes: number[] = [];
  let from = 0;
  for (let n = 0; n < needle.length; n++) {
    const char = needle[n] as string;
    let found = -1;
    let fallback = -1;
    for (let i = from; i < haystack.length; i++) {
      if (haystack[i] !== char) continue;
      if (fallback < 0) fallback = i;
      if (isWordStart(text, i) && canFinish(haystack, needle, n + 1, i + 1)) {
        found = i;
        break;
      }
    }
    if (found < 0) found = fallback;
    if (found < 0) return null;
    indexes.push(found);
    from = found + 1;
  }
  return toRanges(indexes);
}

function canFinish(haystack: string, needle: string, nextChar: number, from: number): boolean {
  let at = from;
  for (let n = nextChar; n < needle.length; n++) {
    at = haystack.indexOf(needle[n] as string, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

export interface HitHighlight {
  name: string;
  directory: string;
  nameRanges: Range[];
  directoryRanges: Range[];
}

/**
 * Split a hit's relative path into file name and directory, with the ranges of each. The name is
 * tried first (people type file names); a query that only fits the whole path is shown there.
 */
export function highlightHit(relativePath: string, query: string): HitHighlight {
  const cut = relativePath.lastIndexOf('/');
  const name = relativePath.slice(cut + 1);
  const directory = cut >= 0 ? relativePath.slice(0, cut) : '';
  const inName = matchRanges(name, query);
  if (inName) return { name, directory, nameRanges: inName, directoryRanges: [] };
  const inPath = matchRanges(relativePath, query) ?? [];
  const nameStart = cut + 1;
  const nameRanges: Range[] = [];
  const directoryRanges: Range[] = [];
  for (const [start, end] of inPath) {
    if (end <= cut) directoryRanges.push([start, end]);
    else if (start >= nameStart) nameRanges.push([start - nameStart, end - nameStart]);
    else {
      // A range across the '/': split it at the separator.
      if (start < cut) directoryRanges.push([start, cut]);
      if (end > nameStart) nameRanges.push([0, end - nameStart]);
    }
  }
  return { name, directory, nameRanges, directoryRanges };
}

/** Cut `text` into alternating plain and matched pieces for rendering. */
export function splitByRanges(text: string, ranges: readonly Range[]): { text: string; match: boolean }[] {
  const pieces: { text: string; match: boolean }[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) pieces.push({ text: text.slice(at, start), match: false });
    if (end > start) pieces.push({ text: text.slice(start, end), match: true });
    at = Math.max(at, end);
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}
