/**
 * Fuzzy ranking of a file listing. Every file is considered (no early stop), only the best `limit`
 * are kept (bounded heap), so cost is O(files · log limit) and the result never depends on walk
 * order — unlike the reference, which returned the first `limit` substring hits in BFS order.
 */
import fuzzysort from 'fuzzysort';
import type { Prepared } from 'fuzzysort';

/**
 * Added to a basename score so a name match outweighs a path-only match. Normalised fuzzysort
 * scores lie in (0, 1]: 1 is exact, ~0.8–0.95 a substring, ~0.3 scattered letters. So a name
 * substring (≥ 1.3) always beats a path-only hit, a scattered name hit (`usr` in `users.ts`:
 * 0.36 → 0.86) beats a typical path hit (`src/user/reducer.ts`: 0.70) but not a near-exact one.
 */
export const NAME_BONUS = 0.5;

interface PreparedListing {
  /** Lower-cased paths, for the cheap subsequence pre-filter; made for files that pass the bits. */
  lower: (string | undefined)[];
  /** fuzzysort-compatible character-class bits per path; -1 = "always a candidate". */
  flags: Int32Array;
  /** How many of `flags` are set (the listing's length when they were). */
  size: number;
  /** fuzzysort targets, prepared lazily: only files that pass the pre-filter ever need one. */
  paths: (Prepared | undefined)[];
  names: (Prepared | undefined)[];
}

/**
 * fuzzysort.prepare costs ~2 µs and ~1 KB per 50-char path (lower-cased copy, char-code array,
 * result object), i.e. ~200 ms and ~90 MB for 100k paths. So it is done lazily, only for files
 * that pass a pre-filter (same character bits as fuzzysort, then an in-order subsequence check —
 * exactly fuzzysort's own necessary condition), and only the most recently queried listings keep
 * their prepared targets. Keyed by the listing array's identity: FileIndex hands out the same
 * array while the listing is cached (and keeps it when a refresh finds the same files).
 */
const PREPARED_CACHE_SIZE = 2;
const preparedCache = new Map<readonly string[], PreparedListing>();

/** The bit of each ASCII code for `charBits` (upper case as lower case), -1 for a remapped one. */
const CHAR_BITS = Int32Array.from({ length: 128 }, (_, code) => {
  if (code === 92 || code === 34 || code === 96) return -1;
  const lower = code >= 65 && code <= 90 ? code + 32 : code;
  return 1 << (lower >= 97 && lower <= 122 ? lower - 97 : lower >= 48 && lower <= 57 ? 26 : lower === 32 ? 27 : 30);
});

/**
 * fuzzysort's character-class bits of the lower-cased text (a-z → 0..25, digits → 26, space → 27,
 * other ASCII → 30), or -1 when the text holds characters fuzzysort remaps before matching
 * (non-ASCII, `\\`, `"`, backtick): the pre-filter cannot predict those, so such paths are always
 * candidates. Read from the text as it is (a table folds the case): lower-casing every path up
 * front cost a cold search as much again, and only the files that pass the bits need it.
 */
function charBits(text: string): number {
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const bit = code < 128 ? (CHAR_BITS[code] as number) : -1;
    if (bit === -1) return -1;
    bits |= bit;
  }
  return bits;
}

/**
 * The prepared form of `files`. A listing may grow after it was first ranked (its tracked files
 * arrive before the untracked ones, and are ranked while git still walks the work tree: see
 * `Ranking`): the entry is then extended, never rebuilt.
 */
function preparedFor(files: readonly string[]): PreparedListing {
  let entry = preparedCache.get(files);
  if (entry) {
    preparedCache.delete(files); // re-insert: Map order is the LRU order
    if (entry.size < files.length) growFlags(entry, files);
  } else {
    entry = { lower: [], flags: new Int32Array(0), size: 0, paths: [], names: [] };
    growFlags(entry, files);
    if (preparedCache.size >= PREPARED_CACHE_SIZE) {
      const oldest = preparedCache.keys().next();
      if (!oldest.done) preparedCache.delete(oldest.value);
    }
  }
  preparedCache.set(files, entry);
  return entry;
}

/** Bits for the files appended since; the array keeps spare room, as a growing listing is fed in chunks. */
function growFlags(entry: PreparedListing, files: readonly string[]): void {
  if (entry.flags.length < files.length) {
    const flags = new Int32Array(entry.size === 0 ? files.length : Math.max(files.length, entry.flags.length * 2));
    flags.set(entry.flags.subarray(0, entry.size));
    entry.flags = flags;
  }
  for (let i = entry.size; i < files.length; i++) entry.flags[i] = charBits(files[i] as string);
  entry.size = files.length;
}

/** Whether the characters of `needle` occur in order in `haystack` from `at` (both lower-cased). */
function isSubsequence(needle: string, haystack: string, at = 0): boolean {
  for (let i = 0; i < needle.length; i++) {
    at = haystack.indexOf(needle[i] as string, at);
    if (at === -1) return false;
    at++;
  }
  return true;
}

