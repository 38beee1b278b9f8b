/**
 * Git commands against the raw git command on the same repository, in the same run:
 * - get_git_status on 50k tracked files (1k modified, 1k untracked) vs `git status --porcelain=v1 -z`;
 * - get_git_log of 10k commits with stats vs `git log --shortstat --max-count=10000`;
 * - get_git_branches with 500 branches vs `git branch -v -a`.
 * Repositories are generated once with `git fast-import` under /tmp/chamber-bench (a marker file
 * per repository records completion) and reused by later runs. Baselines run with the runner's
 * environment (`GIT_OPTIONAL_LOCKS=0`, `LC_ALL=C`), so the comparison is of the work, not the locks.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRuntime, type Runtime } from '@chamber/runtime';
import { generateTreePaths } from './search.js';
import { fmt, percentile, timeMicros } from './stats.js';

const BENCH_ROOT = '/tmp/chamber-bench';
const STATUS_REPO = path.join(BENCH_ROOT, 'git-status-50k');
const HISTORY_REPO = path.join(BENCH_ROOT, 'git-history-10k');
const TRACKED = 50_000;
const MODIFIED = 1_000;
const UNTRACKED = 1_000;
const COMMITS = 10_000;
const BRANCHES = 500;

const GIT_ENV = { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };

/** Run git to completion, draining stdout like a real consumer; optional stdin. */
function git(cwd: string, args: string[], input?: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: GIT_ENV,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'inherit'],
    });
    child.stdout?.resume();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args.join(' ')} exited ${code}`))));
    if (input !== undefined) child.stdin?.end(input);
  });
}

const IDENT = 'Bench <bench@example.com>';
const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;

async function ensureStatusRepo(log: (line: string) => void): Promise<string> {
  const marker = `${STATUS_REPO}.v1.done`;
  if (fs.existsSync(marker)) return STATUS_REPO;
  log(`generating ${TRACKED} tracked files under ${STATUS_REPO} (once)…`);
  fs.rmSync(STATUS_REPO, { recursive: true, force: true });
  fs.mkdirSync(STATUS_REPO, { recursive: true });
  await git(STATUS_REPO, ['init', '-q', '-b', 'main']);
  const files = generateTreePaths(TRACKED, 3_500);
  const stream: string[] = [`commit refs/heads/main\ncommitter ${IDENT} 1700000000 +0000\n${data('bench tree')}`];
  files.forEach((file, i) => stream.push(`M 100644 inline ${file}\n${data(`line one of ${i}\nline two\n`)}`));
  await git(STATUS_REPO, ['fast-import', '--quiet'], stream.join(''));
  await git(STATUS_REPO, ['reset', '-q', '--hard', 'main']);
  for (let i = 0; i < MODIFIED; i++) {
    fs.appendFileSync(path.join(STATUS_REPO, files[i * Math.floor(TRACKED / MODIFIED)] as string), 'modified\n');
  }
  for (let i = 0; i < UNTRACKED; i++) {
    const dir = path.join(STATUS_REPO, 'untracked', `d${i % 20}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `new-${i}.txt`), `new ${i}\n`);
  }
  // Fresh stat data in the index, as in a repository someone works in.
  await git(STATUS_REPO, ['update-index', '-q', '--refresh']).catch(() => undefined);
  fs.writeFileSync(marker, new Date().toISOString());
  return STATUS_REPO;
}

async function ensureHistoryRepo(log: (line: string) => void): Promise<string> {
  const marker = `${HISTORY_REPO}.v1.done`;
  if (fs.existsSync(marker)) return HISTORY_REPO;
  log(`generating ${COMMITS} commits and ${BRANCHES} branches under ${HISTORY_REPO} (once)…`);
  fs.rmSync(HISTORY_REPO, { recursive: true, force: true });
  fs.mkdirSync(HISTORY_REPO, { recursive: true });
  await git(HISTORY_REPO, ['init', '-q', '-b', 'main']);
  const stream: string[] = [];
  for (let i = 1; i <= COMMITS; i++) {
    stream.push(
      `commit refs/heads/main\nmark :${i}\ncommitter ${IDENT} ${1700000000 + i} +0000\n${data(`change ${i}\n\nBody of commit ${i}.`)}` +
        `M 100644 inline src/file-${i % 200}.txt\n${data(`version ${i}\n`.repeat(1 + (i % 5)))}` +
        (i % 3 === 0 ? `M 100644 inline docs/note-${i % 50}.md\n${data(`note ${i}\n`)}` : ''),
    );
  }
  for (let b = 0; b < BRANCHES; b++) stream.push(`reset refs/heads/branch-${b}\nfrom :${COMMITS - b * 10}\n\n`);
  await git(HISTORY_REPO, ['fast-import', '--quiet'], stream.join(''));
  await git(HISTORY_REPO, ['reset', '-q', '--hard', 'main']);
  fs.writeFileSync(marker, new Date().toISOString());
  return HISTORY_REPO;
}

