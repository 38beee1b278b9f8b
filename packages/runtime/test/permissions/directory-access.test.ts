/**
 * Directory permissions through the command layer, with the real file system and fake picker
 * programs on PATH: what gets approved, what is refused, and that the sandbox follows at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/index.js';
import { installFakeOs, installFakePicker, type FakeOs } from '../../../../test/support/fake-os.js';

let base: string;
let home: string;
let project: string;
let other: string;
let fake: FakeOs;
let runtime: Runtime;
let events: { event: string; payload: unknown }[];

function start(options: { platform?: NodeJS.Platform; pathEnv?: string } = {}): Runtime {
  const created = createRuntime({
    homeDir: home,
    dataDir: path.join(base, 'data'),
    cwd: home,
    sandbox: { mode: 'settings' },
    env: { PATH: options.pathEnv ?? fake.path },
    os: { platform: options.platform ?? 'linux' },
  });
  created.events.subscribe((event, payload) => events.push({ event, payload }));
  return created;
}

function settingsOnDisk(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(base, 'data', 'settings.json'), 'utf8')) as Record<string, unknown>;
}

beforeEach(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-permissions-')));
  home = path.join(base, 'home');
  project = path.join(home, 'project');
  other = path.join(base, 'other');
  fs.mkdirSync(project, { recursive: true });
  fs.mkdirSync(other, { recursive: true });
  fs.writeFileSync(path.join(other, 'file.txt'), 'x');
  fake = installFakeOs(path.join(base, 'fake'));
  events = [];
  runtime = start();
});

afterEach(async () => {
  await runtime.close();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('request_directory_access with a path', () => {
  it('approves the directory in settings.json and the sandbox admits it at once', async () => {
    await expect(runtime.invoke('list_directory', { path: other })).rejects.toMatchObject({ status: 403 });
    const result = await runtime.invoke('request_directory_access', { request: { path: other } });
    expect(result).toEqual({ success: true, path: other, error: null });
    expect(settingsOnDisk().approvedDirectories).toEqual([other]);
    await expect(runtime.invoke('list_directory', { path: other })).resolves.toMatchObject({ path: other });
  });

  it('pushes settings://changed and permissions://changed', async () => {
    await runtime.invoke('request_directory_access', { request: { path: other } });
    expect(events.map((e) => e.event)).toEqual(['settings://changed', 'permissions://changed']);
    expect(events[1]?.payload).toEqual({ approvedDirectories: [other], accessingDirectories: [] });
    expect(events[0]?.payload).toMatchObject({ approvedDirectories: [other] });
  });

  it('keeps the other settings and appends to the approvals already there', async () => {
    await runtime.invoke('save_settings', { changes: { themeId: 'dark', lastDirectory: project } });
    await runtime.invoke('request_directory_access', { request: { path: other } });
    expect(settingsOnDisk()).toMatchObject({ themeId: 'dark', approvedDirectories: [project, other] });
  });

  it('writes nothing and announces nothing when the directory is already approved', async () => {
    await runtime.invoke('request_directory_access', { request: { path: other } });
    const before = fs.statSync(path.join(base, 'data', 'settings.json')).mtimeMs;
    events = [];
    await expect(runtime.invoke('request_directory_access', { request: { path: `${other}/` } })).resolves.toEqual({
      success: true,
      path: other,
      error: null,
    });
    expect(events).toEqual([]);
    expect(fs.statSync(path.join(base, 'data', 'settings.json')).mtimeMs).toBe(before);
  });

  it('resolves a relative path against the runtime cwd and answers the absolute path it approved', async () => {
    const result = await runtime.invoke('request_directory_access', { request: { path: 'project' } });
    expect(result).toEqual({ success: true, path: project, error: null });
  });

  it.each([
    ['a missing directory', () => path.join(base, 'missing'), 'Directory does not exist'],
    ['a path below a file', () => path.join(other, 'file.txt', 'x'), 'Directory does not exist'],
    ['a file', () => path.join(other, 'file.txt'), 'Path is not a directory'],
  ])('refuses %s without touching settings', async (_label, target, message) => {
    const result = await runtime.invoke('request_directory_access', { request: { path: target() } });
    expect(result).toEqual({ success: false, path: null, error: message });
    expect(fs.existsSync(path.join(base, 'data', 'settings.json'))).toBe(false);
    expect(events).toEqual([]);
  });

  it('validates its arguments', async () => {
    await expect(runtime.invoke('request_directory_access', { request: { path: 7 } })).rejects.toMatchObject({
      status: 400,
      message: 'request.path must be a string, not a number',
    });
    await expect(runtime.invoke('request_directory_access', { request: { path: 'a\0b' } })).rejects.toMatchObject({
      status: 400,
      message: 'request.path must not contain NUL bytes',
    });
    await expect(runtime.invoke('request_directory_access', { request: 'x' })).rejects.toMatchObject({
      status: 400,
      message: 'request must be a JSON object, not a string',
    });
  });
});

describe('request_directory_access without a path (the OS folder picker)', () => {
  it('opens zenity on the last directory and approves what the user picked', async () => {
    await runtime.invoke('save_settings', { changes: { lastDirectory: project } });
    fake.setPickerAnswer(other);
    for (const request of [undefined, {}, { path: '' }, { path: '   ' }]) {
      expect(await runtime.invoke('request_directory_access', { request })).toEqual({
        success: true,
        path: other,
        error: null,
      });
    }
    expect(fake.calls()[0]).toMatchObject({
      tool: 'zenity',
      args: ['--file-selection', '--directory', '--title=Select Working Directory', `--filename=${project}/`],
    });
    expect(settingsOnDisk().approvedDirectories).toEqual([project, other]);
  });

  it('reports a cancelled dialog with the reference text and changes nothing', async () => {
    fake.setPickerAnswer('cancel');
    expect(await runtime.invoke('request_directory_access', {})).toEqual({
      success: false,
      path: null,
      error: 'Directory selection cancelled',
    });
    expect(events).toEqual([]);
  });

  it('still validates what was picked', async () => {
    fake.setPickerAnswer(path.join(other, 'file.txt'));
    expect(await runtime.invoke('request_directory_access', {})).toEqual({
      success: false,
      path: null,
      error: 'Path is not a directory',
    });
  });

  it('reports a picker that fails', async () => {
    fake.setPickerAnswer('fail:cannot open display: :99');
    expect(await runtime.invoke('request_directory_access', {})).toEqual({
      success: false,
      path: null,
      error: 'Folder picker failed: cannot open display: :99',
    });
  });

  it('falls back to kdialog when zenity is missing', async () => {
    const kdeOnly = path.join(base, 'kde');
    installFakePicker(kdeOnly, 'kdialog');
    fs.writeFileSync(path.join(kdeOnly, 'picker-answer'), other);
    const kde = start({ pathEnv: path.join(kdeOnly, 'bin') });
    try {
      expect(await kde.invoke('request_directory_access', {})).toMatchObject({ success: true, path: other });
      const calls = fs.readFileSync(path.join(kdeOnly, 'calls.jsonl'), 'utf8');
      expect(JSON.parse(calls.trim())).toMatchObject({
        tool: 'kdialog',
        args: ['--getexistingdirectory', home, '--title', 'Select Working Directory'],
      });
    } finally {
      await kde.close();
    }
  });

  it('uses AppleScript on macOS, passing the title as an argument and dropping the trailing slash', async () => {
    const mac = path.join(base, 'mac');
    installFakePicker(mac, 'osascript');
    fs.writeFileSync(path.join(mac, 'picker-answer'), `${other}/`);
    const darwin = start({ platform: 'darwin', pathEnv: path.join(mac, 'bin') });
    try {
      expect(await darwin.invoke('request_directory_access', {})).toMatchObject({ success: true, path: other });
      const { args } = JSON.parse(fs.readFileSync(path.join(mac, 'calls.jsonl'), 'utf8').trim()) as { args: string[] };
      expect(args.slice(-2)).toEqual(['--', 'Select Working Directory']);
      expect(args.join(' ')).not.toContain('Select Working Directory"');
    } finally {
      await darwin.close();
    }
  });

  it('says so when no picker is installed', async () => {
    const bare = start({ pathEnv: path.join(base, 'empty') });
    try {
      expect(await bare.invoke('request_directory_access', {})).toEqual({
        success: false,
        path: null,
        error: 'No folder picker found: install zenity or kdialog',
      });
    } finally {
      await bare.close();
    }
  });

  it('refuses a second dialog while one is open, and closing the runtime closes the dialog', async () => {
    fake.setPickerAnswer('hang');
    const first = runtime.invoke('request_directory_access', {});
    await waitFor(() => fake.calls().length === 1);
    expect(await runtime.invoke('request_directory_access', {})).toEqual({
      success: false,
      path: null,
      error: 'A folder picker is already open',
    });
    await runtime.close();
    expect(await first).toEqual({ success: false, path: null, error: 'Folder picker failed: killed by SIGTERM' });
  });
});

describe('start_accessing_directory / stop_accessing_directory', () => {
  it('admits a directory for the session without writing settings, until stopped', async () => {
    expect(await runtime.invoke('start_accessing_directory', { path: other })).toEqual({ success: true, error: null });
    await expect(runtime.invoke('list_directory', { path: other })).resolves.toMatchObject({ path: other });
    expect(fs.existsSync(path.join(base, 'data', 'settings.json'))).toBe(false);
    expect(events).toEqual([
      { event: 'permissions://changed', payload: { approvedDirectories: [], accessingDirectories: [other] } },
    ]);

    expect(await runtime.invoke('stop_accessing_directory', { path: other })).toEqual({ success: true, error: null });
    await expect(runtime.invoke('list_directory', { path: other })).rejects.toMatchObject({ status: 403 });
    expect(events.at(-1)).toEqual({
      event: 'permissions://changed',
      payload: { approvedDirectories: [], accessingDirectories: [] },
    });
  });

  it('start refuses what is not an existing directory, with the reference messages', async () => {
    expect(await runtime.invoke('start_accessing_directory', { path: path.join(base, 'nope') })).toEqual({
      success: false,
      error: 'Directory does not exist',
    });
    expect(await runtime.invoke('start_accessing_directory', { path: path.join(other, 'file.txt') })).toEqual({
      success: false,
      error: 'Path is not a directory',
    });
    expect(await runtime.invoke('start_accessing_directory', { path: '' })).toEqual({
      success: false,
      error: 'Directory does not exist',
    });
  });

  it('stop always succeeds, and announces nothing when nothing changed', async () => {
    expect(await runtime.invoke('stop_accessing_directory', { path: path.join(base, 'never') })).toEqual({
      success: true,
      error: null,
    });
    expect(events).toEqual([]);
    await expect(runtime.invoke('stop_accessing_directory', {})).rejects.toMatchObject({
      status: 400,
      message: 'path is required',
    });
  });

  it('stopping session access leaves a persisted approval in place', async () => {
    await runtime.invoke('request_directory_access', { request: { path: other } });
    await runtime.invoke('start_accessing_directory', { path: other });
    await runtime.invoke('stop_accessing_directory', { path: other });
    await expect(runtime.invoke('list_directory', { path: other })).resolves.toMatchObject({ path: other });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition not met within 2 s');
}
