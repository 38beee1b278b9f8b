/**
 * `git log` with our own record format and `--shortstat`. Each record starts with RS (0x1e) and
 * its fields are split by US (0x1f); git prints a commit's shortstat line after its format
 * output, so it is the tail of the same record. The reference split records the other way round
 * and attached every shortstat to the next commit, so its stats were always 0 (git.md §3.5).
 */
import type { GitLogEntry } from '@chamber/contract';

const RS = '\x1e';
const US = '\x1f';

/** `--format` value producing the records `parseLog` reads. */
export const LOG_FORMAT = `${RS}%H${US}%aI${US}%s${US}%D${US}%b${US}%aN${US}%aE${US}`;

export function parseLog(output: string): GitLogEntry[] {
  const entries: GitLogEntry[] = [];
  for (const record of output.split(RS)) {
    const parts = record.split(US);
    if (parts.length < 8) continue; // the empty text before the first RS, or a record cut by the output bound
    const [hash = '', date = '', message = '', refs = '', body = '', authorName = '', authorEmail = ''] = parts;
    const stats = parseShortstat(parts.slice(7).join(US));
    entries.push({
      hash,
      date,
      message,
      refs,
      body,
      author_name: authorName,
      author_email: authorEmail,
      filesChanged: stats.changes,
      insertions: stats.insertions,
      deletions: stats.deletions,
    });
  }
  return entries;
}

/** ` 3 files changed, 10 insertions(+), 2 deletions(-)` (either count may be missing). */
export function parseShortstat(text: string): { changes: number; insertions: number; deletions: number } {
  const changes = /(\d+) files? changed/.exec(text);
  const insertions = /(\d+) insertions?\(\+\)/.exec(text);
  const deletions = /(\d+) deletions?\(-\)/.exec(text);
  return {
    changes: changes ? Number(changes[1]) : 0,
    insertions: insertions ? Number(insertions[1]) : 0,
    deletions: deletions ? Number(deletions[1]) : 0,
  };
}
