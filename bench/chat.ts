/**
 * `npm run bench -- chat`: the chat view of the real UI (the built bundle served by the chamber
 * CLI, headless Chromium) on the real OpenCode, whose model is the loopback fake of the tests.
 *
 * - Enter → first token on screen, against Enter → the fake model's first byte (OpenCode's own
 *   latency, the baseline), and → OpenCode's event with that token read in Node from the same
 *   stream: the differences are what OpenCode, then Chamber's pass-through and the view add.
 *   Goal ≤ +50 ms. "On screen" is when the view put the token in the DOM (a MutationObserver);
 *   the browser paints it at its next frame, up to 16.7 ms later.
 * - Streaming one reply of 5,000 pieces (`message.part.delta` events; Markdown with code
 *   blocks): the page's frame times while it streams (rAF intervals: 16.7 ms is one frame at
 *   60 Hz), against the same page idle for as long. Goal p95 ≤ 16 ms (no dropped frame).
 * - A 2 MB transcript (44 turns of ~50 KB of Markdown, made through OpenCode's API): open time
 *   (click in the list → its last message laid out) and the page's JS heap after a GC, against
 *   a one-turn session opened in the same run; then the frame times of wheel-scrolling it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createOpencodeClient } from '@opencode-ai/sdk/v2/client';
import type { CDPSession, Page } from 'playwright-core';
import { createLongSession } from '../test/support/chat-transcript.js';
import { reply, splitWords, startFakeModel } from '../test/support/fake-model.js';
import { createOpenCodeWorkspace } from '../test/support/opencode-workspace.js';
import { ensureUiBundle, launchChromium, newUiPage, startChamber, writeFile } from '../test/support/ui.js';
import { fmt, percentile } from './stats.js';

const FIRST_TOKEN_ROUNDS = 12;
const STREAM_PIECES = 5_000;

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const summary = (values: readonly number[]) => {
  const s = sorted(values);
  return `p50 ${fmt(percentile(s, 50))} / p95 ${fmt(percentile(s, 95))} / max ${fmt(s.at(-1) ?? Number.NaN)} ms`;
};

async function waitIdle(page: Page): Promise<void> {
  await page.locator('[data-testid=chat-view][data-busy=false]').waitFor();
}

// Page-side code is passed as text: tsx would wrap named functions in a `__name` helper the
// page does not have.
const RECORD_FRAMES = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = -1;
  const tick = (now) => {
    if (last >= 0) window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

/** Starts recording rAF intervals in the page; the returned function stops and answers them. */
async function recordFrames(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(RECORD_FRAMES);
  return () => page.evaluate<number[]>('(window.__recording = false, window.__frames)');
}

/**
 * Notes when Enter goes down and when the last reply first holds `window.__marker` in the DOM
 * (a MutationObserver: the moment the view committed it; the browser paints it at its next frame).
 */
const WATCH_FIRST_TOKEN = `(() => {
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') window.__enterAt = performance.timeOrigin + performance.now();
  }, true);
  new MutationObserver(() => {
    if (!window.__marker || window.__seenAt) return;
    const nodes = document.querySelectorAll('[data-testid=chat-message][data-role=assistant]');
    if (nodes[nodes.length - 1]?.textContent?.includes(window.__marker)) {
      window.__seenAt = performance.timeOrigin + performance.now();
    }
  }).observe(document.body, { childList: true, subtree: true, characterData: true });
})()`;

/** The page's JS heap after a full GC, in MiB. */
async function heapMiB(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 2 ** 20;
}

/** Click a session in the list; answers the ms until its last message is laid out. */
async function openSession(page: Page, title: string, lastId: string): Promise<number> {
  const started = performance.now();
  await page.getByTestId('session-row').filter({ hasText: title }).click();
  await page.locator(`[data-testid=chat-message][data-id="${lastId}"]`).waitFor();
  return performance.now() - started;
}

