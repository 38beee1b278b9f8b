/**
 * An agent-completion notification from the window reaches a real D-Bus session bus: a private
 * `dbus-daemon`, a freedesktop notification server on it, and `dbus-monitor` watching, with the
 * real `notify-send` in between.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildWorkspaceFixture, type WorkspaceFixture } from '../support/fixtures.js';
import { startDesktopDriver, type DesktopDriver } from '../support/desktop.js';
import { startTestSessionBus, type TestSessionBus } from '../support/dbus.js';

let fixture: WorkspaceFixture | undefined;
let driver: DesktopDriver | undefined;
let bus: TestSessionBus | undefined;

afterEach(async () => {
  await driver?.stop();
  await bus?.stop();
  fixture?.cleanup();
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!check()) throw new Error(`${what} did not happen within 5 s`);
}

describe('desktop notifications', () => {
  it('show on the session bus, and a repeated tag replaces the earlier notification', async () => {
    fixture = buildWorkspaceFixture('chamber-notify-');
    bus = await startTestSessionBus(path.join(fixture.base, 'dbus'));
    driver = await startDesktopDriver({
      homeDir: fixture.home,
      dataDir: fixture.dataDir,
      env: { DBUS_SESSION_BUS_ADDRESS: bus.address },
    });
    const notify = (payload: unknown) =>
      driver!.request<{ ok: unknown }>('call', { path: 'notifications.notifyAgentCompletion', args: [payload] });

    expect(await notify({ title: 'Assistant Ready', body: 'Build <passed> & done', tag: 'session-7' })).toEqual({
      ok: true,
    });
    expect(await notify({ title: 'Assistant Ready', body: 'Second turn', tag: 'session-7' })).toEqual({ ok: true });
    expect(await notify(undefined)).toEqual({ ok: true });

    const received = bus.received();
    expect(received.map(({ app, replaces, summary, body }) => ({ app, replaces, summary, body }))).toEqual([
      { app: 'Chamber', replaces: 0, summary: 'Assistant Ready', body: 'Build &lt;passed&gt; &amp; done' },
      { app: 'Chamber', replaces: received[0]!.id, summary: 'Assistant Ready', body: 'Second turn' },
      { app: 'Chamber', replaces: 0, summary: 'OpenChamber', body: 'Task completed' },
    ]);
    expect(received[0]!.hints['sound-name']).toBe('complete');
    await until(() => (bus!.monitorLog().match(/member=Notify/g) ?? []).length === 3, 'three Notify calls on the bus');
    expect(bus.monitorLog()).toContain('string "Assistant Ready"');
  }, 60_000);

  it('answer false in the page when no notification server runs', async () => {
    fixture = buildWorkspaceFixture('chamber-notify-none-');
    driver = await startDesktopDriver({
      homeDir: fixture.home,
      dataDir: fixture.dataDir,
      env: { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(fixture.base, 'no-bus')}` },
    });
    expect(await driver.request('call', { path: 'notifications.notifyAgentCompletion', args: [{}] })).toEqual({
      ok: false,
    });
    const failure = await driver.request<{ error: { status: number; message: string } }>('invoke', {
      command: 'notify_agent_completion',
      args: {},
    });
    expect(failure.error.status).toBe(500);
    expect(failure.error.message).toMatch(/^Failed to show notification: /);
  }, 60_000);
});
