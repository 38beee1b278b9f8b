/**
 * Window size and position, remembered across launches (desktop-ipc.md §8.1): the reference's
 * file (`<data dir>/window-state.json`, `{ "windowState": { width, height, x, y, isMaximized } }`),
 * its defaults (1280 × 800) and its clamping (width ≥ 400, height ≥ 300, inside the screen).
 *
 * The reference saved on its close request. A browser window closes without asking us, so the
 * tracker samples the bounds while the window is open and the last sample is what gets saved;
 * writes are atomic, only when something changed.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic, type Logger } from '@chamber/runtime';
import type { WindowPlacement } from '../browser/launch.js';

export interface WindowState {
  width: number;
  height: number;
  x: number;
  y: number;
  isMaximized: boolean;
}

/** What `Browser.getWindowBounds` reports. */
export interface WindowBounds {
  left?: number;
  top?: number;
  width?: number;
  height?: number;
  windowState?: 'normal' | 'minimized' | 'maximized' | 'fullscreen';
}

export interface ScreenArea {
  availLeft: number;
  availTop: number;
  availWidth: number;
  availHeight: number;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WIDTH = 1280;
export const DEFAULT_HEIGHT = 800;
export const MIN_WIDTH = 400;
export const MIN_HEIGHT = 300;

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export function windowStatePath(dataDir: string): string {
  return path.join(dataDir, WINDOW_STATE_FILE);
}

/** The saved state, or undefined when there is none or it is unreadable (ignored, as the reference did). */
export async function readWindowState(file: string): Promise<WindowState | undefined> {
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { windowState?: Record<string, unknown> };
    const state = parsed?.windowState;
    if (!state || typeof state !== 'object') return undefined;
    const { width, height, x, y, isMaximized } = state;
    if (![width, height, x, y].every(isFiniteNumber) || typeof isMaximized !== 'boolean') return undefined;
    return { width, height, x, y, isMaximized } as WindowState;
  } catch {
    return undefined;
  }
}

export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify({ windowState: state }, null, 2)}\n`);
}

/** How the window opens: the saved state (at least the minimum size), else the defaults, placed by the system. */
export function placementFor(saved: WindowState | undefined): WindowPlacement {
  if (!saved) return { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT, maximized: false };
  return {
    width: Math.max(MIN_WIDTH, saved.width),
    height: Math.max(MIN_HEIGHT, saved.height),
    x: saved.x,
    y: saved.y,
    maximized: saved.isMaximized,
  };
}

/** The reference's clamp: size within [minimum, screen], position so the window lies on the screen. */
export function clampToScreen(state: WindowState, screen: ScreenArea): WindowState {
  const width = Math.min(Math.max(state.width, MIN_WIDTH), Math.max(MIN_WIDTH, screen.availWidth));
  const height = Math.min(Math.max(state.height, MIN_HEIGHT), Math.max(MIN_HEIGHT, screen.availHeight));
  const maxX = screen.availLeft + Math.max(0, screen.availWidth - width);
  const maxY = screen.availTop + Math.max(0, screen.availHeight - height);
  return {
    width,
    height,
    x: Math.min(Math.max(state.x, screen.availLeft), maxX),
    y: Math.min(Math.max(state.y, screen.availTop), maxY),
    isMaximized: state.isMaximized,
  };
}

/**
 * The next state after a sample: a normal window records its bounds; a maximised (or full-screen)
 * one only the flag, so un-maximising restores the previous size; a minimised one nothing.
 */
export function nextWindowState(previous: WindowState | undefined, bounds: WindowBounds): WindowState | undefined {
  const base = previous ?? { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT, x: 0, y: 0, isMaximized: false };
  switch (bounds.windowState) {
    case 'maximized':
    case 'fullscreen':
      return { ...base, isMaximized: true };
    case 'minimized':
      return previous;
    default: {
      const { left, top, width, height } = bounds;
      if (![left, top, width, height].every(isFiniteNumber)) return previous;
      return { width: width!, height: height!, x: left!, y: top!, isMaximized: false };
    }
  }
}

export interface WindowStateTrackerOptions {
  file: string;
  initial: WindowState | undefined;
  readBounds(): Promise<WindowBounds>;
  logger: Logger;
  /** Sampling period (default 500 ms). */
  intervalMs?: number;
}

export class WindowStateTracker {
  readonly #options: WindowStateTrackerOptions;
  #state: WindowState | undefined;
  #saved: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sampling: Promise<void> = Promise.resolve();

  constructor(options: WindowStateTrackerOptions) {
    this.#options = options;
    this.#state = options.initial;
    this.#saved = options.initial ? JSON.stringify(options.initial) : undefined;
  }

  get state(): WindowState | undefined {
    return this.#state;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.sample(), this.#options.intervalMs ?? 500);
    this.#timer.unref();
  }

  /** Read the bounds now and save them if they changed. Never throws (the window may be gone). */
  sample(): Promise<void> {
    this.#sampling = this.#sampling.then(async () => {
      try {
        this.#state = nextWindowState(this.#state, await this.#options.readBounds());
      } catch {
        return; // closing: the last good sample stands
      }
      await this.#save();
    });
    return this.#sampling;
  }

  /** Stop sampling and make sure the last known state is on disk. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sampling;
    await this.#save();
  }

  async #save(): Promise<void> {
    if (!this.#state) return;
    const text = JSON.stringify(this.#state);
    if (text === this.#saved) return;
    try {
      await writeWindowState(this.#options.file, this.#state);
      this.#saved = text;
    } catch (error) {
      this.#options.logger.log('warn', 'Could not save the window state', { error: String(error) });
    }
  }
}