/** A reply of `pieces` streamed pieces: paragraphs and code blocks, a few words per piece. */
function streamPieces(pieces: number): string[] {
  const out: string[] = [];
  for (let index = 0; out.length < pieces; index += 1) {
    const block =
      index % 5 === 4
        ? `\n\n\`\`\`ts\nconst value${index} = compute(${index}); // a line of code\n\`\`\`\n\n`
        : `Sentence ${index} of the streamed reply, with **bold** and \`code\` in it. `;
    out.push(...splitWords(block));
  }
  return out.slice(0, pieces);
}

export async function benchChat(log: (line: string) => void): Promise<void> {
  ensureUiBundle();
  const model = await startFakeModel({ chunkDelayMs: 0 });
  const workspace = await createOpenCodeWorkspace({ baseURL: model.baseURL, files: { 'README.md': '# bench\n' } });
  writeFile(
    path.join(workspace.home, '.config', 'openchamber', 'settings.json'),
    JSON.stringify({ lastDirectory: workspace.directory, homeDirectory: workspace.home }),
  );
  const env = Object.fromEntries(
    Object.entries(workspace.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const chamber = await startChamber({ home: workspace.home, opencode: true, env });
  const browser = await launchChromium();
  try {
    const page = await newUiPage(browser, 120_000);
    const cdp = await page.context().newCDPSession(page);
    await page.goto(chamber.url);
    await page.getByTestId('file-tree').waitFor();
    await page.keyboard.press('Control+Shift+A');
    await page.locator('[data-testid=chat-connection]', { hasText: 'OpenCode' }).waitFor();
    const input = page.getByTestId('chat-input');

    // --- Enter → first token ---------------------------------------------------------------
    await page.evaluate(WATCH_FIRST_TOKEN);
    // Beside the page, the same event stream read in Node: when OpenCode's event with the first
    // token left it, so the figure splits into OpenCode's part and Chamber's + the view's.
    const eventAt = new Map<string, number>();
    const events = new AbortController();
    void (async () => {
      const response = await fetch(`${chamber.url}/api/event?directory=${encodeURIComponent(workspace.directory)}`, {
        signal: events.signal,
      });
      const decoder = new TextDecoder();
      for await (const chunk of response.body!) {
        const text = decoder.decode(chunk as Uint8Array, { stream: true });
        for (const match of text.matchAll(/Marker\d+x/g)) if (!eventAt.has(match[0])) eventAt.set(match[0], Date.now());
      }
    })().catch(() => undefined);
    const toModel: number[] = [];
    const toEvent: number[] = [];
    const toScreen: number[] = [];
    for (let round = -2; round < FIRST_TOKEN_ROUNDS; round += 1) {
      const marker = `Marker${round + 10}x`;
      model.script(reply.text(`${marker} and a few more words after it.`, { delayMs: 0 }));
      await page.evaluate(`window.__seenAt = 0; window.__marker = ${JSON.stringify(marker)};`);
      await input.fill(`Round ${round}`);
      await input.press('Enter');
      await page.waitForFunction('window.__seenAt > 0');
      await waitIdle(page);
      const { enterAt, seenAt } = await page.evaluate<{ enterAt: number; seenAt: number }>(
        '({ enterAt: window.__enterAt, seenAt: window.__seenAt })',
      );
      const request = model.mainRequests().at(-1)!;
      // Two warm-up rounds (the first prompt of a session also asks for a title).
      if (round < 0) continue;
      toModel.push(request.firstChunkAt! - enterAt);
      toEvent.push(eventAt.get(marker)! - enterAt);
      toScreen.push(seenAt - enterAt);
    }
    events.abort();
    const overhead = percentile(sorted(toScreen), 50) - percentile(sorted(toModel), 50);
    const afterEvent = percentile(sorted(toScreen), 50) - percentile(sorted(toEvent), 50);
    log(`Enter → first token (${FIRST_TOKEN_ROUNDS} prompts, one session):`);
    log(`  in the DOM             ${summary(toScreen)}`);
    log(`  model's first byte     ${summary(toModel)}   (OpenCode's own latency: the baseline)`);
    log(`  OpenCode's event out    ${summary(toEvent)}   (read in Node through the same /api/event)`);
    log(`  → on screen after the model's first byte: +${fmt(overhead)} ms at the median (goal ≤ +50 ms),`);
    log(
      `    of which after OpenCode sent the event (Chamber's pass-through, the page, the view): +${fmt(afterEvent)} ms`,
    );

    // --- streaming 5,000 pieces ---------------------------------------------------------------
    const pieces = streamPieces(STREAM_PIECES);
    model.script(reply.text(pieces, { delayMs: 1 }));
    await input.fill('Stream a long answer');
    const stopStream = await recordFrames(page);
    const streamStarted = performance.now();
    await input.press('Enter');
    await waitIdle(page);
    const streamMs = performance.now() - streamStarted;
    const streaming = await stopStream();
    const stopIdle = await recordFrames(page);
    await page.waitForTimeout(Math.min(streamMs, 10_000));
    const idle = await stopIdle();
    const chars = pieces.join('').length;
    log(
      `Streaming one reply of ${STREAM_PIECES} pieces (${fmt(chars / 1024, 0)} KiB of Markdown, ${fmt(streamMs / 1000, 1)} s):`,
    );
    log(`  frame times while streaming  ${summary(streaming)}  (${streaming.length} frames)`);
    log(`  the same page idle           ${summary(idle)}  (goal: p95 ≤ 16 ms, i.e. one 60 Hz frame)`);
    const dropped = streaming.filter((frame) => frame > 20).length;
    log(`  frames longer than 20 ms while streaming: ${dropped} of ${streaming.length}`);

    // --- a 2 MB transcript ----------------------------------------------------------------------
    const sdk = createOpencodeClient({ baseUrl: `${chamber.url}/api` });
    const small = await createLongSession(sdk, model, workspace.directory, { title: 'One turn', turns: 1 });
    const long = await createLongSession(sdk, model, workspace.directory, { title: 'Long transcript', turns: 44 });
    await page.getByTestId('chat-new-session').click();
    const heapBefore = await heapMiB(cdp);
    const smallMs: number[] = [];
    const longMs: number[] = [];
    let heapSmall = 0;
    let heapLong = 0;
    for (let round = 0; round < 3; round += 1) {
      // Switching away and back loads the conversation afresh (only the open one is kept).
      smallMs.push(await openSession(page, 'One turn', small.messageIds.at(-1)!));
      heapSmall = await heapMiB(cdp);
      longMs.push(await openSession(page, 'Long transcript', long.messageIds.at(-1)!));
      heapLong = await heapMiB(cdp);
      await page.getByTestId('chat-new-session').click();
      await page.getByTestId('chat-empty').waitFor();
    }
    log(`A ${fmt(long.bytes / 2 ** 20, 2)} MiB transcript (${long.messageIds.length} messages; 3 opens each):`);
    log(`  open (click → last message laid out)  ${summary(longMs)}`);
    log(`  a one-turn session, same run          ${summary(smallMs)}`);
    log(
      `  JS heap after GC: ${fmt(heapLong)} MiB with it open, ${fmt(heapSmall)} MiB with the one-turn session, ` +
        `${fmt(heapBefore)} MiB with none`,
    );

    // Scrolling it: wheel steps of a third of a screen, as fast as frames allow.
    await openSession(page, 'Long transcript', long.messageIds.at(-1)!);
    const list = page.getByTestId('chat-messages');
    await list.evaluate((element) => (element.scrollTop = element.scrollHeight / 2));
    const box = (await list.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
    const stopScroll = await recordFrames(page);
    for (let step = 0; step < 300; step += 1) {
      await page.mouse.wheel(0, box.height / 3);
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
    }
    const scrolling = await stopScroll();
    log(`  wheel-scrolling it (300 steps): frame times ${summary(scrolling)}`);
  } finally {
    await browser.close();
    await chamber.close();
    await model.close();
    await workspace.cleanup();
    fs.rmSync(workspace.root, { recursive: true, force: true });
  }
}