/** Depth (number of '/') per file; cheap, so a WeakMap tied to the listing's lifetime is fine. */
const depthCache = new WeakMap<readonly string[], { depths: Uint16Array; size: number }>();

/** Depths of `files`, extended (with spare room, like `growFlags`) when the listing grew. */
function depthsFor(files: readonly string[]): Uint16Array {
  let known = depthCache.get(files);
  if (known && known.size >= files.length) return known.depths;
  if (!known) depthCache.set(files, (known = { depths: new Uint16Array(files.length), size: 0 }));
  if (known.depths.length < files.length) {
    const depths = new Uint16Array(Math.max(files.length, known.depths.length * 2));
    depths.set(known.depths.subarray(0, known.size));
    known.depths = depths;
  }
  const depths = known.depths;
  for (let i = known.size; i < files.length; i++) {
    const file = files[i] as string;
    let depth = 0;
    for (let at = file.indexOf('/'); at !== -1; at = file.indexOf('/', at + 1)) depth++;
    depths[i] = Math.min(depth, 0xffff);
  }
  known.size = files.length;
  return depths;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Keeps the `limit` best items seen. A max-heap on "worseness": the root is the worst kept item,
 * so a new candidate is compared once against it and usually rejected in O(1).
 */
class TopK<T> {
  private readonly items: T[] = [];
  /** `better(a, b) < 0` when a ranks before b. */
  constructor(
    private readonly limit: number,
    private readonly better: (a: T, b: T) => number,
  ) {}

  full(): boolean {
    return this.items.length >= this.limit;
  }

  /** Whether `item` would be kept; lets callers skip building candidates that cannot make it. */
  admits(item: T): boolean {
    return this.items.length < this.limit || this.better(item, this.items[0] as T) < 0;
  }

  push(item: T): void {
    const items = this.items;
    if (items.length < this.limit) {
      items.push(item);
      let index = items.length - 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (this.better(items[parent] as T, items[index] as T) >= 0) break;
        [items[parent], items[index]] = [items[index] as T, items[parent] as T];
        index = parent;
      }
      return;
    }
    if (!this.admits(item)) return;
    items[0] = item;
    let index = 0;
    for (;;) {
      const left = index * 2 + 1;
      const right = left + 1;
      let worst = index;
      if (left < items.length && this.better(items[left] as T, items[worst] as T) > 0) worst = left;
      if (right < items.length && this.better(items[right] as T, items[worst] as T) > 0) worst = right;
      if (worst === index) break;
      [items[worst], items[index]] = [items[index] as T, items[worst] as T];
      index = worst;
    }
  }

  sorted(): T[] {
    return [...this.items].sort(this.better);
  }
}

/** Blank query: every file, shallow first, then by path (plain `<`, i.e. UTF-16 order). */
function rankByDepth(files: readonly string[], limit: number): Ranker {
  let depths = depthsFor(files);
  const top = new TopK<number>(
    limit,
    (a, b) => (depths[a] as number) - (depths[b] as number) || byText(files[a] as string, files[b] as string),
  );
  return {
    rank(from, to) {
      depths = depthsFor(files);
      for (let i = from; i < to; i++) top.push(i);
    },
    result: () => top.sorted().map((i) => files[i] as string),
  };
}

interface Scored {
  score: number;
  index: number;
}

/**
 * Upper bound of fuzzysort's normalised score for a `searchLength`-char query against a
 * `targetLength`-char target: fuzzysort's own pruning bound (`scoreCeiling`, applied to
 * `normalizeScore`), reproduced because it is not exported. A test checks it against fuzzysort.
 * It lets the ranking skip preparing targets that cannot enter the top `limit` anyway.
 */
export function scoreCeiling(searchLength: number, targetLength: number): number {
  const lengthPenalty = (targetLength - searchLength) / 2;
  const bonus = 1 + searchLength * searchLength;
  let raw = -lengthPenalty - lengthPenalty / (bonus * bonus);
  raw += Math.min(4, -raw / 2);
  return raw > 1 ? raw : Math.E ** (((-raw + 1) ** 0.04307 - 1) * -2);
}

