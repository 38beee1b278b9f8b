import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sandbox, type SandboxPolicy } from '../../src/sandbox/sandbox.js';

const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-sandbox-')));
const root = path.join(base, 'root');
const outside = path.join(base, 'outside');
fs.mkdirSync(path.join(root, 'inner'), { recursive: true });
fs.mkdirSync(outside);
fs.symlinkSync(outside, path.join(root, 'escape'));
fs.symlinkSync(path.join(root, 'inner'), path.join(base, 'link-into-root'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function sandbox(policy: SandboxPolicy, settingsRoots: string[] = []) {
  return new Sandbox({ policy, homeDir: base, cwd: root, settingsRoots: async () => settingsRoots });
}

describe('Sandbox', () => {
  it('open policy resolves blank to home and relative paths against the cwd', async () => {
    const open = sandbox({ mode: 'open' });
    expect((await open.resolveExisting('')).path).toBe(base);
    expect((await open.resolveExisting('inner')).path).toBe(path.join(root, 'inner'));
    expect((await open.resolveExisting(outside)).path).toBe(outside);
  });

  it('roots policy resolves blank and relative paths against the first root', async () => {
    const roots = sandbox({ mode: 'roots', roots: [root] });
    expect((await roots.resolveExisting(' ')).path).toBe(root);
    expect((await roots.resolveExisting('inner')).realPath).toBe(path.join(root, 'inner'));
  });

  it('roots policy denies a symlink inside the root that points outside', async () => {
    await expect(
      sandbox({ mode: 'roots', roots: [root] }).resolveExisting(path.join(root, 'escape')),
    ).rejects.toMatchObject({
      status: 403,
      message: 'Access to directory denied',
    });
  });

  it('roots policy accepts a path outside whose canonical form lies inside (a link into the root)', async () => {
    const resolved = await sandbox({ mode: 'roots', roots: [root] }).resolveExisting(path.join(base, 'link-into-root'));
    expect(resolved).toEqual({ path: path.join(base, 'link-into-root'), realPath: path.join(root, 'inner') });
  });

  it('settings policy with no approved directory denies everything (the sandbox never disappears)', async () => {
    await expect(sandbox({ mode: 'settings' }, []).resolveExisting(root)).rejects.toMatchObject({ status: 403 });
    await expect(sandbox({ mode: 'settings' }, ['/does/not/exist']).resolveExisting('')).rejects.toMatchObject({
      status: 403,
    });
  });

  it('settings policy approves the roots it is given, ignoring blank and relative entries', async () => {
    const s = sandbox({ mode: 'settings' }, ['', 'relative', root]);
    expect((await s.resolveExisting('')).path).toBe(root);
    expect(await s.roots()).toEqual([root]);
  });

  it('resolveCreatable checks the nearest existing ancestor', async () => {
    const roots = sandbox({ mode: 'roots', roots: [root] });
    expect(await roots.resolveCreatable(path.join(root, 'a/b/c'))).toBe(path.join(root, 'a/b/c'));
    await expect(roots.resolveCreatable(path.join(root, 'escape/new'))).rejects.toMatchObject({ status: 403 });
    await expect(roots.resolveCreatable(path.join(outside, 'new'))).rejects.toMatchObject({ status: 403 });
  });
});
