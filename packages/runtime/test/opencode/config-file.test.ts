import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_READ_ERROR, OpenCodeConfigFile } from '../../src/opencode/config/config-file.js';

let dir: string;
let file: OpenCodeConfigFile;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'chamber-opencode-json-'));
  file = new OpenCodeConfigFile(dir);
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const read = (name: string) => fs.readFile(path.join(dir, name), 'utf8');
const write = (name: string, text: string) => fs.writeFile(path.join(dir, name), text);

const COMMENTED = `{
  // the model I pay for
  "model": "anthropic/claude-sonnet-4",
  /* agents */
  "agent": {
    "build": { "temperature": 0.1 }, // keep it cold
  },
}
`;

describe('OpenCodeConfigFile', () => {
  it('reads a missing file as {} at opencode.json and creates it on the first edit', async () => {
    const loaded = await file.load();
    expect(loaded).toMatchObject({ file: path.join(dir, 'opencode.json'), exists: false, data: {} });
    await file.write(loaded, [{ path: ['agent', 'x', 'disable'], value: true }]);
    expect(JSON.parse(await read('opencode.json'))).toEqual({ agent: { x: { disable: true } } });
    expect(await read('opencode.json')).toMatch(/\n$/);
    await expect(fs.stat(path.join(dir, 'opencode.json.openchamber.backup'))).rejects.toThrow();
  });

  it('reads comments and trailing commas, and keeps both when it edits', async () => {
    await write('opencode.json', COMMENTED);
    const loaded = await file.load();
    expect(loaded.data).toEqual({ model: 'anthropic/claude-sonnet-4', agent: { build: { temperature: 0.1 } } });
    await file.write(loaded, [
      { path: ['agent', 'build', 'model'], value: 'openai/gpt-5' },
      { path: ['agent', 'plan', 'prompt'], value: 'Plan it.' },
    ]);
    const text = await read('opencode.json');
    expect(text).toContain('// the model I pay for');
    expect(text).toContain('/* agents */');
    expect(text).toContain('// keep it cold');
    const after = await file.load();
    expect(after.data).toEqual({
      model: 'anthropic/claude-sonnet-4',
      agent: { build: { temperature: 0.1, model: 'openai/gpt-5' }, plan: { prompt: 'Plan it.' } },
    });
  });

  it('removes a member and leaves the rest of the text alone', async () => {
    await write('opencode.json', COMMENTED);
    await file.write(await file.load(), [{ path: ['agent', 'build'], value: undefined }]);
    const text = await read('opencode.json');
    expect(text).toContain('// the model I pay for');
    expect(text).toContain('/* agents */');
    expect((await file.load()).data).toEqual({ model: 'anthropic/claude-sonnet-4', agent: {} });
  });

  it('keeps one backup, the content before the latest change', async () => {
    await write('opencode.json', '{ "a": 1 }\n');
    await file.write(await file.load(), [{ path: ['b'], value: 2 }]);
    expect(await read('opencode.json.openchamber.backup')).toBe('{ "a": 1 }\n');
    const second = await read('opencode.json');
    await file.write(await file.load(), [{ path: ['c'], value: 3 }]);
    expect(await read('opencode.json.openchamber.backup')).toBe(second);
    expect((await fs.readdir(dir)).sort()).toEqual(['opencode.json', 'opencode.json.openchamber.backup']);
  });

  it('edits opencode.jsonc when it is the only config file', async () => {
    await write('opencode.jsonc', '{\n  // mine\n}\n');
    const loaded = await file.load();
    expect(loaded.file).toBe(path.join(dir, 'opencode.jsonc'));
    await file.write(loaded, [{ path: ['command', 'test', 'template'], value: 'Run tests' }]);
    expect(await read('opencode.jsonc')).toContain('// mine');
    await expect(fs.stat(path.join(dir, 'opencode.json'))).rejects.toThrow();
    expect(await read('opencode.jsonc.openchamber.backup')).toBe('{\n  // mine\n}\n');
  });

  it('prefers opencode.json when both exist', async () => {
    await write('opencode.jsonc', '{}');
    await write('opencode.json', '{}');
    expect((await file.load()).file).toBe(path.join(dir, 'opencode.json'));
  });

  it('indents new members like the file (tabs, four spaces) and keeps CRLF and a BOM', async () => {
    await write('opencode.json', '\ufeff{\r\n\t"a": 1\r\n}\r\n');
    await file.write(await file.load(), [{ path: ['agent', 'x', 'mode'], value: 'all' }]);
    const text = await read('opencode.json');
    expect(text.startsWith('\ufeff{\r\n\t"a": 1,\r\n\t"agent": {\r\n\t\t"x": {')).toBe(true);
    expect(text).not.toMatch(/[^\r]\n/);

    await write('opencode.json', '{\n    "a": 1\n}\n');
    await file.write(await file.load(), [{ path: ['b'], value: { c: 1 } }]);
    expect(await read('opencode.json')).toBe('{\n    "a": 1,\n    "b": {\n        "c": 1\n    }\n}\n');
  });

  it('replaces an entry that is not an object when a member is set in it', async () => {
    await write('opencode.json', '{ "agent": { "x": null }, "command": 5 }');
    await file.write(await file.load(), [
      { path: ['agent', 'x', 'mode'], value: 'all' },
      { path: ['command', 'y', 'template'], value: 't' },
    ]);
    expect((await file.load()).data).toEqual({ agent: { x: { mode: 'all' } }, command: { y: { template: 't' } } });
  });

  it('reads a blank file as {}', async () => {
    await write('opencode.json', '  \n');
    expect((await file.load()).data).toEqual({});
  });

  it.each([
    ['a syntax error', '{ "agent": { '],
    ['an array', '[1, 2]'],
    ['a string', '"text"'],
  ])('refuses %s with the reference message', async (_label, text) => {
    await write('opencode.json', text);
    await expect(file.load()).rejects.toThrow(CONFIG_READ_ERROR);
  });

  it('writes through a symlinked config file instead of replacing the link', async () => {
    const real = path.join(dir, 'dotfiles', 'opencode.json');
    await fs.mkdir(path.dirname(real));
    await fs.writeFile(real, '{}\n');
    await fs.symlink(real, path.join(dir, 'opencode.json'));
    await file.write(await file.load(), [{ path: ['a'], value: 1 }]);
    expect((await fs.lstat(path.join(dir, 'opencode.json'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await fs.readFile(real, 'utf8'))).toEqual({ a: 1 });
  });
});
