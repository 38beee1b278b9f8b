import { describe, expect, it } from 'vitest';
import { parseBranchVerbose } from '../../src/git/parse/branches.js';
import { parseCommitOutput } from '../../src/git/parse/commit.js';
import { LOG_FORMAT, parseLog, parseShortstat } from '../../src/git/parse/log.js';
import { parseNumstat, splitNul } from '../../src/git/parse/numstat.js';
import { parseProgressLine, stripProgress } from '../../src/git/parse/progress.js';
import { parsePushOutput } from '../../src/git/parse/push.js';
import { parseRawFields } from '../../src/git/parse/raw.js';
import { parseStatusV2 } from '../../src/git/parse/status.js';
import { parseWorktreeList } from '../../src/git/parse/worktrees.js';

const z = (...fields: string[]) => fields.map((f) => `${f}\0`).join('');
const ORDINARY = (xy: string, path: string) => `1 ${xy} N... 100644 100644 100644 aaaa bbbb ${path}`;

describe('porcelain v2 status', () => {
  it('reads branch, upstream and ahead/behind from the headers', () => {
    const status = parseStatusV2(
      z('# branch.oid abc', '# branch.head main', '# branch.upstream origin/main', '# branch.ab +2 -3'),
    );
    expect(status).toMatchObject({ current: 'main', tracking: 'origin/main', ahead: 2, behind: 3, files: [] });
  });

  it("names a detached HEAD 'HEAD' and an unborn branch by its name", () => {
    expect(parseStatusV2(z('# branch.oid abc', '# branch.head (detached)')).current).toBe('HEAD');
    expect(parseStatusV2(z('# branch.oid (initial)', '# branch.head trunk')).current).toBe('trunk');
  });

  it('keeps an upstream that is gone (no branch.ab header) with zero counts', () => {
    expect(parseStatusV2(z('# branch.head x', '# branch.upstream origin/x'))).toMatchObject({
      tracking: 'origin/x',
      ahead: 0,
      behind: 0,
    });
  });

  it("turns '.' into ' ' and keeps paths with spaces (leading, trailing), quotes, newlines and unicode raw", () => {
    const names = [' lead.txt', 'trail.txt ', 'in side.txt', 'q"uote\'s', 'new\nline', 'ünï', 'tab\tx'];
    const status = parseStatusV2(z(...names.map((n) => ORDINARY('.M', n))));
    expect(status.files.map((f) => f.path)).toEqual(names);
    expect(status.files[0]).toEqual({ path: ' lead.txt', index: ' ', working_dir: 'M' });
  });

  it('pairs a rename with its source and lists the new path only', () => {
    const status = parseStatusV2(
      z(`2 R. N... 100644 100644 100644 aaaa aaaa R100 new name.txt`, 'old name.txt', '? after.txt'),
    );
    expect(status.files).toEqual([
      { path: 'new name.txt', index: 'R', working_dir: ' ' },
      { path: 'after.txt', index: '?', working_dir: '?' },
    ]);
    expect(status.sources.get('new name.txt')).toBe('old name.txt');
  });

  it('reads unmerged entries', () => {
    const status = parseStatusV2(z('u UU N... 100644 100644 100644 100644 a b c my file'));
    expect(status.files).toEqual([{ path: 'my file', index: 'U', working_dir: 'U' }]);
  });
});

describe('numstat -z', () => {
  it('reads plain, binary and renamed entries', () => {
    expect(parseNumstat(z('3\t1\tsrc/a b.ts', '-\t-\timg.png', '0\t0\t', 'old', 'new'))).toEqual([
      { path: 'src/a b.ts', insertions: 3, deletions: 1, binary: false },
      { path: 'img.png', insertions: 0, deletions: 0, binary: true },
      { path: 'new', oldPath: 'old', insertions: 0, deletions: 0, binary: false },
    ]);
    expect(parseNumstat('')).toEqual([]);
  });

  it('reads raw records followed by numstat in one stream', () => {
    const fields = splitNul(
      z(':000000 100644 0000 1111 A', 'a.txt', ':100644 100644 1111 2222 R087', 'x', 'y', '1\t0\ta.txt'),
    );
    const raw = parseRawFields(fields);
    expect(raw.entries).toEqual([
      { status: 'A', path: 'a.txt' },
      { status: 'R', oldPath: 'x', path: 'y' },
    ]);
    expect(fields[raw.next]).toBe('1\t0\ta.txt');
  });
});

