/**
 * The workspace UI's views at real size, in Chromium against the chamber CLI (the built bundle):
 *
 * - viewer: a 50k-line file from a click in the tree to its first lines painted, against reading
 *   the same file (`read_file` from the page, and `fs.readFile` in Node) in the same run;
 * - history: a 10k-commit repository, the History list scrolled from the newest commit to the
 *   oldest (pages load as it goes): frame times, against idle frames of the same page;
 * - freshness: a file changed on disk → its row in Changes, with the file-system watcher and with
 *   the 4 s poll it replaces (the watch subscription withheld from the page), and the status
 *   requests an idle minute costs each way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { makeTempDir } from '../test/support/fixtures.js';
import { buildLongHistory } from '../test/support/long-history.js';
import { ensureUiBundle, launchChromium, newUiPage, startChamber, writeFile } from '../test/support/ui.js';
import { fmt, percentile } from './stats.js';

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
const median = (values: number[]) => percentile(sorted(values), 50);

function workspaceHome(base: string, work: string): string {
  const home = path.join(base, 'home');
  writeFile(path.join(home, '.gitconfig'), '[user]\n\tname = Bench\n\temail = bench@example.com\n');
  writeFile(
    path.join(home, '.config', 'openchamber', 'settings.json'),
    JSON.stringify({ lastDirectory: work, homeDirectory: home }),
  );
  return home;
}

async function withUi(
  base: string,
  work: string,
  run: (page: Page, browser: Browser) => Promise<void>,
  before?: (page: Page) => Promise<void>,
): Promise<void> {
  const home = workspaceHome(base, work);
  const chamber = await startChamber({ home });
  const browser = await launchChromium();
  try {
    const page = await newUiPage(browser, 120_000);
    await before?.(page);
    await page.goto(chamber.url);
    await page.getByTestId('file-tree').waitFor();
    await run(page, browser);
  } finally {
    await browser.close();
    await chamber.close();
  }
}

export async function benchViewer(log: (line: string) => void): Promise<void> {
  ensureUiBundle();
  const base = makeTempDir('chamber-bench-viewer-');
  const work = path.join(base, 'home', 'work');
  const file = path.join(work, 'big.ts');
  const lines = 50_000;
  writeFile(
    file,
    Array.from({ length: lines }, (_, i) => `const value${i + 1} = ${i + 1}; // line ${i + 1}\n`).join(''),
  );
  const bytes = fs.statSync(file).size;
  try {
    await withUi(base, work, async (page) => {
      const nodeRead: number[] = [];
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        fs.readFileSync(file, 'utf8');
        nodeRead.push(performance.now() - started);
      }
      const pageRead: number[] = [];
      for (let i = 0; i < 10; i++) {
        pageRead.push(
          await page.evaluate(async (p) => {
            const apis = (
              window as unknown as { __OPENCHAMBER_RUNTIME_APIS__: { files: { read(p: string): Promise<unknown> } } }
            ).__OPENCHAMBER_RUNTIME_APIS__;
            const started = performance.now();
            await apis.files.read(p);
            return performance.now() - started;
          }, file),
        );
      }
      const paint: number[] = [];
      for (let round = 0; round < 6; round++) {
        paint.push(
          await page.evaluate(async (p) => {
            const row = document.querySelector<HTMLElement>(`[role=treeitem][data-path="${p}"]`)!;
            const started = performance.now();
            row.click();
            for (;;) {
              await new Promise(requestAnimationFrame);
              const line = document.querySelector('[data-testid=viewer-code] .cm-line');
              if (line?.textContent?.includes('line 1')) break;
            }
            // The frame that shows it.
            await new Promise(requestAnimationFrame);
            return performance.now() - started;
          }, file),
        );
        await page.getByTestId('viewer-close').click();
        await page.getByTestId('file-viewer').waitFor({ state: 'detached' });
      }
      const [first, ...warm] = paint;
      log(
        `viewer: ${lines.toLocaleString()}-line file (${fmt(bytes / 2 ** 20, 2)} MiB) clicked → first lines painted: ` +
          `first open ${fmt(first!, 0)} ms (loads the editor's chunk), then median ${fmt(median(warm), 0)} ms | ` +
          `read_file from the page median ${fmt(median(pageRead), 0)} ms, fs.readFile in Node ${fmt(median(nodeRead), 1)} ms`,
      );
      const drawn = await page.evaluate(async (p) => {
        document.querySelector<HTMLElement>(`[role=treeitem][data-path="${p}"]`)!.click();
        for (;;) {
          await new Promise(requestAnimationFrame);
          if (document.querySelector('[data-testid=viewer-code] .cm-line')) break;
        }
        const scroller = document.querySelector<HTMLElement>('[data-testid=viewer-code] .cm-scroller')!;
        const frames: number[] = [];
        let last = performance.now();
        for (let i = 1; i <= 120; i++) {
          scroller.scrollTop = (scroller.scrollHeight * i) / 120;
          await new Promise(requestAnimationFrame);
          const now = performance.now();
          frames.push(now - last);
          last = now;
        }
        return { frames, lines: document.querySelectorAll('[data-testid=viewer-code] .cm-line').length };
      }, file);
      const frames = sorted(drawn.frames);
      log(
        `viewer: scrolled top to bottom in 120 jumps: frame median ${fmt(percentile(frames, 50), 1)} ms, p95 ` +
          `${fmt(percentile(frames, 95), 1)} ms; ${drawn.lines} lines in the DOM`,
      );
    });
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

export async function benchHistory(log: (line: string) => void): Promise<void> {
  ensureUiBundle();
  const base = makeTempDir('chamber-bench-history-');
  const work = path.join(base, 'home', 'work');
  const commits = 10_000;
  const built = performance.now();
  buildLongHistory(work, commits);
  const buildMs = performance.now() - built;
  try {
    await withUi(base, work, async (page) => {
      const idle = await page.evaluate(async () => {
        const frames: number[] = [];
        let last = performance.now();
        for (let i = 0; i < 60; i++) {
          await new Promise(requestAnimationFrame);
          const now = performance.now();
          frames.push(now - last);
          last = now;
        }
        return frames;
      });
      const opened = performance.now();
      await page.keyboard.press('Control+Shift+G');
      await page.getByTestId('git-tabs').locator('[data-value=history]').click();
      await page.locator('[data-testid=commit-row]').first().waitFor();
      const firstRowsMs = performance.now() - opened;
      const run = await page.evaluate(async (total) => {
        const list = document.querySelector<HTMLElement>('[data-testid=history-list]')!;
        const frames: number[] = [];
        const started = performance.now();
        let last = started;
        // Scroll as a person flinging the wheel: a screenful per frame, until the oldest commit shows.
        for (let i = 0; i < 20_000; i++) {
          list.scrollTop += list.clientHeight;
          await new Promise(requestAnimationFrame);
          const now = performance.now();
          frames.push(now - last);
          last = now;
          if ([...list.querySelectorAll('.commit-subject')].some((s) => s.textContent?.startsWith('Commit 1:'))) break;
          if (now - started > 300_000) break;
        }
        void total;
        return {
          frames,
          ms: performance.now() - started,
          rows: list.querySelectorAll('[data-testid=commit-row]').length,
        };
      }, commits);
      const frames = sorted(run.frames);
      log(
        `history: ${commits.toLocaleString()} commits (fast-import ${fmt(buildMs, 0)} ms); first rows ${fmt(firstRowsMs, 0)} ms after ` +
          `opening History; scrolled a screen a frame to the oldest in ${fmt(run.ms / 1000, 1)} s (${run.frames.length} frames, ` +
          `pages of 200 loading as it goes): frame median ${fmt(percentile(frames, 50), 1)} ms, p95 ${fmt(percentile(frames, 95), 1)} ms, ` +
          `worst ${fmt(frames.at(-1)!, 0)} ms | idle frames of the same page median ${fmt(median(idle), 1)} ms; ` +
          `${run.rows} commit rows in the DOM`,
      );
    });
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

export async function benchFreshness(log: (line: string) => void): Promise<void> {
  ensureUiBundle();
  const rounds = 8;
  for (const mode of ['watcher', 'poll'] as const) {
    const base = makeTempDir(`chamber-bench-fresh-${mode}-`);
    const work = path.join(base, 'home', 'work');
    writeFile(path.join(work, 'README.md'), '# bench\n');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=B', '-c', 'user.email=b@example.com', ...args], {
        cwd: work,
        stdio: 'ignore',
      });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'initial');
    try {
      await withUi(
        base,
        work,
        async (page) => {
          let statusCalls = 0;
          page.on('request', (request) => {
            if (new URL(request.url()).pathname === '/api/git/status') statusCalls++;
          });
          await page.keyboard.press('Control+Shift+G');
          await page.getByTestId('git-clean').waitFor();
          await page.waitForTimeout(1500);
          const latencies: number[] = [];
          for (let round = 0; round < rounds; round++) {
            const name = `change-${round}.txt`;
            const started = performance.now();
            fs.writeFileSync(path.join(work, name), `${round}\n`);
            await page.locator(`[data-testid=change-row][data-path="${name}"]`).waitFor({ timeout: 30_000 });
            latencies.push(performance.now() - started);
            // Land at a random point of the poll's period next time.
            await page.waitForTimeout(300 + Math.random() * 1500);
          }
          const before = statusCalls;
          await page.waitForTimeout(60_000);
          const idle = statusCalls - before;
          const values = sorted(latencies);
          log(
            `freshness (${mode === 'watcher' ? 'file-system watcher' : '4 s poll, watch withheld'}): change on disk → Changes row ` +
              `median ${fmt(percentile(values, 50), 0)} ms, worst ${fmt(values.at(-1)!, 0)} ms (${rounds} changes); ` +
              `an idle minute costs ${idle} status requests`,
          );
        },
        mode === 'poll'
          ? async (page) => {
              // Withhold the fs:// subscription: the UI then keeps the 4 s poll, as before events.
              await page.route('**/api/chamber/events/*', async (route) => {
                const body = route.request().postDataJSON() as { subscribe?: unknown[] } | null;
                if (!body?.subscribe) return route.continue();
                const subscribe = body.subscribe.filter((s) => !(typeof s === 'string' && s.startsWith('fs://')));
                return route.continue({ postData: JSON.stringify({ ...body, subscribe }) });
              });
            }
          : undefined,
      );
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  }
}
