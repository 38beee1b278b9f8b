import fs from 'node:fs/promises';

/**
 * Whether something is at `file`. Only "no such entry" (`ENOENT`, `ENOTDIR`) means no; any other
 * error (`EACCES`, `EIO`, ...) is thrown, so an unreadable path is never taken for a missing one.
 * By default a symbolic link counts as itself (`lstat`); `follow` asks about its target (`stat`),
 * so a dangling link counts as missing.
 */
export async function pathExists(file: string, options: { follow?: boolean } = {}): Promise<boolean> {
  try {
    await (options.follow ? fs.stat(file) : fs.lstat(file));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
}
