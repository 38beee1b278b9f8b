/**
 * Operating-system errors that are the client's doing, through `runtime.invoke` on every command:
 * a path component longer than a file system takes (ENAMETOOLONG) is a 400 that names the
 * component, never a 500 with Node's text.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames, httpBindingOf } from '@chamber/contract';
import { createRuntime, type Runtime } from '../src/index.js';
import { gitIn } from '../../../test/support/git-repos.js';

const COMPONENT = 'x'.repeat(300);
const TOO_LONG = `path component is too long (300 bytes, at most 255): ${'x'.repeat(32)}…`;

let base: string;
let repo: string;
let runtime: Runtime;

beforeAll(() => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'chamber-system-errors-')));
  repo = path.join(base, 'repo');
  fs.mkdirSync(repo);
  gitIn(repo, {}, 'init', '-q', '-b', 'main');
  runtime = createRuntime({ homeDir: base, dataDir: path.join(base, 'data'), cwd: base, env: {} });
});
afterAll(async () => {
  await runtime.close();
  fs.rmSync(base, { recursive: true, force: true });
});

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ status: 200, message: '' }),
    (error: { status: number; message: string }) => ({ status: error.status, message: error.message }),
  );

describe('a path component over 255 bytes', () => {
  it('is a 400 naming the component on the routes that touch the path', async () => {
    const long = path.join(base, COMPONENT, 'inner');
    const calls: [string, Record<string, unknown>][] = [
      ['list_directory', { path: long }],
      ['search_files', { directory: long, query: 'a' }],
      ['create_directory', { path: long }],
      ['check_is_git_repository', { directory: long }],
      ['get_git_status', { directory: long }],
      ['get_git_branches', { directory: long }],
      ['get_git_log', { directory: long }],
      ['is_linked_worktree', { directory: long }],
      ['list_git_worktrees', { directory: long }],
      ['create_git_commit', { directory: long, message: 'm', addAll: true }],
      ['get_git_file_diff', { directory: repo, pathStr: COMPONENT }],
      ['get_current_git_identity', { directory: long }],
    ];
    for (const [name, args] of calls) {
      expect(await outcome(runtime.invoke(name, args)), name).toEqual({ status: 400, message: TOO_LONG });
    }
  });

  it('never reaches a client as a 500 on any route', async () => {
    const long = path.join(base, COMPONENT);
    const everyPath = {
      path: long,
      directory: long,
      pathStr: long,
      filePath: long,
      file: long,
      files: [long],
      payload: { cwd: long },
      query: 'a',
      message: 'm',
      name: 'n',
      branch: 'b',
      id: 'i',
      hash: 'h',
    };
    // The routes of the subsystems that take paths (the others may reach the network).
    const takesPaths = /git|director|search|terminal|settings|worktree|branch|commit|remote|fetch|push|pull|ignored/;
    for (const name of commandNames) {
      if (!httpBindingOf(name) || !takesPaths.test(name)) continue;
      for (const args of [everyPath, { ...everyPath, directory: repo }]) {
        const result = await outcome(runtime.invoke(name, args));
        expect(`${name}: ${result.message}`).not.toMatch(/ENAMETOOLONG|name too long/);
      }
    }
  });
});
