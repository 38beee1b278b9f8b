/**
 * A repository with a long history, built in one `git fast-import` run (10k commits take about a
 * second): commit `i` (1 = oldest) sets `src/file-<i % 10>.txt` to `file <i % 10>` + `change <i>`, has
 * the subject `Commit <i>: <words>` and, every third commit, a body of two paragraphs.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const HISTORY_AUTHOR = { name: 'History Person', email: 'history@example.com' };

export function historySubject(i: number): string {
  return `Commit ${i}: adjust the parser for case ${i} and keep the old behaviour behind a flag`;
}

export function historyBody(i: number): string {
  return i % 3 === 0 ? `Why ${i}: the old parser dropped trailing input.\n\nSecond paragraph of ${i}.\n` : '';
}

/** `git init` + `count` commits on `main` in `dir`; the work tree is checked out at the end. */
export function buildLongHistory(dir: string, count: number, env: NodeJS.ProcessEnv = process.env): void {
  fs.mkdirSync(dir, { recursive: true });
  const git = (args: string[], input?: string) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  git(['init', '-q', '-b', 'main']);
  const chunks: string[] = [];
  const base = Date.parse('2024-01-01T00:00:00Z') / 1000;
  for (let i = 1; i <= count; i++) {
    const slot = i % 10;
    const text = `file ${slot}\nchange ${i}\n`;
    const body = historyBody(i);
    const message = body ? `${historySubject(i)}\n\n${body}` : `${historySubject(i)}\n`;
    const who = `${HISTORY_AUTHOR.name} <${HISTORY_AUTHOR.email}> ${base + i * 3600} +0000`;
    chunks.push(
      `commit refs/heads/main\nmark :${i}\nauthor ${who}\ncommitter ${who}\n`,
      `data ${Buffer.byteLength(message)}\n${message}\n`,
      `M 100644 inline src/file-${slot}.txt\ndata ${Buffer.byteLength(text)}\n${text}\n`,
    );
  }
  git(['fast-import', '--quiet'], chunks.join(''));
  git(['checkout', '-q', '-f', 'main']);
}
