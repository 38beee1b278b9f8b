import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepo, RepoLocks } from '../../src/git/repo.js';
import { GitRunner } from '../../src/git/runner.js';
import { getStatus } from '../../src/git/status.js';
import { gitIn } from '../../../../test/support/git-repos.js';

let dir: string;

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-status-')));
  gitIn(dir, {}, 'init', '-q', '-b', 'main');
  const files: Record<string, string | Buffer> = {
    'crlf.txt': 'a\r\nb\r\n',
    'no-final-newline.txt': 'a\nb',
    'empty.txt': '',
    'lone-cr.txt': 'a\rb\n',
    'binary.bin': Buffer.from([0x61, 0x00, 0x0a]),
    'large.txt': `${'x'.repeat(99)}\n`.repeat(3_000), // 300 kB: the streamed path
  };
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
  fs.symlinkSync('crlf.txt', path.join(dir, 'link.txt'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('diffStats of new files', () => {
  it('counts lines as the reference did, small and large files alike', async () => {
    const repo = await GitRepo.open(dir, new GitRunner({ homeDir: dir }), new RepoLocks());
    const { diffStats, files } = await getStatus(repo);
    expect(files).toHaveLength(7);
    expect(diffStats).toEqual({
      'crlf.txt': { insertions: 2, deletions: 0 },
      'no-final-newline.txt': { insertions: 2, deletions: 0 },
      'empty.txt': { insertions: 0, deletions: 0 },
      'lone-cr.txt': { insertions: 1, deletions: 0 },
      'binary.bin': { insertions: 0, deletions: 0 },
      'large.txt': { insertions: 3_000, deletions: 0 },
      // link.txt: not a regular file, so not counted (and never read through)
    });
  });
});