interface Comparison {
  label: string;
  ours: () => Promise<unknown>;
  /** The first baseline is the ratio's denominator; further ones are printed for context. */
  baselines: { label: string; run: () => Promise<unknown> }[];
  runs: number;
}

async function compare(log: (line: string) => void, c: Comparison): Promise<void> {
  const ms = (us: number) => fmt(us / 1000);
  // Interleaved, one run of each per round, so a busy machine slows every side alike.
  const sides = [...c.baselines.map((b) => b.run), c.ours];
  const samples: number[][] = sides.map(() => []);
  for (let round = -2; round < c.runs; round++) {
    for (const [i, run] of sides.entries()) {
      const timing = await timeMicros(run, 1, 0);
      if (round >= 0) samples[i]?.push(timing.median);
    }
  }
  const median = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  const p99 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      99,
    );
  const oursSamples = samples[sides.length - 1] ?? [];
  const ours = median(oursSamples);
  const first = c.baselines[0];
  log(
    `${c.label}: ours median ${ms(ours)} ms p99 ${ms(p99(oursSamples))} ms` +
      (first ? ` | ratio ×${fmt(ours / median(samples[0] ?? []), 2)} vs ${first.label}` : ''),
  );
  c.baselines.forEach((baseline, i) => {
    const value = median(samples[i] ?? []);
    log(`  baseline ${baseline.label}: median ${ms(value)} ms (ours ×${fmt(ours / value, 2)})`);
  });
}

export async function benchGit(log: (line: string) => void): Promise<void> {
  const statusRepo = await ensureStatusRepo(log);
  const historyRepo = await ensureHistoryRepo(log);
  const runtime: Runtime = createRuntime({
    homeDir: BENCH_ROOT,
    dataDir: path.join(BENCH_ROOT, '.git-bench-data'),
    env: {},
  });
  try {
    await compare(log, {
      label: `get_git_status (${TRACKED} tracked, ${MODIFIED} modified, ${UNTRACKED} untracked, with diff stats)`,
      ours: () => runtime.call('get_git_status', { directory: statusRepo }),
      baselines: [
        { label: 'git status --porcelain=v1 -z', run: () => git(statusRepo, ['status', '--porcelain=v1', '-z']) },
        {
          // What the reference ran for the same answer: v1 status and two whole-tree numstats, in parallel.
          label: "the reference's three git runs, raw",
          run: () =>
            Promise.all([
              git(statusRepo, ['status', '--porcelain', '-b', '-u', '--null']),
              git(statusRepo, ['diff', '--cached', '--numstat']),
              git(statusRepo, ['diff', '--numstat']),
            ]),
        },
      ],
      runs: 10,
    });
    await compare(log, {
      label: `get_git_log (${COMMITS} commits with stats)`,
      ours: () => runtime.call('get_git_log', { directory: historyRepo, maxCount: COMMITS }),
      baselines: [
        {
          label: `git log --shortstat --max-count=${COMMITS}`,
          run: () => git(historyRepo, ['log', '--shortstat', `--max-count=${COMMITS}`]),
        },
      ],
      runs: 7,
    });
    await compare(log, {
      label: `get_git_branches (${BRANCHES} branches)`,
      ours: () => runtime.call('get_git_branches', { directory: historyRepo }),
      baselines: [{ label: 'git branch -v -a', run: () => git(historyRepo, ['branch', '-v', '-a']) }],
      runs: 20,
    });
  } finally {
    await runtime.close();
  }
}