const isAlnum = (code: number): boolean =>
  (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isUpper = (code: number): boolean => code >= 65 && code <= 90;

/** fuzzysort's notion of a word start: after a non-alphanumeric, or a capital after a non-capital. */
function isWordStart(text: string, index: number): boolean {
  if (index === 0) return true;
  const previous = text.charCodeAt(index - 1);
  return (
    !isAlnum(previous) || !isAlnum(text.charCodeAt(index)) || (isUpper(text.charCodeAt(index)) && !isUpper(previous))
  );
}

/**
 * One-character queries (the first keystroke) are scored in tiers instead of with fuzzysort: with
 * one character there is nothing fuzzy to weigh, and it would have to prepare nearly every path.
 * Name start 4 > word start in the name 3 > anywhere in the name 2 > word start in a directory 1
 * > anywhere 0.5 (same "name beats path" rule as multi-character queries).
 */
function singleCharScore(file: string, lower: string, char: string): number {
  const nameStart = lower.lastIndexOf('/') + 1;
  let best = 0;
  for (let i = lower.indexOf(char); i !== -1 && best < 4; i = lower.indexOf(char, i + 1)) {
    const wordStart = isWordStart(file, i);
    const score = i >= nameStart ? (i === nameStart ? 4 : wordStart ? 3 : 2) : wordStart ? 1 : 0.5;
    if (score > best) best = score;
  }
  return best;
}

/**
 * Ranks `files` (relative '/'-separated paths) against `query`, best first, at most `limit`.
 * Score = max(nameScore + NAME_BONUS, pathScore) (normalised fuzzysort scores); ties → shorter
 * path, then plain `<` order. Any fuzzy match counts (threshold 0): every substring hit — all the
 * reference could return — matches, and weak scattered matches only fill in when nothing better
 * exists. Case-insensitive; space-separated words may match anywhere (fuzzysort semantics).
 */
export function rankFiles(files: readonly string[], query: string, limit: number): string[] {
  return new Ranking(files, query, limit).result();
}

/** Ranks `files[from..to)` into its kept best; `result()` lists them best first. */
interface Ranker {
  rank(from: number, to: number): void;
  result(): string[];
}

/**
 * `rankFiles` in steps, for a listing that grows at its end while it is ranked: a git listing's
 * tracked files arrive (from the index) long before git has walked the work tree for untracked
 * ones, and ranking them meanwhile takes the ranking out of a cold search's time. The files
 * already ranked must not change (only appended to); `extend()` ranks the new ones, and the
 * result is exactly `rankFiles` of the whole listing.
 */
export class Ranking {
  readonly files: readonly string[];
  #ranked = 0;
  readonly #ranker: Ranker | null;

  constructor(files: readonly string[], query: string, limit: number) {
    this.files = files;
    const wanted = Math.floor(limit);
    const search = query.trim();
    this.#ranker = !(wanted > 0) ? null : search ? rankByQuery(files, search, wanted) : rankByDepth(files, wanted);
    this.extend();
  }

  /** Ranks the files appended since the last step. */
  extend(): this {
    const to = this.files.length;
    if (this.#ranker && to > this.#ranked) this.#ranker.rank(this.#ranked, to);
    this.#ranked = to;
    return this;
  }

  result(): string[] {
    this.extend();
    return this.#ranker ? this.#ranker.result() : [];
  }
}

function rankByQuery(files: readonly string[], search: string, wanted: number): Ranker {
  let prepared = preparedFor(files);
  const lowerSearch = search.toLowerCase();
  // The pre-filter is only used when it provably agrees with fuzzysort (no remapped characters in
  // the query); with spaces the words match independently, so only the character bits apply.
  const searchBits = charBits(lowerSearch);
  const filter = searchBits !== -1;
  const wantedBits = searchBits & ~(1 << 27);
  const ordered = filter && !lowerSearch.includes(' ');
  // A basename never contains '/', so such queries can only match (and are ranked) on the path.
  const scoreNames = !search.includes('/');
  const single = ordered && lowerSearch.length === 1;
  const better = (a: Scored, b: Scored): number => {
    if (a.score !== b.score) return b.score - a.score;
    const pathA = files[a.index] as string;
    const pathB = files[b.index] as string;
    return pathA.length - pathB.length || byText(pathA, pathB);
  };
  const top = new TopK<Scored>(wanted, better);

  const rank = (from: number, to: number): void => {
    if (prepared.size < to) prepared = preparedFor(files);
    for (let i = from; i < to; i++) {
      const bits = prepared.flags[i] as number;
      const file = files[i] as string;
      if (filter && bits !== -1 && (bits & wantedBits) !== wantedBits) continue;
      const lower = (prepared.lower[i] ??= file.toLowerCase());
      if (single) {
        // Every file goes through the tiers (even remapped ones), so scores stay comparable.
        const score = singleCharScore(file, lower, lowerSearch);
        if (score > 0) top.push({ score, index: i });
        continue;
      }
      if (ordered && bits !== -1 && !isSubsequence(lowerSearch, lower)) continue;
      const nameStart = file.lastIndexOf('/') + 1;
      const nameMayMatch = scoreNames && (!ordered || bits === -1 || isSubsequence(lowerSearch, lower, nameStart));
      if (ordered && top.full()) {
        const bound = Math.max(
          scoreCeiling(search.length, file.length),
          nameMayMatch ? scoreCeiling(search.length, file.length - nameStart) + NAME_BONUS : 0,
        );
        if (!top.admits({ score: bound, index: i })) continue;
      }
      // The path contains the name, so a file whose path does not match cannot match at all.
      const pathMatch = fuzzysort.single(search, (prepared.paths[i] ??= fuzzysort.prepare(file)));
      if (!pathMatch) continue;
      let score = pathMatch.score;
      if (nameMayMatch) {
        const nameMatch = fuzzysort.single(search, (prepared.names[i] ??= fuzzysort.prepare(file.slice(nameStart))));
        if (nameMatch) score = Math.max(nameMatch.score + NAME_BONUS, score);
      }
      top.push({ score, index: i });
    }
  };
  return { rank, result: () => top.sorted().map((item) => files[item.index] as string) };
}