describe('log records', () => {
  const record = (hash: string, body: string, stat: string) =>
    `\x1e${hash}\x1f2025-01-02T03:04:05+00:00\x1fsubject ${hash}\x1f\x1f${body}\x1fA\x1fa@e\x1f${stat}`;

  it('attaches each shortstat to its own commit (the reference attached it to the next one)', () => {
    const output = [
      record(
        'h1',
        'body line\n\n3 files changed is in the body\n',
        '\n 2 files changed, 5 insertions(+), 1 deletion(-)\n\n',
      ),
      record('h2', '', '\n 1 file changed, 1 deletion(-)\n'),
      record('merge', '', ''),
    ].join('');
    const entries = parseLog(output);
    expect(entries.map((e) => [e.hash, e.filesChanged, e.insertions, e.deletions])).toEqual([
      ['h1', 2, 5, 1],
      ['h2', 1, 0, 1],
      ['merge', 0, 0, 0],
    ]);
    expect(entries[0]?.body).toBe('body line\n\n3 files changed is in the body\n');
  });

  it('drops a record cut short by the output bound', () => {
    expect(parseLog(`${record('h1', '', '')}\x1eh2\x1f2025`).map((e) => e.hash)).toEqual(['h1']);
  });

  it('asks git for record and unit separators git cannot find in ordinary text', () => {
    expect(LOG_FORMAT.startsWith('\x1e%H\x1f')).toBe(true);
    expect(parseShortstat(' 1 file changed, 1 insertion(+)')).toEqual({ changes: 1, insertions: 1, deletions: 0 });
  });
});

describe('git branch -v -a', () => {
  it('reads markers, names, hashes and labels; skips symbolic refs', () => {
    const output = [
      '+ linked               1111111 work elsewhere',
      '* main                 2222222 [ahead 1, behind 2] subject with  spaces',
      '  remotes/origin/HEAD  -> origin/main',
      '  remotes/origin/main  2222222 subject',
      '',
    ].join('\n');
    const parsed = parseBranchVerbose(output);
    expect(parsed.names).toEqual(['linked', 'main', 'remotes/origin/main']);
    expect(parsed.current).toBe('main');
    expect(parsed.branches.linked).toEqual({
      current: false,
      linkedWorkTree: true,
      name: 'linked',
      commit: '1111111',
      label: 'work elsewhere',
    });
    expect(parsed.branches.main?.label).toBe('[ahead 1, behind 2] subject with  spaces');
  });

  it('names a detached HEAD by what it is detached at', () => {
    const parsed = parseBranchVerbose('* (HEAD detached at origin/main) 3333333 msg\n  main 3333333 msg\n');
    expect(parsed.current).toBe('origin/main');
    expect(parsed.branches['origin/main']).toMatchObject({ current: true, commit: '3333333', label: 'msg' });
    expect(parseBranchVerbose('* (no branch, rebasing main) 4444444 wip\n').current).toBe('4444444');
  });
});

describe('worktree list --porcelain -z', () => {
  it('reads records; absent keys stay absent', () => {
    const output = z(
      'worktree /r',
      'HEAD aaa',
      'branch refs/heads/main',
      '',
      'worktree /r/x y',
      'HEAD bbb',
      'detached',
      'locked reason',
      '',
    );
    expect(parseWorktreeList(output)).toEqual([
      { worktree: '/r', head: 'aaa', branch: 'refs/heads/main' },
      { worktree: '/r/x y', head: 'bbb' },
    ]);
  });
});

