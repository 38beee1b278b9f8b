import { describe, expect, it } from 'vitest';
import { parseUnifiedDiff, splitRows, unifiedRows } from '../src/git/diff-model.js';

const MODIFIED = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1111111..2222222 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -8,5 +8,5 @@ function main() {',
  ' line 8',
  ' line 9',
  '-line 10',
  '+line 10 changed',
  ' line 11',
  ' line 12',
  '@@ -20,2 +20,3 @@',
  ' line 20',
  '-line 21',
  '+line 21a',
  '+line 21b',
  '\\ No newline at end of file',
  '',
].join('\n');

describe('unified diff parsing', () => {
  it('numbers old and new lines from each hunk header, and counts additions and deletions', () => {
    const diff = parseUnifiedDiff(MODIFIED);
    expect(diff.status).toBe('modified');
    expect(diff.headers).toHaveLength(4);
    expect(diff.hunks.map((h) => [h.oldStart, h.newStart, h.section])).toEqual([
      [8, 8, 'function main() {'],
      [20, 20, ''],
    ]);
    expect(diff.hunks[0]?.lines.map((l) => [l.kind, l.oldNumber, l.newNumber, l.text])).toEqual([
      ['context', 8, 8, 'line 8'],
      ['context', 9, 9, 'line 9'],
      ['del', 10, null, 'line 10'],
      ['add', null, 10, 'line 10 changed'],
      ['context', 11, 11, 'line 11'],
      ['context', 12, 12, 'line 12'],
    ]);
    expect([diff.additions, diff.deletions]).toEqual([3, 2]);
    expect(diff.truncated).toBeNull();
  });

  it('attaches "No newline at end of file" to the line before it instead of making a row', () => {
    const last = parseUnifiedDiff(MODIFIED).hunks[1]?.lines.at(-1);
    expect(last).toMatchObject({ kind: 'add', text: 'line 21b', noNewline: true });
    expect(parseUnifiedDiff(MODIFIED).hunks[1]?.lines).toHaveLength(4);
  });

  it('reports the runtime truncation marker verbatim and keeps the rows before it', () => {
    const cut = `${MODIFIED}\\ Output truncated by Chamber: only the first 4194304 bytes are shown\n`;
    const diff = parseUnifiedDiff(cut);
    expect(diff.truncated).toBe('Output truncated by Chamber: only the first 4194304 bytes are shown');
    expect(diff.hunks[1]?.lines).toHaveLength(4);
  });

  it('recognises new, deleted, renamed and binary files', () => {
    expect(
      parseUnifiedDiff('diff --git a/n b/n\nnew file mode 100644\n--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+x\n'),
    ).toMatchObject({ status: 'added', additions: 1 });
    expect(parseUnifiedDiff('diff --git a/d b/d\ndeleted file mode 100644\n').status).toBe('deleted');
    expect(parseUnifiedDiff('diff --git a/a b/b\nsimilarity index 90%\nrename from a\nrename to b\n').status).toBe(
      'renamed',
    );
    const binary = parseUnifiedDiff(
      'diff --git a/i.png b/i.png\nnew file mode 100644\nBinary files /dev/null and b/i.png differ\n',
    );
    expect(binary).toMatchObject({ binary: true, hunks: [] });
  });

  it('answers nothing for an empty diff and tolerates CRLF line ends', () => {
    expect(parseUnifiedDiff('')).toMatchObject({ hunks: [], headers: [], additions: 0, deletions: 0 });
    const crlf = parseUnifiedDiff('@@ -1 +1 @@\r\n-a\r\n+b\r\n');
    expect(crlf.hunks[0]?.lines.map((l) => l.text)).toEqual(['a', 'b']);
  });
});

describe('diff rows', () => {
  it('unified: a hunk row, then one row per line', () => {
    const rows = unifiedRows(parseUnifiedDiff(MODIFIED));
    expect(rows.map((r) => (r.type === 'hunk' ? 'H' : r.line.kind[0]))).toEqual([
      'H',
      'c',
      'c',
      'd',
      'a',
      'c',
      'c',
      'H',
      'c',
      'd',
      'a',
      'a',
    ]);
  });

  it('side by side: removals pair with the additions that replace them, the shorter side padded', () => {
    const rows = splitRows(parseUnifiedDiff(MODIFIED));
    const shape = rows.map((r) => (r.type === 'hunk' ? 'H' : `${r.left?.kind[0] ?? '_'}${r.right?.kind[0] ?? '_'}`));
    expect(shape).toEqual(['H', 'cc', 'cc', 'da', 'cc', 'cc', 'H', 'cc', 'da', '_a']);
    const pair = rows[3];
    expect(pair?.type === 'pair' && [pair.left?.oldNumber, pair.right?.newNumber]).toEqual([10, 10]);
  });

  it('side by side: a removal after additions starts a new block', () => {
    const rows = splitRows(parseUnifiedDiff('@@ -1,2 +1,2 @@\n-a\n+A\n-b\n+B\n'));
    expect(
      rows.filter((r) => r.type === 'pair').map((r) => r.type === 'pair' && [r.left?.text, r.right?.text]),
    ).toEqual([
      ['a', 'A'],
      ['b', 'B'],
    ]);
  });
});
