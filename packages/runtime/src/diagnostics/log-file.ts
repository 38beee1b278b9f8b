/**
 * The desktop log file (desktop-ipc.md §8.2): one JSON object per line, appended synchronously
 * (so lines are in order and survive a crash of the host right after), rotated to `<file>.1` past
 * a size limit. `readDesktopLogs` answers `fetch_desktop_logs` with the previous file's tail and
 * the current file, so a download right after a rotation is not nearly empty (the reference kept
 * about 40 kB and deleted the old file when it rotated).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP_LOG_FILE_NAME, RuntimeError, type DesktopLogsResponse } from '@chamber/contract';
import { errnoCode } from '../sandbox/paths.js';

export const DEFAULT_LOG_MAX_BYTES = 1024 * 1024;
/** Most bytes a download carries (the newest ones). */
export const MAX_DOWNLOAD_BYTES = 2 * 1024 * 1024;

/** Where the desktop host writes its log: `<data dir>/logs/desktop.log` on every platform. */
export function defaultDesktopLogPath(dataDir: string): string {
  return path.join(dataDir, 'logs', DESKTOP_LOG_FILE_NAME);
}

export class LogFile {
  readonly path: string;
  readonly #maxBytes: number;
  #fd: number | undefined;
  #size = 0;

  constructor(options: { path: string; maxBytes?: number }) {
    this.path = options.path;
    this.#maxBytes = options.maxBytes ?? DEFAULT_LOG_MAX_BYTES;
  }

  /** Append one line (it should end in '\n'). Logging must never take the host down: errors are dropped. */
  write(line: string): void {
    try {
      if (this.#fd === undefined) this.#open();
      const bytes = Buffer.byteLength(line);
      if (this.#size > 0 && this.#size + bytes > this.#maxBytes) this.#rotate();
      fs.writeSync(this.#fd as number, line);
      this.#size += bytes;
    } catch {
      // A full disk or a removed directory must not turn every command into a failure.
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    try {
      fs.closeSync(this.#fd);
    } catch {}
    this.#fd = undefined;
  }

  #open(): void {
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    this.#fd = fs.openSync(this.path, 'a', 0o600);
    this.#size = fs.fstatSync(this.#fd).size;
  }

  #rotate(): void {
    this.close();
    fs.renameSync(this.path, `${this.path}.1`);
    this.#open();
  }
}

function readOrEmpty(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}

/** The log download: previous + current file, newest `MAX_DOWNLOAD_BYTES`, cut at a line start. */
export async function readDesktopLogs(file: string): Promise<DesktopLogsResponse> {
  let bytes: Buffer;
  try {
    bytes = Buffer.concat([readOrEmpty(`${file}.1`), readOrEmpty(file)]);
  } catch (error) {
    throw new RuntimeError(500, `Failed to read log file: ${(error as Error).message}`);
  }
  if (bytes.length > MAX_DOWNLOAD_BYTES) {
    const tail = bytes.subarray(bytes.length - MAX_DOWNLOAD_BYTES);
    const lineStart = tail.indexOf(0x0a);
    bytes = lineStart === -1 ? tail : tail.subarray(lineStart + 1);
  }
  // A torn multi-byte character must not make the whole log undownloadable: decode leniently.
  return { fileName: path.basename(file) || DESKTOP_LOG_FILE_NAME, content: bytes.toString('utf8') };
}
