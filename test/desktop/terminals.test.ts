/**
 * Terminals belong to the window: sessions created in the page (over the pipe) run real shells
 * under the host, and closing the window ends them, with what they run, and the browser.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { buildWorkspaceFixture, type WorkspaceFixture } from '../support/fixtures.js';
import { startDesktopDriver, type DesktopDriver } from '../support/desktop.js';
import { isAlive, processTree } from '../support/sockets.js';

let fixture: WorkspaceFixture | undefined;
let driver: DesktopDriver | undefined;

afterEach(async () => {
  await driver?.stop();
  fixture?.cleanup();
});

const commandOf = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};

async function until<T>(probe: () => Promise<T> | T, accept: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (accept(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not happen within 10 s (last: ${JSON.stringify(await probe())})`);
}

/** Three sessions in the page, each connected, its output collected in `__terminalOutput`. */
const OPEN_SESSIONS = (cwd: string) => `(async () => {
  const terminal = __OPENCHAMBER_RUNTIME_APIS__.terminal;
  globalThis.__terminalOutput = {};
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const { sessionId } = await terminal.createSession({ cwd: ${JSON.stringify(cwd)}, cols: 80, rows: 24 });
    __terminalOutput[sessionId] = '';
    terminal.connect(sessionId, {
      onEvent(event) {
        if (event.type === 'data') __terminalOutput[sessionId] += event.data;
      },
    });
    ids.push(sessionId);
  }
  return ids;
})()`;

describe('terminals in the desktop window', () => {
  it('closing the window ends the shells, what runs in them, and the browser', async () => {
    fixture = buildWorkspaceFixture('chamber-desktop-terminals-');
    // The driver process stays after the host closed: the shells must be gone while it still runs,
    // ended by the host, not by their PTYs closing with the process.
    driver = await startDesktopDriver({
      homeDir: fixture.home,
      dataDir: fixture.dataDir,
      sandbox: { mode: 'open' },
      env: { CHAMBER_DRIVER_LINGER: '1' },
    });
    const ids = await driver.request<string[]>('evaluate', { expression: OPEN_SESSIONS(fixture.work) });
    expect(ids).toHaveLength(3);
    for (const [index, id] of ids.entries()) {
      const input = index === 0 ? 'echo marker-$((6*7)); sleep 600\r' : 'echo marker-$((6*7))\r';
      await driver.request('call', { path: 'terminal.sendInput', args: [id, input] });
    }
    await until(
      () => driver!.request<Record<string, string>>('evaluate', { expression: '__terminalOutput' }),
      (output) => ids.every((id) => output[id]?.includes('marker-42')),
      'every shell answering in the page',
    );

    // The shells (and the sleep) are the host's children; the browser's processes are not counted,
    // nor tsx's esbuild service (the driver runs the sources under tsx; it lives as long as the driver).
    const children = await until(
      () => {
        const browser = new Set(processTree(driver!.info.browserPid));
        return processTree(driver!.info.pid).filter(
          (pid) => pid !== driver!.info.pid && !browser.has(pid) && commandOf(pid) !== 'esbuild',
        );
      },
      (pids) => pids.map(commandOf).includes('sleep'),
      'the sleep starting',
    );
    // Three shells and the sleep (the login shell may run helpers of its own too).
    expect(children.length, children.map(commandOf).join(' ')).toBeGreaterThanOrEqual(4);
    expect(children.every(isAlive)).toBe(true);

    await driver.request('closeWindow');
    expect(await driver.closed).toBe('window-closed');
    await until(
      () => children.filter(isAlive).map((pid) => `${pid} ${commandOf(pid)}`),
      (left) => left.length === 0,
      'every shell and its children ending',
    );
    expect(isAlive(driver.info.pid)).toBe(true);
    expect(isAlive(driver.info.browserPid)).toBe(false);
    const log = fs.readFileSync(driver.info.logFile, 'utf8');
    expect(log).toContain('Desktop host stopped');
  }, 60_000);
});
