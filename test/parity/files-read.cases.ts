/**
 * Parity cases of `read_file` (Chamber's own command): text, byte-order marks, UTF-16, binary
 * detection, the 2 MiB bound cut at a character boundary, and the sandbox's refusals. The files
 * live in `<home>/viewer`, an extra approved root, so the other files cases see the same workspace.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FS_READ_MAX_BYTES, type FsReadResponse } from '@chamber/contract';
import { expect } from 'vitest';
import {
  HOME,
  OUTSIDE,
  WORK,
  deniedWhenRestricted,
  expectError,
  ok,
  type FixtureHook,
  type ParityCase,
} from './case.js';

const VIEWER = `${HOME}/viewer`;
const FIXED = new Date('2025-01-02T03:04:05.000Z');
const FIXED_MS = FIXED.getTime();
/** 'x' then two-byte characters: the 2 MiB cut falls inside the last one read. */
const BIG_CHARS = FS_READ_MAX_BYTES / 2 + 1000;

export const filesReadFixtureHook: FixtureHook = {
  async prepare(fixture) {
    const dir = path.join(fixture.home, 'viewer');
    fs.mkdirSync(dir, { recursive: true });
    const write = (name: string, content: string | Buffer) => fs.writeFileSync(path.join(dir, name), content);
    write('hello.ts', 'export const greeting = "héllo";\n');
    write('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('with a mark\n')]));
    write('utf16le.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo 😀\n', 'utf16le')]));
    write('utf16be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('héllo\n', 'utf16le').swap16()]));
    write('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    write('latin1.txt', Buffer.from('caf\xe9\n', 'latin1'));
    write('empty.txt', '');
    write('big.txt', `x${'é'.repeat(BIG_CHARS)}`);
    fs.symlinkSync(path.join(fixture.outside, 'secret.txt'), path.join(dir, 'link-out.txt'));
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    for (const name of fs.readdirSync(dir)) fs.lutimesSync(path.join(dir, name), FIXED, FIXED);
    fs.utimesSync(dir, FIXED, FIXED);
    return { roots: [dir] };
  },
};

function read(outcome: Parameters<ParityCase['expect']>[0]): FsReadResponse {
  return ok<FsReadResponse>(outcome);
}

export const fileReadCases: ParityCase[] = [
  {
    name: 'read_file answers a UTF-8 file with its size and modified time',
    command: 'read_file',
    args: { path: `${VIEWER}/hello.ts` },
    expect: (o) =>
      expect(read(o)).toEqual({
        path: `${VIEWER}/hello.ts`,
        size: 34,
        modifiedTime: FIXED_MS,
        binary: false,
        encoding: 'utf-8',
        content: 'export const greeting = "héllo";\n',
        truncated: false,
      }),
  },
  {
    name: 'read_file resolves a relative path against the cwd or the workspace root',
    command: 'read_file',
    args: { path: 'notes.txt' },
    expect: (o) => expect(read(o)).toMatchObject({ path: `${WORK}/notes.txt`, content: 'twelve bytes', size: 12 }),
  },
  {
    name: 'read_file removes a UTF-8 byte-order mark',
    command: 'read_file',
    args: { path: `${VIEWER}/bom.txt` },
    expect: (o) => expect(read(o)).toMatchObject({ encoding: 'utf-8', content: 'with a mark\n', size: 15 }),
  },
  {
    name: 'read_file decodes UTF-16 LE after its byte-order mark',
    command: 'read_file',
    args: { path: `${VIEWER}/utf16le.txt` },
    expect: (o) => expect(read(o)).toMatchObject({ binary: false, encoding: 'utf-16le', content: 'héllo 😀\n' }),
  },
  {
    name: 'read_file decodes UTF-16 BE after its byte-order mark',
    command: 'read_file',
    args: { path: `${VIEWER}/utf16be.txt` },
    expect: (o) => expect(read(o)).toMatchObject({ binary: false, encoding: 'utf-16be', content: 'héllo\n' }),
  },
  {
    name: 'read_file says binary (no content) for a file with NUL bytes',
    command: 'read_file',
    args: { path: `${VIEWER}/image.png` },
    expect: (o) =>
      expect(read(o)).toEqual({
        path: `${VIEWER}/image.png`,
        size: 12,
        modifiedTime: FIXED_MS,
        binary: true,
        encoding: null,
        content: null,
        truncated: false,
      }),
  },
  {
    name: 'read_file says binary for bytes that are not UTF-8 (Latin-1)',
    command: 'read_file',
    args: { path: `${VIEWER}/latin1.txt` },
    expect: (o) => expect(read(o)).toMatchObject({ binary: true, encoding: null, content: null }),
  },
  {
    name: 'read_file answers an empty file as empty text',
    command: 'read_file',
    args: { path: `${VIEWER}/empty.txt` },
    expect: (o) => expect(read(o)).toMatchObject({ binary: false, encoding: 'utf-8', content: '', size: 0 }),
  },
  {
    name: 'read_file cuts a file over 2 MiB at a character boundary and says so',
    command: 'read_file',
    args: { path: `${VIEWER}/big.txt` },
    expect: (o) => {
      const answer = read(o);
      expect(answer.truncated).toBe(true);
      expect(answer.size).toBe(1 + BIG_CHARS * 2);
      // 'x' + 1 048 575 whole two-byte characters: the half character at byte 2 097 151 is dropped.
      expect(answer.content).toBe(`x${'é'.repeat((FS_READ_MAX_BYTES - 2) / 2)}`);
    },
  },
  {
    name: 'read_file of a directory is 400',
    command: 'read_file',
    args: { path: WORK },
    expect: expectError(400, 'Specified path is not a file'),
  },
  {
    name: 'read_file of a FIFO is 400 (never blocks)',
    command: 'read_file',
    args: { path: `${VIEWER}/pipe` },
    expect: expectError(400, 'Specified path is not a file'),
  },
  {
    name: 'read_file of a missing file is 404',
    command: 'read_file',
    args: { path: `${WORK}/missing.txt` },
    expect: expectError(404, 'File not found'),
  },
  {
    name: 'read_file below a file is 404',
    command: 'read_file',
    args: { path: `${WORK}/notes.txt/x` },
    expect: expectError(404, 'File not found'),
  },
  {
    name: 'read_file outside the roots is denied',
    command: 'read_file',
    args: { path: `${OUTSIDE}/secret.txt` },
    expect: deniedWhenRestricted((o) => expect(read(o).content).toBe('outside')),
  },
  {
    name: 'read_file through a symlink that escapes the root is denied',
    command: 'read_file',
    args: { path: `${VIEWER}/link-out.txt` },
    expect: deniedWhenRestricted((o) =>
      expect(read(o)).toMatchObject({ path: `${VIEWER}/link-out.txt`, content: 'outside' }),
    ),
  },
  {
    name: 'read_file of a missing file outside the roots is denied (no existence oracle)',
    command: 'read_file',
    args: { path: `${OUTSIDE}/missing.txt` },
    expect: deniedWhenRestricted(expectError(404, 'File not found')),
  },
  {
    name: 'read_file requires a path',
    command: 'read_file',
    args: {},
    expect: expectError(400, 'Path is required'),
  },
  {
    name: 'read_file rejects NUL bytes',
    command: 'read_file',
    args: { path: `${WORK}/notes.txt\0.png` },
    expect: expectError(400, 'path must not contain NUL bytes'),
  },
];
