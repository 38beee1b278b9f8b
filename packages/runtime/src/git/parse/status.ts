/**
 * `git status --porcelain=v2 --branch -z --untracked-files=all`. Version 2 names the branch,
 * upstream and ahead/behind in fixed headers (no guessing at `## a...b [ahead 1]` text), and
 * with `-z` every path arrives raw: spaces (leading and trailing too), quotes, newlines and
 * non-ASCII names come out exactly as on disk. The reference trimmed v1 records and lost leading
 * and trailing spaces of file names (git.md §3.2).
 */
import type { GitStatusFile } from '@chamber/contract';

export interface ParsedStatus {
  current: string | null;
  tracking: string | null;
  ahead: number;
  behind: number;
  files: GitStatusFile[];
  /** For renames and copies: new path → source path. */
  sources: Map<string, string>;
}

/** Split off `count` space-separated fields; the rest of the record (a path) may hold spaces. */
function fields(record: string, count: number): { parts: string[]; rest: string } {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const space = record.indexOf(' ', start);
    if (space === -1) return { parts: [...parts, record.slice(start)], rest: '' };
    parts.push(record.slice(start, space));
    start = space + 1;
  }
  return { parts, rest: record.slice(start) };
}

/** v2 writes '.' for an unchanged side; the wire (simple-git's v1 reading) has ' '. */
const side = (c: string | undefined) => (c === undefined || c === '.' ? ' ' : c);

export function parseStatusV2(output: string): ParsedStatus {
  const status: ParsedStatus = { current: null, tracking: null, ahead: 0, behind: 0, files: [], sources: new Map() };
  const records = output.split('\0');
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as string;
    if (record === '') continue;
    const kind = record[0];
    if (kind === '#') {
      const { parts, rest } = fields(record, 2);
      const key = parts[1];
      if (key === 'branch.head') status.current = rest === '(detached)' ? 'HEAD' : rest;
      else if (key === 'branch.upstream') status.tracking = rest;
      else if (key === 'branch.ab') {
        const match = /^\+(\d+) -(\d+)$/.exec(rest);
        if (match) {
          status.ahead = Number(match[1]);
          status.behind = Number(match[2]);
        }
      }
    } else if (kind === '1') {
      const { parts, rest } = fields(record, 8);
      status.files.push(entry(rest, parts[1]));
    } else if (kind === '2') {
      const { parts, rest } = fields(record, 9);
      status.files.push(entry(rest, parts[1]));
      // With -z the source path is the next NUL-separated field.
      const source = records[++i];
      if (source !== undefined) status.sources.set(rest, source);
    } else if (kind === 'u') {
      const { parts, rest } = fields(record, 10);
      status.files.push(entry(rest, parts[1]));
    } else if (kind === '?') {
      status.files.push({ path: record.slice(2), index: '?', working_dir: '?' });
    }
    // '!' (ignored) is never requested.
  }
  return status;
}

function entry(path: string, xy = '..'): GitStatusFile {
  return { path, index: side(xy[0]), working_dir: side(xy[1]) };
}
