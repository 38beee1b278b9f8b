/**
 * Ten terminals streaming at once in real Chromium while API calls still answer: every terminal
 * rides the one multiplexed event stream, so the browser's six-connections-per-host limit is never
 * reached (one SSE response per terminal would leave later fetches hanging from the sixth).
 */
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '@chamber/runtime';
import { createServer, type ChamberServer } from '@chamber/server';
import { clientPageDir } from './support/desktop.js';
import { buildWorkspaceFixture, type WorkspaceFixture } from './support/fixtures.js';
import { CHROMIUM_PATH, launchChromium } from './support/ui.js';

describe.skipIf(!fs.existsSync(CHROMIUM_PATH))('terminals in Chromium', () => {
  let fixture: WorkspaceFixture;
  let runtime: Runtime;
  let server: ChamberServer;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    fixture = buildWorkspaceFixture('chamber-terminal-browser-');
    runtime = createRuntime({ homeDir: fixture.home, dataDir: fixture.dataDir, cwd: fixture.work, env: {} });
    // A page holding just the client: it installs RuntimeAPIs over the web transport.
    server = createServer({ runtime, staticDir: await clientPageDir() });
    url = (await server.listen(0, '127.0.0.1')).url;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await runtime?.close();
    fixture?.cleanup();
  });

  it('streams 10 terminals at once while API calls still answer', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    await page.waitForFunction(() => '__OPENCHAMBER_RUNTIME_APIS__' in globalThis);
    const result = await page.evaluate(
      async ({ cwd }) => {
        type Api = {
          terminal: {
            createSession(o: { cwd: string }): Promise<{ sessionId: string }>;
            connect(id: string, h: { onEvent(e: { type: string; data?: string }): void }): { close(): void };
            sendInput(id: string, data: string): Promise<void>;
          };
          files: { home(): Promise<string> };
        };
        const apis = (window as unknown as { __OPENCHAMBER_RUNTIME_APIS__: Api }).__OPENCHAMBER_RUNTIME_APIS__;
        const count = 10;
        const texts: string[] = Array.from({ length: count }, () => '');
        const sessions = await Promise.all(Array.from({ length: count }, () => apis.terminal.createSession({ cwd })));
        const subscriptions = sessions.map(({ sessionId }, i) =>
          apis.terminal.connect(sessionId, {
            onEvent: (e) => {
              if (e.type === 'data') texts[i] = (texts[i] ?? '') + (e.data ?? '');
            },
          }),
        );
        const started = performance.now();
        await Promise.all(
          sessions.map(({ sessionId }, i) =>
            apis.terminal.sendInput(sessionId, `seq -f 'term${i}-%06g' 1 40000; echo term${i}-$((1+1))-end\r`),
          ),
        );
        // API calls while every terminal is streaming.
        const answered: number[] = [];
        while (texts.some((t, i) => !t.includes(`term${i}-2-end`)) && performance.now() - started < 60_000) {
          const call = performance.now();
          const [home, health] = await Promise.all([apis.files.home(), fetch('/health').then((r) => r.json())]);
          if (home && (health as { status?: string }).status === 'ok') answered.push(performance.now() - call);
          await new Promise((r) => setTimeout(r, 50));
        }
        const complete = texts.map((t, i) => t.includes(`term${i}-040000`) && t.includes(`term${i}-2-end`));
        const streamingWhileAnswered = answered.length;
        subscriptions.forEach((s) => s.close());
        return { complete, streamingWhileAnswered, slowest: Math.max(...answered), chars: texts.map((t) => t.length) };
      },
      { cwd: fixture.work },
    );
    expect(result.complete).toEqual(Array.from({ length: 10 }, () => true));
    expect(result.streamingWhileAnswered).toBeGreaterThan(0);
    for (const chars of result.chars) expect(chars).toBeGreaterThan(40000 * 12);
    await page.close();
  }, 120_000);
});
