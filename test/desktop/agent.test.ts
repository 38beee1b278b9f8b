/**
 * The agent in the real desktop window: the host supervises the real OpenCode, and the official
 * `@opencode-ai/sdk` client runs unchanged in the page on the client's `opencode.fetch`, so every
 * call crosses page → binding → DevTools pipe → IpcHost → runtime → OpenCode. The window makes no
 * HTTP request to `/api`, and the host opens no listening socket (only OpenCode listens, on
 * loopback, behind its per-run password).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, waitFor } from '../support/agent.js';
import { sdkPageDir, startDesktopDriver, type DesktopDriver } from '../support/desktop.js';
import { reply, startFakeModel, type FakeModel } from '../support/fake-model.js';
import { createOpenCodeWorkspace, type OpenCodeWorkspace } from '../support/opencode-workspace.js';
import { listeningSockets, processTree } from '../support/sockets.js';

let model: FakeModel;
let workspace: OpenCodeWorkspace;
let driver: DesktopDriver;

beforeAll(async () => {
  model = await startFakeModel({ chunkDelayMs: 5 });
  workspace = await createOpenCodeWorkspace({ baseURL: model.baseURL, permission: 'allow' });
  driver = await startDesktopDriver({
    homeDir: workspace.home,
    dataDir: path.join(workspace.root, 'data'),
    cwd: workspace.directory,
    uiDir: await sdkPageDir(),
    opencode: { enabled: true },
    env: workspace.env as Record<string, string>,
  });
});

afterAll(async () => {
  await driver?.stop();
  await model?.close();
  await workspace?.cleanup();
});

interface Turn {
  status: number;
  sessionID: string;
  firstTextAt: number | null;
  text: string;
  eventTypes: string[];
}

/** Played in the page: wait for OpenCode, then a session and a prompt through the SDK, reading /event. */
const PAGE_TURN = (directory: string) => `(async () => {
  const apis = globalThis.__OPENCHAMBER_RUNTIME_APIS__;
  const sdk = globalThis.__OPENCODE_SDK__;
  const directory = ${JSON.stringify(directory)};
  let status = 0;
  for (let i = 0; i < 600 && status !== 200; i++) {
    status = (await apis.opencode.fetch(apis.opencode.baseUrl + '/path')).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  const session = await sdk.session.create({ directory });
  const sessionID = session.data.id;
  globalThis.__TURN__ = { sessionID };
  await new Promise((r) => setTimeout(r, 50));
  const events = await sdk.event.subscribe({ directory });
  const eventTypes = [];
  let firstTextAt = null;
  const reading = (async () => {
    for await (const event of events.stream) {
      eventTypes.push(event.type);
      const p = event.properties || {};
      if (event.type === 'message.part.delta' && p.field === 'text' && p.sessionID === sessionID && firstTextAt === null) {
        firstTextAt = Date.now();
        globalThis.__FIRST_TEXT__ = true;
      }
      if (event.type === 'session.idle' && p.sessionID === sessionID) return;
    }
  })();
  await new Promise((r) => { const wait = () => (globalThis.__SCRIPTED__ ? r() : setTimeout(wait, 20)); wait(); });
  await sdk.session.promptAsync({ sessionID, directory, parts: [{ type: 'text', text: 'hello from the window' }] });
  await Promise.race([reading, new Promise((_, reject) => setTimeout(() => reject(new Error('no session.idle')), 40000))]);
  const messages = await sdk.session.messages({ sessionID, directory });
  const text = messages.data.filter((m) => m.info.role === 'assistant').flatMap((m) => m.parts).filter((p) => p.type === 'text').map((p) => p.text).join('');
  return { status, sessionID, firstTextAt, text, eventTypes };
})()`;

describe('the agent in the desktop window', () => {
  it('the SDK in the page talks to OpenCode over IPC: a prompt streams its reply; no /api request, no host socket', async () => {
    const words = ['The', ' window', ' talks', ' over', ' IPC.'];
    const turn = driver.request<Turn>('evaluate', { expression: PAGE_TURN(workspace.directory) });
    const sessionID = await waitFor(
      () =>
        driver
          .request<{ sessionID: string } | null>('evaluate', { expression: 'globalThis.__TURN__ ?? null' })
          .then((t) => t?.sessionID),
      60_000,
      'the page to create a session',
    );
    // The model sends two words, then waits until the page has shown it received them: the reply
    // provably streamed into the window before it ended, however slow the machine is.
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    model.scriptSession(sessionID, reply.text(words, { delayMs: 20, hold: { after: 2, until: released } }));
    await driver.request('evaluate', { expression: 'globalThis.__SCRIPTED__ = true' });
    await waitFor(
      () => driver.request<boolean>('evaluate', { expression: 'globalThis.__FIRST_TEXT__ === true' }),
      30_000,
      'the first words in the page',
    );
    const request = model.mainRequests().find((r) => r.sessionID === sessionID)!;
    expect(request.finishedAt).toBeUndefined();
    release();
    const result = await turn;
    expect(result.status).toBe(200);
    expect(result.text).toBe(words.join(''));
    expect(result.eventTypes).toContain('message.part.updated');
    expect(result.firstTextAt).not.toBeNull();

    const network = await driver.request<{ url: string }[]>('network');
    for (const { url } of network) expect(new URL(url).pathname).not.toMatch(/^\/api(\/|$)/i);
    const hostPid = driver.info.pid;
    expect(listeningSockets().filter((socket) => socket.pids.includes(hostPid))).toEqual([]);
    // OpenCode itself is a child of the host, on loopback only.
    const tree = new Set(processTree(hostPid));
    const opencode = listeningSockets().filter(
      (socket) => socket.pids.some((pid) => tree.has(pid)) && socket.netid === 'tcp',
    );
    expect(opencode.length).toBeGreaterThan(0);
    for (const socket of opencode) expect(socket.local).toMatch(/^127\.0\.0\.1:\d+$/);
  }, 120_000);

  it('closing the window ends OpenCode with it', async () => {
    const tree = processTree(driver.info.pid);
    const opencodePids = tree.filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('serve');
      } catch {
        return false;
      }
    });
    expect(opencodePids.length).toBeGreaterThan(0);
    await driver.request('closeWindow');
    await waitFor(() => opencodePids.every((pid) => !isAlive(pid)), 15_000, 'OpenCode to end with the window');
  }, 60_000);
});
