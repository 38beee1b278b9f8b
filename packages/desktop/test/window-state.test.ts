/** Window state: the reference's file, defaults, clamping and what a sample records. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@chamber/runtime';
import {
  clampToScreen,
  nextWindowState,
  placementFor,
  readWindowState,
  WindowStateTracker,
  writeWindowState,
} from '../src/index.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-window-state-'));
  file = path.join(dir, 'window-state.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const state = { width: 1000, height: 700, x: 40, y: 30, isMaximized: false };

describe('window-state.json', () => {
  it('round-trips the reference shape', async () => {
    await writeWindowState(file, state);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ windowState: state });
    expect(await readWindowState(file)).toEqual(state);
  });

  it.each([
    ['missing', null],
    ['not JSON', '{'],
    ['a wrong type', JSON.stringify({ windowState: { ...state, width: '1000' } })],
    ['no windowState', JSON.stringify({ width: 1 })],
  ])('ignores a file that is %s', async (_label, content) => {
    if (content !== null) fs.writeFileSync(file, content);
    expect(await readWindowState(file)).toBeUndefined();
  });

  it('opens at 1280 × 800 placed by the system without a saved state, and never below 400 × 300', () => {
    expect(placementFor(undefined)).toEqual({ width: 1280, height: 800, maximized: false });
    expect(placementFor({ ...state, width: 100, height: 50 })).toMatchObject({ width: 400, height: 300, x: 40, y: 30 });
  });

  it('keeps the window on the screen', () => {
    const screen = { availLeft: 0, availTop: 0, availWidth: 1600, availHeight: 1000 };
    expect(clampToScreen({ ...state, x: 5000, y: -50 }, screen)).toEqual({ ...state, x: 600, y: 0 });
    expect(clampToScreen({ ...state, width: 3000, height: 2000 }, screen)).toMatchObject({ width: 1600, height: 1000 });
  });
});

describe('samples', () => {
  it('a normal window records its bounds; maximised only the flag; minimised nothing', () => {
    const normal = nextWindowState(undefined, { left: 1, top: 2, width: 800, height: 600, windowState: 'normal' });
    expect(normal).toEqual({ width: 800, height: 600, x: 1, y: 2, isMaximized: false });
    const maximized = nextWindowState(normal, { left: 0, top: 0, width: 1600, height: 1000, windowState: 'maximized' });
    expect(maximized).toEqual({ ...normal, isMaximized: true });
    expect(nextWindowState(normal, { windowState: 'minimized', left: -32000 })).toBe(normal);
  });

  it('the tracker writes only when something changed, and keeps the last good sample when the window is gone', async () => {
    let bounds: unknown = { left: 10, top: 20, width: 900, height: 650, windowState: 'normal' };
    const tracker = new WindowStateTracker({
      file,
      initial: undefined,
      logger: silentLogger,
      readBounds: async () => {
        if (bounds instanceof Error) throw bounds;
        return bounds as never;
      },
    });
    await tracker.sample();
    const firstWrite = fs.statSync(file).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await tracker.sample();
    expect(fs.statSync(file).mtimeMs).toBe(firstWrite);
    bounds = new Error('No window with the given id');
    await tracker.sample();
    await tracker.stop();
    expect(await readWindowState(file)).toEqual({ width: 900, height: 650, x: 10, y: 20, isMaximized: false });
  });
});
