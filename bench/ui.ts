/**
 * The terminal panel of the real UI in Chromium (the built bundle served by the chamber CLI)
 * under a flood, where flow control shows: how fast output reaches xterm's screen, and how long
 * Ctrl+C takes to bring the prompt back while `yes` floods the terminal (everything the runtime
 * let through before the interrupt, at most its window, has to be parsed by xterm first). The
 * baseline is the same output written straight into the same xterm in the page (no shell, no
 * runtime, no transport), in the same run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { makeTempDir } from '../test/support/fixtures.js';
import { ensureUiBundle, homeWithWorkspace, launchChromium, newUiPage, startChamber } from '../test/support/ui.js';
import { fmt, percentile } from './stats.js';

const ROUNDS = 5;
const FLOOD_LINES = 300_000;

const pane = '[data-testid=terminal-pane]:not([hidden])';

/** The last non-blank lines of the active terminal (xterm's buffer, through the UI's probe). */
function lastLines(page: Page, count: number): Promise<string[]> {
  return page.evaluate(
    ({ selector, count }) => {
      const view = document.querySelector(`${selector} [data-testid=terminal-view]`) as
        (Element & { chamberTerminal?: { text(): string } }) | null;
      return (view?.chamberTerminal?.text() ?? '').split('\n').slice(-count);
    },
    { selector: pane, count },
  );
}

async function type(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Poll the screen until `done(lines)`; answers the ms since `since`. */
async function until(page: Page, since: number, done: (lines: string[]) => boolean): Promise<number> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (done(await lastLines(page, 3))) return performance.now() - since;
    if (performance.now() > deadline) throw new Error('the terminal did not get there within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `seq 1 <lines>` as the tty shows it, written into the active xterm in 64 Ki pieces; answers the ms. */
function xtermOnly(page: Page, lines: number): Promise<number> {
  return page.evaluate(
    async ({ selector, lines }) => {
      const view = document.querySelector(`${selector} [data-testid=terminal-view]`) as Element & {
        chamberTerminal: { write(text: string): Promise<void> };
      };
      let text = '';
      for (let i = 1; i <= lines; i++) text += `${i}\r\n`;
      const started = performance.now();
      for (let at = 0; at < text.length; at += 65_536) await view.chamberTerminal.write(text.slice(at, at + 65_536));
      return performance.now() - started;
    },
    { selector: pane, lines },
  );
}

const atPrompt = (lines: string[]) => /[$#] $/.test(lines.at(-1) ?? '');

export async function benchUi(log: (line: string) => void): Promise<void> {
  ensureUiBundle();
  const base = makeTempDir('chamber-bench-ui-');
  const { home } = homeWithWorkspace(base);
  const chamber = await startChamber({ home });
  const browser = await launchChromium();
  try {
    const page = await newUiPage(browser, 60_000);
    await page.goto(chamber.url);
    await page.locator(`${pane}[data-status=live]`).waitFor();
    await page.locator(`${pane} .xterm`).click();
    await until(page, 0, atPrompt);

    const flood = `seq 1 ${FLOOD_LINES}`;
    const bytes = spawnSync('bash', ['-c', `${flood} | wc -c`], { encoding: 'utf8' }).stdout.trim();
    const floodMs: number[] = [];
    const baselineMs: number[] = [];
    const interruptMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselineMs.push(await xtermOnly(page, FLOOD_LINES));
      await type(page, 'clear');
      await until(page, performance.now(), atPrompt);

      let since = performance.now();
      await type(page, `${flood}; echo flood-done-${round}`);
      floodMs.push(await until(page, since, (lines) => lines.includes(`flood-done-${round}`) && atPrompt(lines)));

      await type(page, 'yes "flooding the terminal until Ctrl+C"');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      since = performance.now();
      await page.keyboard.press('Control+c');
      interruptMs.push(
        await until(page, since, (lines) => lines.some((line) => line.includes('^C')) && atPrompt(lines)),
      );
      await type(page, 'clear');
      await until(page, performance.now(), atPrompt);
    }
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const flood50 = percentile(sorted(floodMs), 50);
    const mib = Number(bytes) / 2 ** 20;
    log(
      `flood into the UI's terminal (${flood}, ${fmt(mib, 1)} MiB, ${ROUNDS} rounds): on screen after median ` +
        `${fmt(flood50, 0)} ms (${fmt(mib / (flood50 / 1000), 1)} MiB/s) | written straight into the same xterm ` +
        `${fmt(percentile(sorted(baselineMs), 50), 0)} ms → ratio ${fmt(percentile(sorted(baselineMs), 50) / flood50, 2)}`,
    );
    log(
      `Ctrl+C during a yes flood → the prompt back on screen: median ${fmt(percentile(sorted(interruptMs), 50), 0)} ms, ` +
        `worst ${fmt(Math.max(...interruptMs), 0)} ms`,
    );
  } finally {
    await browser.close();
    await chamber.close();
    fs.rmSync(base, { recursive: true, force: true });
  }
}
