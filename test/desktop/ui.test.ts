/**
 * The workspace UI's first session on both hosts, with the same steps (support/workspace-flow.ts):
 * once in a web page against the real CLI on loopback, once in the desktop window, which shows the
 * real UI bundle, is driven over the host's DevTools pipe and runs inside an empty network
 * namespace where one can be made. Both must leave the same settings.json and the same toast.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, relativize } from '../support/fixtures.js';
import { canUnshareNetwork, startDesktopDriver, type DesktopDriver } from '../support/desktop.js';
import { launchChromium, startChamber } from '../support/ui.js';
import { desktopUi, playwrightUi, type UiPage } from '../support/ui-page.js';
import {
  browseTree,
  buildFlowTree,
  chooseWorkspace,
  commitAChange,
  grantAccessToOutside,
  initFlowRepo,
  listOutsideDirectory,
  quickOpenDeepFile,
  runInTerminal,
  switchToDarkTheme,
  type FlowTree,
  type ShownRefusal,
} from '../support/workspace-flow.js';

const bases: string[] = [];
afterAll(() => {
  for (const base of bases) fs.rmSync(base, { recursive: true, force: true });
});

/** A refused listing: once, in place, and the whole picker on the refused folder with Open disabled. */
const REFUSAL = {
  message: 'Access to directory denied',
  pathField: '<BASE>/outside',
  openButton: 'Open outside',
  openEnabled: false,
  toasts: 0,
};

interface FlowResult {
  /** settings.json after the flow, with the run's temp dir written as <BASE>. */
  settings: unknown;
  refusal: ShownRefusal;
  /** The subject git recorded for the commit made in the git views. */
  committed: string;
  /** The line the terminal panel's shell printed. */
  echoed: string;
}

const dataDirOf = (tree: FlowTree) => path.join(tree.home, '.config', 'openchamber');

async function runFlow(ui: UiPage, tree: FlowTree, base: string): Promise<FlowResult> {
  await chooseWorkspace(ui, tree);
  await browseTree(ui, tree);
  await quickOpenDeepFile(ui, tree);
  await switchToDarkTheme(ui);
  const committed = await commitAChange(ui, tree);
  const echoed = await runInTerminal(ui);
  const refusal = await listOutsideDirectory(ui, tree);
  const settings: unknown = JSON.parse(fs.readFileSync(path.join(dataDirOf(tree), 'settings.json'), 'utf8'));
  return relativize({ settings, refusal, committed, echoed }, base);
}

function newBase(prefix: string): string {
  const base = makeTempDir(prefix);
  bases.push(base);
  return base;
}

let web: FlowResult | undefined;

describe('the workspace UI on the desktop host', () => {
  it('the web run: the flow in a browser page against the chamber server', async () => {
    const base = newBase('chamber-ui-flow-web-');
    const tree = buildFlowTree(base);
    initFlowRepo(tree);
    const chamber = await startChamber({ home: tree.home, roots: [tree.home] });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
      page.setDefaultTimeout(10_000);
      await page.goto(chamber.url);
      web = await runFlow(playwrightUi(page), tree, base);
    } finally {
      await browser.close();
      await chamber.close();
    }
    expect(web.refusal).toEqual(REFUSAL);
    expect(web).toMatchObject({ committed: 'Commit from the flow', echoed: 'flow ok' });
  }, 60_000);

  it('the same flow in the window, over the pipe and offline: same settings.json, same refusal, no /api request', async () => {
    const base = newBase('chamber-ui-flow-desktop-');
    const tree = buildFlowTree(base);
    initFlowRepo(tree);
    const offline = canUnshareNetwork();
    const driver: DesktopDriver = await startDesktopDriver({
      homeDir: tree.home,
      dataDir: dataDirOf(tree),
      netns: offline,
    });
    try {
      expect(await driver.request('evaluate', { expression: '__OPENCHAMBER_RUNTIME_APIS__.runtime.isDesktop' })).toBe(
        true,
      );
      const ui = await desktopUi(driver);
      const desktop = await runFlow(ui, tree, base);

      expect(desktop.refusal).toEqual(REFUSAL);
      expect(desktop).toMatchObject({ committed: 'Commit from the flow', echoed: 'flow ok' });
      expect(desktop.settings).toMatchObject({
        lastDirectory: '<BASE>/home/work',
        homeDirectory: '<BASE>/home',
        approvedDirectories: expect.arrayContaining(['<BASE>/home', '<BASE>/home/work']),
        themeVariant: 'dark',
        useSystemTheme: false,
      });
      // The same keys with the same values as the web run left (the web runs first, in this file).
      expect(web, 'the web run').toBeDefined();
      expect(desktop.settings).toEqual(web!.settings);

      // Only the desktop can lift the refusal: "Grant access" approves the folder and opens it.
      await grantAccessToOutside(ui, tree);
      const readSettings = () =>
        JSON.parse(fs.readFileSync(path.join(dataDirOf(tree), 'settings.json'), 'utf8')) as {
          approvedDirectories: string[];
          lastDirectory: string;
        };
      // The approval and the opening of the folder are two saves: wait for the second.
      await expect.poll(() => readSettings().lastDirectory, { timeout: 10_000 }).toBe(tree.outside);
      expect(readSettings().approvedDirectories).toContain(tree.outside);

      // Every request of the page went to the app's own origin, none to /api: all of the above was IPC.
      const network = await driver.request<{ url: string }[]>('network');
      expect(network.length).toBeGreaterThan(0);
      for (const { url } of network) {
        expect(new URL(url).origin).toBe(driver.info.origin);
        expect(new URL(url).pathname).not.toMatch(/^\/api(\/|$)/i);
      }
      const requests = await driver.request<{ outcome: string; url: string }[]>('requests');
      expect(requests.filter((r) => r.outcome !== 'served')).toEqual([]);
      if (offline) {
        const interfaces = fs
          .readFileSync(`/proc/${driver.info.pid}/net/dev`, 'utf8')
          .split('\n')
          .filter((line) => line.includes(':'))
          .map((line) => line.split(':')[0]!.trim());
        expect(interfaces).toEqual(['lo']);
      }
    } finally {
      await driver.stop();
    }
  }, 90_000);
});
