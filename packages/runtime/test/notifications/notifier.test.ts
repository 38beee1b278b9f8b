/** notify_agent_completion through the command layer, with fake notify-send/osascript on PATH. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/index.js';
import { installFakeOs, installFakePicker, type FakeOs } from '../../../../test/support/fake-os.js';

let base: string;
let fake: FakeOs;
let runtime: Runtime;

function start(platform: NodeJS.Platform, pathEnv: string): Runtime {
  return createRuntime({ homeDir: base, dataDir: path.join(base, 'data'), env: { PATH: pathEnv }, os: { platform } });
}

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-notify-')));
  fake = installFakeOs(path.join(base, 'fake'));
  runtime = start('linux', fake.path);
});
afterEach(async () => {
  await runtime.close();
  fs.rmSync(base, { recursive: true, force: true });
});

const notifyArgs = () =>
  fake
    .calls()
    .filter((c) => c.tool === 'notify-send')
    .map((c) => c.args);

describe('notify_agent_completion on Linux', () => {
  it('shows the payload through notify-send and resolves true', async () => {
    expect(await runtime.invoke('notify_agent_completion', { payload: { title: 'Ready', body: 'Done.' } })).toBe(true);
    expect(notifyArgs()).toEqual([
      ['--app-name=Chamber', '--print-id', '--hint=string:sound-name:complete', '--', 'Ready', 'Done.'],
    ]);
  });

  it('uses the defaults for missing or null fields, and shows an empty string as is', async () => {
    await runtime.invoke('notify_agent_completion', {});
    await runtime.invoke('notify_agent_completion', { payload: { title: null, body: null } });
    await runtime.invoke('notify_agent_completion', { payload: { title: '', body: '' } });
    expect(notifyArgs().map((args) => args.slice(-2))).toEqual([
      ['OpenChamber', 'Task completed'],
      ['OpenChamber', 'Task completed'],
      ['', ''],
    ]);
  });

  it('passes text literally: no shell, body markup escaped', async () => {
    await runtime.invoke('notify_agent_completion', {
      payload: { title: '$(touch pwned) `id`', body: '<b>bold</b> & "quotes"' },
    });
    expect(notifyArgs()[0]?.slice(-2)).toEqual(['$(touch pwned) `id`', '&lt;b&gt;bold&lt;/b&gt; &amp; "quotes"']);
    expect(fs.existsSync(path.join(process.cwd(), 'pwned'))).toBe(false);
  });

  it('replaces the previous notification that had the same tag', async () => {
    await runtime.invoke('notify_agent_completion', { payload: { title: 'one', tag: 'session-1' } });
    await runtime.invoke('notify_agent_completion', { payload: { title: 'other', tag: 'session-2' } });
    await runtime.invoke('notify_agent_completion', { payload: { title: 'two', tag: 'session-1' } });
    const replaceIds = notifyArgs().map((args) => args.find((a) => a.startsWith('--replace-id=')) ?? null);
    expect(replaceIds).toEqual([null, null, '--replace-id=1']);
  });

  it('fails with the notifier error when notify-send fails (the client turns it into false)', async () => {
    fake.setNotifyFailure('GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: no notification server');
    await expect(runtime.invoke('notify_agent_completion', {})).rejects.toMatchObject({
      status: 500,
      message:
        'Failed to show notification: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown: no notification server',
    });
  });

  it('says what to install when notify-send is missing', async () => {
    const bare = start('linux', path.join(base, 'empty'));
    try {
      await expect(bare.invoke('notify_agent_completion', {})).rejects.toMatchObject({
        status: 503,
        message: 'Notifications are unavailable: notify-send (libnotify-bin) is not installed',
      });
    } finally {
      await bare.close();
    }
  });

  it('validates the payload', async () => {
    await expect(runtime.invoke('notify_agent_completion', { payload: { title: 3 } })).rejects.toMatchObject({
      status: 400,
      message: 'payload.title must be a string, not a number',
    });
    await expect(runtime.invoke('notify_agent_completion', { payload: 'hi' })).rejects.toMatchObject({
      status: 400,
      message: 'payload must be a JSON object, not a string',
    });
    await expect(
      runtime.invoke('notify_agent_completion', { payload: { body: 'x'.repeat(20_000) } }),
    ).rejects.toMatchObject({ status: 400, message: 'payload.body is too long (at most 16384 characters)' });
    expect(notifyArgs()).toEqual([]);
  });
});

describe('notify_agent_completion on macOS', () => {
  it('uses display notification with the Glass sound, title and body as arguments', async () => {
    const mac = path.join(base, 'mac');
    installFakePicker(mac, 'osascript'); // records its arguments and exits 0 with the answer below
    fs.writeFileSync(path.join(mac, 'picker-answer'), 'shown');
    const darwin = start('darwin', path.join(mac, 'bin'));
    try {
      expect(await darwin.invoke('notify_agent_completion', { payload: { title: 'T "x"', body: 'B' } })).toBe(true);
      const { args } = JSON.parse(fs.readFileSync(path.join(mac, 'calls.jsonl'), 'utf8').trim()) as { args: string[] };
      expect(args).toContain('display notification (item 2 of argv) with title (item 1 of argv) sound name "Glass"');
      expect(args.slice(-3)).toEqual(['--', 'T "x"', 'B']);
    } finally {
      await darwin.close();
    }
  });
});
