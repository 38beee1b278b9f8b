/**
 * Fixture trees built by code: a temp HOME with a workspace, a sibling whose name shares the
 * workspace's prefix, a directory outside every root, symlinks in and out, a git repository and
 * enough shallow files that the reference's breadth-first search would never reach the deep one.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface WorkspaceFixture {
  base: string;
  home: string;
  dataDir: string;
  work: string;
  workEvil: string;
  repo: string;
  outside: string;
  cleanup(): void;
}

function write(file: string, content = ''): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Chamber Test', '-c', 'user.email=test@chamber.invalid', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

export function makeTempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function buildWorkspaceFixture(prefix = 'chamber-fixture-'): WorkspaceFixture {
  const base = makeTempDir(prefix);
  const home = path.join(base, 'home');
  const work = path.join(home, 'work');
  const workEvil = path.join(home, 'work_evil');
  const repo = path.join(home, 'repo');
  const outside = path.join(base, 'outside');
  const dataDir = path.join(base, 'data');

  write(path.join(work, 'README.md'), '# fixture\n');
  write(path.join(work, 'notes.txt'), 'twelve bytes');
  write(path.join(work, 'Upper.TXT'), 'u');
  write(path.join(work, 'Makefile'), 'all:\n');
  write(path.join(work, 'src/index.ts'), 'export {};\n');
  write(path.join(work, 'src/util/strings.ts'), 'export const a = 1;\n');
  write(path.join(work, 'a/b/c/d/e/f/g/h/deep-target.txt'), 'deep');
  for (let i = 0; i < 200; i++) write(path.join(work, 'many', `file-${String(i).padStart(3, '0')}.txt`), String(i));
  write(path.join(work, 'node_modules/pkg/index.js'), 'module.exports = 1;');
  write(path.join(work, '.hidden/secret.txt'), 'hidden');
  write(path.join(work, '.gitignore'), '*.log\n');
  write(path.join(work, 'ignored.log'), 'log');
  fs.symlinkSync(path.join(work, 'src'), path.join(work, 'link-to-src'));
  fs.symlinkSync(outside, path.join(work, 'link-out'));
  fs.symlinkSync(path.join(work, 'nowhere'), path.join(work, 'broken-link'));

  write(path.join(workEvil, 'evil.txt'), 'evil');
  write(path.join(outside, 'secret.txt'), 'outside');
  fs.mkdirSync(dataDir, { recursive: true });

  write(path.join(repo, '.gitignore'), 'build-output.js\n');
  write(path.join(repo, 'tracked.ts'), 'tracked');
  write(path.join(repo, 'deleted.ts'), 'to be deleted');
  write(path.join(repo, 'lib/nested/tracked-deep.ts'), 'deep');
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'initial');
  fs.rmSync(path.join(repo, 'deleted.ts'));
  write(path.join(repo, 'untracked.ts'), 'new');
  write(path.join(repo, 'build-output.js'), 'ignored');

  // Fixed times, so two fixture copies list identically.
  const fixed = new Date('2025-01-02T03:04:05.000Z');
  for (const dir of [work, workEvil, repo, outside]) {
    for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) {
      try {
        fs.utimesSync(path.join(dir, entry), fixed, fixed);
      } catch {
        // broken symlink
      }
    }
  }

  return {
    base,
    home,
    dataDir,
    work,
    workEvil,
    repo,
    outside,
    cleanup: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}

/** Replace every occurrence of `base` in strings, recursively, so two fixture copies compare equal. */
export function relativize<T>(value: T, base: string): T {
  if (typeof value === 'string') return value.split(base).join('<BASE>') as T;
  if (Array.isArray(value)) return value.map((item) => relativize(item, base)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relativize(v, base)])) as T;
  }
  return value;
}
