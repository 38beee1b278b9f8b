import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pathExists } from '../../src/util/path-exists.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-path-exists-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pathExists', () => {
  it('says yes for a file and a directory, no for a missing entry or one below a file', async () => {
    const file = path.join(dir, 'file.txt');
    fs.writeFileSync(file, 'x');
    expect(await pathExists(file)).toBe(true);
    expect(await pathExists(dir)).toBe(true);
    expect(await pathExists(path.join(dir, 'missing'))).toBe(false);
    expect(await pathExists(path.join(file, 'below'))).toBe(false); // ENOTDIR
  });

  it('counts a dangling link as itself, or as missing when asked to follow it', async () => {
    const link = path.join(dir, 'dangling');
    fs.symlinkSync(path.join(dir, 'nowhere'), link);
    expect(await pathExists(link)).toBe(true);
    expect(await pathExists(link, { follow: true })).toBe(false);
  });

  it('throws errors other than "no such entry" instead of answering no', async () => {
    // A name over NAME_MAX fails with ENAMETOOLONG: not an answer about existence.
    await expect(pathExists(path.join(dir, 'n'.repeat(300)))).rejects.toMatchObject({ code: 'ENAMETOOLONG' });
  });
});
