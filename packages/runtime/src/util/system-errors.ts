/**
 * Operating-system errors that are not the server's fault, as the `RuntimeError` every command
 * answers for them. Without this they surfaced as 500 with Node's text (`ENAMETOOLONG: name too
 * long, realpath '…'`), and each store picked its own status for a full disk.
 */
import path from 'node:path';
import { RuntimeError } from '@chamber/contract';
import { errnoCode } from '../sandbox/paths.js';

/**
 * 507 Insufficient Storage: a full disk is neither the client's mistake (400) nor a defect of the
 * server (500); one distinct status lets a client tell the user what to do (free some space).
 */
export const DISK_FULL_STATUS = 507;

/** The longest file name the file systems we run on accept (NAME_MAX), in bytes. */
export const NAME_MAX_BYTES = 255;

/** `ENAMETOOLONG`, `ENOSPC`, `EDQUOT` as a precise `RuntimeError`; `undefined` for anything else. */
export function systemError(error: unknown): RuntimeError | undefined {
  const code = errnoCode(error);
  if (code === 'ENAMETOOLONG') return nameTooLong(pathOf(error));
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(code, pathOf(error));
  return undefined;
}

/** A full disk while saving `filePath` (a store knows the file; Node's error often does not). */
export function diskFullError(error: unknown, filePath: string): unknown {
  const code = errnoCode(error);
  return code === 'ENOSPC' || code === 'EDQUOT' ? diskFull(code, filePath) : error;
}

function diskFull(code: 'ENOSPC' | 'EDQUOT', file: string | undefined): RuntimeError {
  const reason = code === 'ENOSPC' ? 'the disk is full' : 'the disk quota is exhausted';
  const what = file ? `Could not save ${path.basename(file)}` : 'Could not write';
  return new RuntimeError(DISK_FULL_STATUS, `${what}: ${reason} (${code}); free some space and try again`);
}

/** A client sent a name no file system takes: say which component, and the limit. */
function nameTooLong(file: string | undefined): RuntimeError {
  let longest = '';
  let longestBytes = 0;
  for (const component of (file ?? '').split(/[\\/]/)) {
    const bytes = Buffer.byteLength(component);
    if (bytes > longestBytes) [longest, longestBytes] = [component, bytes];
  }
  if (longestBytes <= NAME_MAX_BYTES) return new RuntimeError(400, 'path is too long for the file system');
  const shown = longest.length > 32 ? `${longest.slice(0, 32)}…` : longest;
  return new RuntimeError(
    400,
    `path component is too long (${longestBytes} bytes, at most ${NAME_MAX_BYTES}): ${shown}`,
  );
}

function pathOf(error: unknown): string | undefined {
  const value = (error as { path?: unknown } | null)?.path;
  return typeof value === 'string' ? value : undefined;
}
