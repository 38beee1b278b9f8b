/**
 * The seed's "unplugging network access breaks nothing": the host and its browser run inside a
 * new network namespace (`unshare -n`: no interface but a loopback that is down), and the UI's
 * flows still work, since nothing in them needs a network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildWorkspaceFixture, type WorkspaceFixture } from '../support/fixtures.js';
import { installFakeOs } from '../support/fake-os.js';
import { canUnshareNetwork, startDesktopDriver, type DesktopDriver } from '../support/desktop.js';

let fixture: WorkspaceFixture | undefined;
let driver: DesktopDriver | undefined;

afterEach(async () => {
  await driver?.stop();
  fixture?.cleanup();
});

type Outcome = { ok?: unknown; error?: { status: number; message: string } };

// Root (CI) can always make a namespace; elsewhere only with unprivileged user namespaces.
const runnable = canUnshareNetwork() || process.getuid?.() === 0;

describe.runIf(runnable)('the desktop app without a network', () => {
  it('works with networking removed', async () => {
    fixture = buildWorkspaceFixture('chamber-offline-');
    const fake = installFakeOs(path.join(fixture.base, 'fake-os'));
    driver = await startDesktopDriver({
      homeDir: fixture.home,
      dataDir: fixture.dataDir,
      netns: true,
      env: { PATH: fake.path },
    });
    const call = async (apiPath: string, ...args: unknown[]) => {
      const outcome = await driver!.request<Outcome>('call', { path: apiPath, args });
      if (outcome.error) throw new Error(`${apiPath}: ${outcome.error.message}`);
      return outcome.ok;
    };

    // Really offline: the namespace has no usable interface, not even loopback.
    const interfaces = await driver.request<string>('evaluate', {
      expression: 'fetch("http://127.0.0.1:9/").then(() => "reached", (e) => "unreachable")',
    });
    expect(interfaces).toBe('unreachable');
    const addresses = fs.readFileSync(`/proc/${driver.info.pid}/net/dev`, 'utf8');
    expect(
      addresses
        .split('\n')
        .filter((line) => line.includes(':'))
        .map((line) => line.split(':')[0]!.trim()),
    ).toEqual(['lo']);

    expect(await call('permissions.requestDirectoryAccess', { path: fixture.work })).toEqual({
      success: true,
      path: fixture.work,
    });
    await call('settings.save', { lastDirectory: fixture.work, themeId: 'offline' });
    const listing = (await call('files.listDirectory', fixture.work)) as { entries: { name: string }[] };
    expect(listing.entries.map((e) => e.name)).toContain('notes.txt');
    const hits = (await call('files.search', { directory: fixture.work, query: 'deep-target' })) as { path: string }[];
    expect(hits[0]?.path).toBe(`${fixture.work}/a/b/c/d/e/f/g/h/deep-target.txt`);
    expect(await call('files.createDirectory', `${fixture.work}/made-offline`)).toEqual({
      success: true,
      path: `${fixture.work}/made-offline`,
    });
    expect(await call('notifications.notifyAgentCompletion', { title: 'offline' })).toBe(true);
    expect(((await call('diagnostics.downloadLogs')) as { content: string }).content).toContain('create_directory');
    expect(JSON.parse(fs.readFileSync(path.join(fixture.dataDir, 'settings.json'), 'utf8'))).toMatchObject({
      themeId: 'offline',
      lastDirectory: fixture.work,
    });
  }, 60_000);
});
