/**
 * `read_file`: a file's text for the viewer, bounded and decoded. Only the first
 * `FS_READ_MAX_BYTES` bytes are read (the answer says `truncated`), so a 4 GB log costs what a
 * 2 MiB one does; the cut falls on a character boundary, never inside a UTF-8 sequence or a
 * UTF-16 surrogate pair.
 *
 * Decoding: a UTF-16 byte-order mark (LE or BE) decodes as UTF-16; otherwise the bytes must be
 * UTF-8 (a leading BOM is removed). A NUL byte, or bytes that are not valid UTF-8 (Latin-1,
 * Shift-JIS, images, archives...), make the file `binary`: no content is sent rather than text
 * full of replacement characters. Only regular files are read: a FIFO or a device would block or
 * never end.
 */
import fs from 'node:fs/promises';
import { DIRECTORY_NOT_FOUND, FS_READ_MAX_BYTES, RuntimeError, type FsReadResponse } from '@chamber/contract';
import { errnoCode } from '../sandbox/paths.js';
import type { Sandbox } from '../sandbox/sandbox.js';

export const FILE_NOT_FOUND = 'File not found';
export const FILE_ACCESS_DENIED = 'Access to file denied';
export const NOT_A_FILE = 'Specified path is not a file';

export async function readFile(sandbox: Sandbox, input: string, limit = FS_READ_MAX_BYTES): Promise<FsReadResponse> {
  let target;
  try {
    target = await sandbox.resolveExisting(input);
  } catch (error) {
    // The sandbox speaks of directories (its unit of approval); a missing file is a missing file.
    if (error instanceof RuntimeError && error.message === DIRECTORY_NOT_FOUND) {
      throw new RuntimeError(404, FILE_NOT_FOUND);
    }
    throw error;
  }

  let handle: fs.FileHandle | undefined;
  try {
    const stats = await fs.stat(target.realPath);
    if (!stats.isFile()) throw new RuntimeError(400, NOT_A_FILE);
    handle = await fs.open(target.realPath, 'r');
    // One byte more than the limit tells "exactly the limit" from "more" even if the file grew.
    const buffer = Buffer.alloc(Math.min(stats.size, limit) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const truncated = filled > limit;
    const bytes = buffer.subarray(0, Math.min(filled, limit));
    const decoded = decode(bytes, truncated);
    return {
      path: target.path,
      size: Math.max(stats.size, filled),
      modifiedTime: Math.trunc(stats.mtimeMs),
      binary: decoded === null,
      encoding: decoded?.encoding ?? null,
      content: decoded?.text ?? null,
      truncated,
    };
  } catch (error) {
    throw mapFileError(error);
  } finally {
    await handle?.close();
  }
}

export function mapFileError(error: unknown): unknown {
  if (error instanceof RuntimeError) return error;
  const code = errnoCode(error);
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return new RuntimeError(404, FILE_NOT_FOUND);
  if (code === 'EACCES' || code === 'EPERM') return new RuntimeError(403, FILE_ACCESS_DENIED);
  if (code === 'EISDIR') return new RuntimeError(400, NOT_A_FILE);
  return error;
}

type Decoded = { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; text: string };

/** The text of `bytes`, or null when they are not text. `cut`: the bytes end where the read stopped. */
export function decode(bytes: Buffer, cut: boolean): Decoded | null {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if (b0 === 0xff && b1 === 0xfe) {
    // FF FE 00 00 is UTF-32 LE's mark: not supported, so not text.
    if (bytes[2] === 0 && bytes[3] === 0) return null;
    return decodeUtf16(bytes.subarray(2), 'utf-16le', cut);
  }
  if (b0 === 0xfe && b1 === 0xff) return decodeUtf16(bytes.subarray(2), 'utf-16be', cut);

  let body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (body.includes(0)) return null;
  if (cut) body = body.subarray(0, completeUtf8Length(body));
  try {
    return { encoding: 'utf-8', text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    return null;
  }
}

function decodeUtf16(body: Buffer, encoding: 'utf-16le' | 'utf-16be', cut: boolean): Decoded | null {
  let length = body.length - (body.length % 2);
  if (cut && length >= 2) {
    // Drop a high surrogate whose low half was not read.
    const last = encoding === 'utf-16le' ? body.readUInt16LE(length - 2) : body.readUInt16BE(length - 2);
    if (last >= 0xd800 && last <= 0xdbff) length -= 2;
  } else if (length !== body.length) {
    return null; // an odd number of bytes is no UTF-16 text
  }
  try {
    return {
      encoding,
      text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body.subarray(0, length)),
    };
  } catch {
    return null;
  }
}

/** The length of `bytes` without a UTF-8 sequence the read cut short (at most 3 trailing bytes). */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = bytes[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? end - back : end;
  }
  return end;
}
