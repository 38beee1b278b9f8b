/**
 * Parity cases of the AI commit message against the local endpoint of test/support/ai-server.ts
 * (its answer depends on the file named). They read the working tree the write cases change, so
 * they run before them.
 */
import { expect } from 'vitest';
import { AI_JSON_REPLY } from '../support/ai-server.js';
import { expectError, ok, type ParityCase } from './case.js';
import { MAIN, MISSING_DIR } from './git-paths.js';

const INVALID_PATH = expectError(400, 'Invalid file path');

export const gitAiCases: ParityCase[] = [
  {
    name: 'generate_commit_message answers the model’s JSON, fence stripped',
    command: 'generate_commit_message',
    needsNetwork: true,
    args: { directory: MAIN, files: ['a.txt'] },
    expect: (o) => expect(ok(o)).toEqual({ message: AI_JSON_REPLY }),
  },
  {
    name: 'generate_commit_message uses the staged diff of a fully staged file (the reference: 400)',
    command: 'generate_commit_message',
    needsNetwork: true,
    args: { directory: MAIN, files: ['b.txt'] },
    expect: (o) => expect(ok(o)).toEqual({ message: AI_JSON_REPLY }),
  },
  {
    name: 'generate_commit_message falls back to the raw text as subject',
    command: 'generate_commit_message',
    needsNetwork: true,
    args: { directory: MAIN, files: ['new.txt'] },
    expect: (o) => expect(ok(o)).toEqual({ message: { subject: 'Update the new file', highlights: [] } }),
  },
  {
    name: 'generate_commit_message with a blank model answer is 502',
    command: 'generate_commit_message',
    needsNetwork: true,
    args: { directory: MAIN, files: ['with space.txt'] },
    expect: expectError(502, 'No commit message returned by generator'),
  },
  {
    name: 'generate_commit_message when the endpoint fails is 502',
    command: 'generate_commit_message',
    needsNetwork: true,
    args: { directory: MAIN, files: ['ünï cødé.txt'] },
    expect: (o) => {
      expectError(502, 'Failed to generate commit message')(o);
      expect((o as { error: { detail?: string } }).error.detail).toMatch(
        /^Failed to generate commit message: http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions answered 500 Internal Server Error: upstream exploded — /,
      );
    },
  },
  {
    name: 'generate_commit_message when the endpoint drops the connection is a 500 naming it (the reference: fetch failed)',
    command: 'generate_commit_message',
    needsNetwork: true,
    args: { directory: MAIN, files: ['quote"s.txt'] },
    expect: expectError(
      500,
      /^Failed to generate commit message: could not reach http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions \(.+\) — change the runtime's git\.commitMessage options \(they override Settings → AI\)$/,
    ),
  },
  {
    name: 'generate_commit_message of unchanged files has no diffs',
    command: 'generate_commit_message',
    args: { directory: MAIN, files: ['README.md'] },
    expect: expectError(400, 'No diffs available for selected files'),
  },
  {
    name: 'generate_commit_message of a missing directory has no diffs (as the reference)',
    command: 'generate_commit_message',
    args: { directory: MISSING_DIR, files: ['a.txt'] },
    expect: expectError(400, 'No diffs available for selected files'),
  },
  {
    name: 'generate_commit_message needs at least one file',
    command: 'generate_commit_message',
    args: { directory: MAIN, files: [] },
    expect: expectError(400, 'At least one file is required'),
  },
  {
    name: 'generate_commit_message needs a list of files',
    command: 'generate_commit_message',
    args: { directory: MAIN, files: 'a.txt' },
    expect: expectError(400, 'At least one file is required'),
  },
  {
    name: 'generate_commit_message refuses a file outside the repository',
    command: 'generate_commit_message',
    args: { directory: MAIN, files: ['../plain/file.txt'] },
    expect: INVALID_PATH,
  },
];
