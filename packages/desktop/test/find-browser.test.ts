/** Finding the window's browser: the override, the order of preference, and a clear failure. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BrowserNotFoundError, findBrowser } from '../src/index.js';

let dir: string;
function fakeExecutable(name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
  return file;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-find-browser-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('findBrowser', () => {
  it('prefers Chrome, then Chromium, Edge and Brave on PATH', () => {
    const brave = fakeExecutable('brave-browser');
    expect(findBrowser({ env: { PATH: dir }, platform: 'linux', homeDir: dir })).toBe(brave);
    const chromium = fakeExecutable('chromium');
    expect(findBrowser({ env: { PATH: dir }, platform: 'linux', homeDir: dir })).toBe(chromium);
    const chrome = fakeExecutable('google-chrome');
    expect(findBrowser({ env: { PATH: dir }, platform: 'linux', homeDir: dir })).toBe(chrome);
  });

  it('takes CHAMBER_BROWSER as a path or as a command on PATH', () => {
    const custom = fakeExecutable('my-browser');
    expect(findBrowser({ env: { PATH: '', CHAMBER_BROWSER: custom } })).toBe(custom);
    expect(findBrowser({ env: { PATH: dir, CHAMBER_BROWSER: 'my-browser' } })).toBe(custom);
  });

  it('refuses a CHAMBER_BROWSER that is not executable', () => {
    fs.writeFileSync(path.join(dir, 'plain'), '');
    expect(() => findBrowser({ env: { CHAMBER_BROWSER: path.join(dir, 'plain') } })).toThrow(
      `CHAMBER_BROWSER=${path.join(dir, 'plain')} is not an executable file`,
    );
  });

  it('finds the macOS applications under ~/Applications too', () => {
    const app = path.join(dir, 'Applications', 'Chromium.app', 'Contents', 'MacOS');
    fs.mkdirSync(app, { recursive: true });
    fs.writeFileSync(path.join(app, 'Chromium'), '', { mode: 0o755 });
    expect(findBrowser({ env: { PATH: '' }, platform: 'darwin', homeDir: dir })).toBe(path.join(app, 'Chromium'));
  });

  it('says what to install and where it looked when there is none', () => {
    let error: unknown;
    try {
      findBrowser({ env: { PATH: dir }, platform: 'darwin', homeDir: dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect((error as Error).message).toMatch(/^No Chromium-family browser found\. Install Google Chrome, Chromium/);
    expect((error as Error).message).toContain('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome');
  });
});