describe('push --porcelain', () => {
  it('lists fast-forwards, forced, new, deleted and up-to-date refs', () => {
    const stdout = [
      'To /remote.git',
      ' \trefs/heads/main:refs/heads/main\t1111111..2222222',
      '+\trefs/heads/f:refs/heads/f\t+ 1111111...3333333 (forced update)',
      '*\trefs/tags/v1:refs/tags/v1\t[new tag]',
      '-\t:refs/heads/old\t[deleted]',
      '=\trefs/heads/same:refs/heads/same\t[up to date]',
      'Done',
    ].join('\n');
    const stderr = "Pushing to /remote.git\nupdating local tracking ref 'refs/remotes/origin/main'\n";
    const result = parsePushOutput(stdout, stderr);
    expect(result.repo).toBe('/remote.git');
    expect(result.ref).toEqual({ local: 'refs/remotes/origin/main' });
    expect(result.pushed.map((p) => [p.local, p.remote, p.new, p.deleted, p.tag, p.branch, p.alreadyUpdated])).toEqual([
      ['refs/heads/main', 'refs/heads/main', false, false, false, true, false],
      ['refs/heads/f', 'refs/heads/f', false, false, false, true, false],
      ['refs/tags/v1', 'refs/tags/v1', true, false, true, false, false],
      ['', 'refs/heads/old', false, true, false, true, false],
      ['refs/heads/same', 'refs/heads/same', false, false, false, true, true],
    ]);
    expect(parsePushOutput('', '')).toEqual({ success: true, pushed: [] });
  });
});

describe('progress lines', () => {
  it('parses percentages, counts, remote phases and done', () => {
    expect(parseProgressLine('Receiving objects:  45% (9/20), 1.00 KiB | 1.00 MiB/s')).toEqual({
      phase: 'Receiving objects',
      remote: false,
      percent: 45,
      current: 9,
      total: 20,
      done: false,
      line: 'Receiving objects:  45% (9/20), 1.00 KiB | 1.00 MiB/s',
    });
    expect(parseProgressLine('remote: Counting objects: 100% (3/3), done.')).toMatchObject({
      phase: 'Counting objects',
      remote: true,
      percent: 100,
      done: true,
    });
    expect(parseProgressLine('Enumerating objects: 4, done.')).toMatchObject({ current: 4, total: null, done: true });
    expect(parseProgressLine('fatal: Could not read from remote repository.')).toBeNull();
  });

  it('strips progress redraws from error text and keeps every other line verbatim', () => {
    const stderr =
      'Enumerating objects: 4, done.\nCounting objects:  50% (2/4)\rCounting objects: 100% (4/4), done.\n' +
      'Delta compression using up to 2 threads\nTotal 3 (delta 0), reused 0 (delta 0), pack-reused 0\n' +
      "error: failed to push some refs to '/r'\nhint: Updates were rejected\n";
    expect(stripProgress(stderr)).toBe("error: failed to push some refs to '/r'\nhint: Updates were rejected\n");
    expect(stripProgress('plain text\n')).toBe('plain text\n');
  });
});

describe('commit output', () => {
  it('reads branch, full hash and summary; root commits and detached HEADs included', () => {
    const hash = 'a'.repeat(40);
    expect(
      parseCommitOutput(`[main (root-commit) ${hash}] 9 files changed in subject\n 2 files changed, 3 insertions(+)\n`),
    ).toEqual({
      success: true,
      commit: hash,
      branch: 'main',
      summary: { changes: 2, insertions: 3, deletions: 0 },
    });
    expect(parseCommitOutput(`[detached HEAD ${hash}] x\n 1 file changed, 1 deletion(-)\n`)).toMatchObject({
      commit: hash,
      branch: 'detached',
      summary: { changes: 1, insertions: 0, deletions: 1 },
    });
  });
});
