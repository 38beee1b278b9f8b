/**
 * Unified diff text (as `get_git_diff` answers it) → rows the diff viewer draws, in either
 * layout. Pure: no React, no runtime.
 *
 * - Unified rows: one per line, with the old and the new line number (either may be absent).
 * - Split rows: removed and added runs of one change are paired side by side, the shorter side
 *   padded; context lines sit on both sides.
 * - `\ ` lines are annotations: `\ No newline at end of file` attaches to the line before it; the
 *   runtime's `\ Output truncated by Chamber: ...` marker sets `truncated`.
 */

export type LineKind = 'context' | 'add' | 'del';

export interface DiffLine {
  kind: LineKind;
  text: string;
  oldNumber: number | null;
  newNumber: number | null;
  /** `\ No newline at end of file` followed this line. */
  noNewline?: boolean;
}

export interface DiffHunk {
  header: string;
  /** The text after the second `@@` (git's function context), may be ''. */
  section: string;
  oldStart: number;
  newStart: number;
  lines: DiffLine[];
}

export interface ParsedDiff {
  /** Header lines before the first hunk (`diff --git`, `index`, `new file mode`, ...). */
  headers: string[];
  hunks: DiffHunk[];
  binary: boolean;
  status: 'added' | 'deleted' | 'renamed' | 'modified';
  /** The runtime cut the output; its notice, verbatim (without the leading `\ `). */
  truncated: string | null;
  additions: number;
  deletions: number;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@ ?(.*)$/;
const TRUNCATED = /^\\ Output truncated/;

export function parseUnifiedDiff(text: string): ParsedDiff {
  const result: ParsedDiff = {
    headers: [],
    hunks: [],
    binary: false,
    status: 'modified',
    truncated: null,
    additions: 0,
    deletions: 0,
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let hunk: DiffHunk | null = null;
  let oldNumber = 0;
  let newNumber = 0;

  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (TRUNCATED.test(line)) {
      result.truncated = line.slice(2);
      continue;
    }
    const header = HUNK.exec(line);
    if (header) {
      oldNumber = Number(header[1]);
      newNumber = Number(header[2]);
      hunk = { header: line, section: header[3] ?? '', oldStart: oldNumber, newStart: newNumber, lines: [] };
      result.hunks.push(hunk);
      continue;
    }
    if (!hunk || line.startsWith('diff --git ')) {
      if (line.startsWith('diff --git ')) hunk = null;
      result.headers.push(line);
      if (line.startsWith('new file mode')) result.status = 'added';
      else if (line.startsWith('deleted file mode')) result.status = 'deleted';
      else if (line.startsWith('rename from') && result.status === 'modified') result.status = 'renamed';
      else if (/^Binary files .* differ$/.test(line) || line === 'GIT binary patch') result.binary = true;
      continue;
    }
    const marker = line[0];
    const body = line.slice(1);
    if (marker === '+') {
      hunk.lines.push({ kind: 'add', text: body, oldNumber: null, newNumber: newNumber++ });
      result.additions++;
    } else if (marker === '-') {
      hunk.lines.push({ kind: 'del', text: body, oldNumber: oldNumber++, newNumber: null });
      result.deletions++;
    } else if (marker === '\\') {
      const last = hunk.lines.at(-1);
      if (last) last.noNewline = true;
    } else {
      // ' ' context, or an empty line some tools leave for an empty context line.
      hunk.lines.push({ kind: 'context', text: body, oldNumber: oldNumber++, newNumber: newNumber++ });
    }
  }
  return result;
}

export type UnifiedRow = { type: 'hunk'; hunk: DiffHunk } | { type: 'line'; line: DiffLine };

export function unifiedRows(diff: ParsedDiff): UnifiedRow[] {
  const rows: UnifiedRow[] = [];
  for (const hunk of diff.hunks) {
    rows.push({ type: 'hunk', hunk });
    for (const line of hunk.lines) rows.push({ type: 'line', line });
  }
  return rows;
}

export type SplitRow =
  { type: 'hunk'; hunk: DiffHunk } | { type: 'pair'; left: DiffLine | null; right: DiffLine | null };

export function splitRows(diff: ParsedDiff): SplitRow[] {
  const rows: SplitRow[] = [];
  for (const hunk of diff.hunks) {
    rows.push({ type: 'hunk', hunk });
    let removed: DiffLine[] = [];
    let added: DiffLine[] = [];
    const flush = () => {
      const count = Math.max(removed.length, added.length);
      for (let i = 0; i < count; i++) rows.push({ type: 'pair', left: removed[i] ?? null, right: added[i] ?? null });
      removed = [];
      added = [];
    };
    for (const line of hunk.lines) {
      if (line.kind === 'del') {
        // A removal after additions starts a new change block.
        if (added.length > 0) flush();
        removed.push(line);
      } else if (line.kind === 'add') {
        added.push(line);
      } else {
        flush();
        rows.push({ type: 'pair', left: line, right: line });
      }
    }
    flush();
  }
  return rows;
}
