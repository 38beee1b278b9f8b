import { describe, expect, it } from 'vitest';
import { toGeneratedCommitMessage, toGitLogResponse, toGitPushResult, toGitStatus } from '../src/git-normalize.js';

describe('git normalisation', () => {
  it('gives the UI one-character working_dir/index even from a stage-2 desktop answer (workingDir, trimmed)', () => {
    expect(toGitStatus({ current: 'main', files: [{ path: 'a', index: '', workingDir: 'M' }] })).toEqual({
      current: 'main',
      tracking: null,
      ahead: 0,
      behind: 0,
      files: [{ path: 'a', index: ' ', working_dir: 'M' }],
      isClean: false,
      diffStats: {},
    });
  });

  it('reads stage-2 camel-case log authors into author_name/author_email', () => {
    const log = toGitLogResponse({ all: [{ hash: 'h', authorName: 'A', authorEmail: 'a@e' }] });
    expect(log.latest).toMatchObject({ hash: 'h', author_name: 'A', author_email: 'a@e', insertions: 0 });
    expect(log.total).toBe(1);
  });

  it('keeps optional push fields absent when the runtime did not send them', () => {
    expect(toGitPushResult({ success: true, pushed: [] })).toEqual({ success: true, pushed: [] });
  });

  it('normalises a generated message as the reference client did', () => {
    expect(
      toGeneratedCommitMessage({ message: { subject: '  feat: x  ', highlights: [' Adds y ', '', 3, 'Keeps z'] } }),
    ).toEqual({ message: { subject: 'feat: x', highlights: ['Adds y', 'Keeps z'] } });
    expect(toGeneratedCommitMessage({ message: { highlights: 'no' } })).toEqual({
      message: { subject: '', highlights: [] },
    });
    expect(() => toGeneratedCommitMessage({ message: 'text' })).toThrow('Malformed commit generation response');
  });
});
