/** Serving the UI bundle: files, the app shell for client routes, and nothing outside the directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UiBundle, isApiPath } from '../src/index.js';

let base: string;
let bundle: UiBundle;

beforeAll(async () => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-bundle-')));
  const dir = path.join(base, 'dist');
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'export {};');
  fs.writeFileSync(path.join(dir, 'assets', 'a b.css'), 'body{}');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'outside');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(dir, 'escape.txt'));
  fs.symlinkSync(path.join(dir, 'assets', 'app.js'), path.join(dir, 'alias.js'));
  bundle = await UiBundle.open(dir);
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const read = async (pathname: string) => {
  const answer = await bundle.read(pathname);
  return { status: answer.status, type: answer.contentType, body: answer.body.toString() };
};

describe('UiBundle', () => {
  it('serves files with their content type, index.html for the root', async () => {
    expect(await read('/')).toEqual({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<!doctype html><title>app</title>',
    });
    expect(await read('/assets/app.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8' });
    expect(await read('/assets/a%20b.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
    expect(await read('/alias.js')).toMatchObject({ status: 200, body: 'export {};' });
  });

  it('answers the app shell for client-side routes and 404 for missing assets', async () => {
    expect(await read('/sessions/42')).toMatchObject({ status: 200, body: '<!doctype html><title>app</title>' });
    expect(await read('/assets/missing.js')).toMatchObject({ status: 404 });
  });

  it.each([
    ['a .. segment', '/../secret.txt'],
    ['an encoded .. segment', '/%2e%2e/secret.txt'],
    ['an encoded slash and ..', '/assets%2f..%2f..%2fsecret.txt'],
    ['a backslash', '/..%5csecret.txt'],
    ['a symlink that leads out', '/escape.txt'],
  ])('refuses %s', async (_label, pathname) => {
    expect((await read(pathname)).status).toBe(403);
  });

  it('refuses NUL bytes and malformed escapes', async () => {
    expect((await read('/index.html%00.js')).status).toBe(400);
    expect((await read('/%E0%A4%A')).status).toBe(400);
  });

  it('needs a directory with an index.html', async () => {
    await expect(UiBundle.open(path.join(base, 'nope'))).rejects.toThrow('UI bundle directory not found');
    await expect(UiBundle.open(path.join(base, 'dist', 'assets'))).rejects.toThrow('has no index.html');
  });

  it('tells /api paths apart', () => {
    expect(['/api', '/api/fs/list', '/API/x'].map(isApiPath)).toEqual([true, true, true]);
    expect(['/apix', '/', '/assets/api/x'].map(isApiPath)).toEqual([false, false, false]);
  });
});
