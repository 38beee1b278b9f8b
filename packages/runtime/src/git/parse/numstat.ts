/**
 * `--numstat -z` (diff, diff-tree, log): `<ins>\t<del>\t<path>\0`, or for a rename or copy
 * `<ins>\t<del>\t\0<old>\0<new>\0`. Binary files count `-` on both sides. Paths are raw; the
 * reference parsed the text form and keyed its stats by `a => b` and C-quoted names (git.md §3.2).
 */
export interface NumstatEntry {
  path: string;
  /** Source of a rename or copy. */
  oldPath?: string;
  insertions: number;
  deletions: number;
  binary: boolean;
}

/** Parse numstat records starting at `fields[start]`; returns the entries and where parsing stopped. */
export function parseNumstatFields(fields: readonly string[], start = 0): { entries: NumstatEntry[]; next: number } {
  const entries: NumstatEntry[] = [];
  let i = start;
  while (i < fields.length) {
    const record = fields[i] as string;
    const match = /^(-|\d+)\t(-|\d+)\t([\s\S]*)$/.exec(record);
    if (!match) break;
    i++;
    const [, ins = '0', del = '0', inline = ''] = match;
    const binary = ins === '-' && del === '-';
    const counts = { insertions: ins === '-' ? 0 : Number(ins), deletions: del === '-' ? 0 : Number(del), binary };
    if (inline === '') {
      const oldPath = fields[i++] ?? '';
      const path = fields[i++] ?? '';
      entries.push({ path, oldPath, ...counts });
    } else {
      entries.push({ path: inline, ...counts });
    }
  }
  return { entries, next: i };
}

export function parseNumstat(output: string): NumstatEntry[] {
  return parseNumstatFields(splitNul(output)).entries;
}

/** NUL-separated fields without the empty one after the final terminator. */
export function splitNul(output: string): string[] {
  const fields = output.split('\0');
  if (fields[fields.length - 1] === '') fields.pop();
  return fields;
}
