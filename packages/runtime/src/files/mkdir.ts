import fs from 'node:fs/promises';
import path from 'node:path';
import { ACCESS_DENIED, RuntimeError, type FsMkdirResponse } from '@chamber/contract';
import { errnoCode } from '../sandbox/paths.js';
import type { Sandbox } from '../sandbox/sandbox.js';

/**
 * `mkdir -p`. The reference rejects any normalised path containing the substring `..`
 * (so `/a/..foo` too); we reject only a real `..` component left after normalisation, i.e. a
 * relative path climbing out of its base.
 */
export async function createDirectory(sandbox: Sandbox, input: string): Promise<FsMkdirResponse> {
  const trimmed = input.trim();
  if (!trimmed) throw new RuntimeError(400, 'Path is required');
  if (path.normalize(trimmed).split(/[\\/]/).includes('..')) {
    throw new RuntimeError(400, 'Invalid path: path traversal not allowed');
  }
  const target = await sandbox.resolveCreatable(trimmed);
  try {
    await fs.mkdir(target, { recursive: true });
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EACCES' || code === 'EPERM') throw new RuntimeError(403, ACCESS_DENIED);
    // A file in the way: the client named an impossible path, so 400 with Node's message.
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new RuntimeError(400, (error as Error).message);
    throw error;
  }
  return { success: true, path: target };
}
