/**
 * search_files on a 100k-file tree, against the raw listing tools on the same tree in the same run:
 * `git ls-files -z` inside a git copy and `rg --files` in a plain copy. The tree is generated once
 * under /tmp/chamber-bench (a marker file records completion) and reused by later runs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../packages/runtime/src/logger.js';
import { FileIndex, searchFiles } from '../packages/runtime/src/files/search/index.js';
import { fmt, percentile } from './stats.js';

const BENCH_DIR = '/tmp/chamber-bench/search-tree-100k';
const MARKER = `${BENCH_DIR}.v1.done`;
const FILE_COUNT = 100_000;
const DIR_COUNT = 7_000;
const MAX_DEPTH = 8;

const TOP = ['app', 'core', 'server', 'web', 'cli', 'docs', 'tools', 'shared', 'plugins', 'infra'];
const DIRS = [
  'src',
  'lib',
  'components',
  'utils',
  'hooks',
  'services',
  'models',
  'api',
  'internal',
  'helpers',
  'views',
  'store',
  'config',
  'types',
  '__tests__',
  'deep',
  'features',
  'modules',
  'common',
  'assets',
];
const STEMS = [
  'index',
  'utils',
  'helpers',
  'Button',
  'Modal',
  'config',
  'types',
  'constants',
  'README',
  'main',
  'App',
  'service',
  'controller',
  'router',
  'schema',
  'parser',
  'client',
  'server',
  'store',
  'file',
  'reducer',
];
const EXTS = ['.ts', '.tsx', '.js', '.json', '.md', '.css', '.test.ts', '.go', '.py'];

/** Deterministic PRNG (mulberry32) so every run builds the same tree. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Relative file paths of the bench tree: a random recursive dir tree (depth ≤ 8), files spread over it. */
export function generateTreePaths(fileCount = FILE_COUNT, dirCount = DIR_COUNT): string[] {
  const random = prng(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const dirs: { rel: string; depth: number; children: Set<string> }[] = TOP.map((rel) => ({
    rel,
    depth: 1,
    children: new Set(),
  }));
  while (dirs.length < dirCount) {
    const parent = pick(dirs);
    if (parent.depth >= MAX_DEPTH) continue;
    let name = pick(DIRS);
    if (parent.children.has(name)) name = `${name}-${parent.children.size}`;
    parent.children.add(name);
    dirs.push({ rel: `${parent.rel}/${name}`, depth: parent.depth + 1, children: new Set() });
  }
  const files: string[] = [];
  const names = new Map<string, Set<string>>();
  while (files.length < fileCount) {
    const dir = pick(dirs);
    const taken = names.get(dir.rel) ?? new Set<string>();
    names.set(dir.rel, taken);
    let name = `${pick(STEMS)}${pick(EXTS)}`;
    if (taken.has(name) || dir.children.has(name)) name = `${taken.size}-${name}`;
    taken.add(name);
    files.push(`${dir.rel}/${name}`);
  }
  return files;
}

function run(cmd: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.resume(); // drain, like a real consumer would
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`)),
    );
  });
}

async function ensureTree(log: (line: string) => void): Promise<{ plain: string; repo: string }> {
  const plain = path.join(BENCH_DIR, 'plain');
  const repo = path.join(BENCH_DIR, 'repo');
  if (fs.existsSync(MARKER)) return { plain, repo };
  log(`generating ${FILE_COUNT} files under ${BENCH_DIR} (once)…`);
  fs.rmSync(BENCH_DIR, { recursive: true, force: true });
  const files = generateTreePaths();
  for (const root of [plain, repo]) {
    const made = new Set<string>();
    for (const file of files) {
      const dir = path.join(root, path.dirname(file));
      if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
      made.add(dir);
      fs.writeFileSync(path.join(root, file), '');
    }
  }
  const git = ['-c', 'core.fsmonitor=false', '-c', 'user.name=bench', '-c', 'user.email=bench@example.com'];
  await run('git', ['init', '-q'], repo);
  await run('git', [...git, 'add', '-A'], repo);
  await run('git', [...git, 'commit', '-q', '-m', 'bench tree'], repo);
  fs.writeFileSync(MARKER, new Date().toISOString());
  return { plain, repo };
}

interface Stats {
  median: number;
  p95: number;
}

/** Wall time in ms of `count` sequential runs (after `warmup`), median and p95. */
function toStats(samples: number[]): Stats {
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p95: percentile(samples, 95) };
}

async function timeMs(fn: () => Promise<unknown>, count: number, warmup = 1): Promise<Stats> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return toStats(samples);
}

/**
 * A cold search and its baseline timed in turns (baseline, ours, baseline, ours…), so a machine
 * that slows down or speeds up during the run moves both alike and the ratio stays honest.
 */
async function timePaired(
  baseline: () => Promise<unknown>,
  fn: () => Promise<unknown>,
  count: number,
): Promise<{ baseline: Stats; ours: Stats }> {
  await baseline();
  await fn();
  const theirs: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < count; i++) {
    for (const [task, samples] of [
      [baseline, theirs],
      [fn, ours],
    ] as const) {
      const start = performance.now();
      await task();
      samples.push(performance.now() - start);
    }
  }
  return { baseline: toStats(theirs), ours: toStats(ours) };
}

const QUERIES = ['', 'index', 'deep/file', 'zzqqxxjj'];

const line = (label: string, stats: Stats, ratios: string) =>
  `${label}: median ${fmt(stats.median)} ms p95 ${fmt(stats.p95)} ms${ratios}`;

export async function benchSearch(log: (line: string) => void): Promise<void> {
  const { plain, repo } = await ensureTree(log);
  // `ls-files -z` only reads the index; our git source also walks the work tree (untracked
  // files), so the work-tree listing is shown as well, and each cold search runs in turns with it.
  const listWorktree = () => run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], repo);
  const listPlain = () => run('rg', ['--files'], plain);
  const baselines = {
    index: await timeMs(() => run('git', ['ls-files', '-z'], repo), 7),
    worktree: await timeMs(listWorktree, 7),
    rg: await timeMs(listPlain, 7),
  };
  log(line(`baseline git ls-files -z (${FILE_COUNT} files)`, baselines.index, ''));
  log(line('baseline git ls-files -z --cached --others --exclude-standard', baselines.worktree, ''));
  log(line(`baseline rg --files (${FILE_COUNT} files)`, baselines.rg, ''));

  const trees = [
    { label: 'git repo', root: repo, tools: {}, paired: listWorktree, before: [baselines.index] },
    { label: 'plain dir (rg)', root: plain, tools: {}, paired: listPlain, before: [] },
    { label: 'plain dir (walker)', root: plain, tools: { git: null, rg: null }, paired: listPlain, before: [] },
  ];
  for (const { label, root, tools, paired, before } of trees) {
    const queries = label.includes('walker') ? ['', 'index'] : QUERIES;
    for (const query of queries) {
      // Cold: a new index each run, so every run lists, pre-filters, prepares and ranks from scratch;
      // its main baseline (the work-tree listing, or rg) runs in turns with it.
      const cold = await timePaired(
        paired,
        () => searchFiles(new FileIndex({ logger: silentLogger, tools }), root, query, 60),
        7,
      );
      // Warm: one index kept fresh for the whole loop → the cost of ranking a cached listing.
      const index = new FileIndex({ logger: silentLogger, tools, freshMs: 600_000, staleMs: 600_000 });
      const warm = await timeMs(() => searchFiles(index, root, query, 60), 20, 2);
      for (const [kind, stats, main] of [
        ['cold', cold.ours, cold.baseline],
        ['warm', warm, cold.baseline],
      ] as const) {
        const ratios = [...before, main].map((baseline) => fmt(stats.median / baseline.median, 2)).join(' / ');
        const note = kind === 'cold' ? ` (in turns with it: ${fmt(main.median)} ms)` : '';
        log(line(`search ${label} q=${JSON.stringify(query)} ${kind}`, stats, ` | ×${ratios} baseline${note}`));
      }
    }
  }
}
