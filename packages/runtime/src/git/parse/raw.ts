/**
 * `--raw -z` records: `:<modes and hashes> <status>\0<path>\0`, with a second path for renames
 * and copies (`R100\0<old>\0<new>\0`). Used beside `--numstat` for a commit's change types.
 */
export interface RawEntry {
  /** First letter of the status: A, M, D, R, C, T, U, X. */
  status: string;
  path: string;
  oldPath?: string;
}

/** Parse raw records starting at `fields[start]`; stops at the first field that is not one. */
export function parseRawFields(fields: readonly string[], start = 0): { entries: RawEntry[]; next: number } {
  const entries: RawEntry[] = [];
  let i = start;
  while (i < fields.length) {
    const record = fields[i] as string;
    if (!record.startsWith(':')) break;
    i++;
    const status = (record.split(' ')[4] ?? '').charAt(0);
    if (status === 'R' || status === 'C') {
      const oldPath = fields[i++] ?? '';
      entries.push({ status, oldPath, path: fields[i++] ?? '' });
    } else {
      entries.push({ status, path: fields[i++] ?? '' });
    }
  }
  return { entries, next: i };
}
