import { describe, expect, it } from 'vitest';
import { isInsideAnyRoot, isInsideRoot } from '../../src/sandbox/paths.js';

describe('isInsideRoot compares whole path components', () => {
  it('accepts the root itself and paths below it', () => {
    expect(isInsideRoot('/root', '/root')).toBe(true);
    expect(isInsideRoot('/root/a/b', '/root')).toBe(true);
  });
  it('rejects a sibling that shares the prefix (/root_evil is not inside /root)', () => {
    expect(isInsideRoot('/root_evil', '/root')).toBe(false);
    expect(isInsideRoot('/root_evil/x', '/root')).toBe(false);
  });
  it('rejects parents and unrelated paths', () => {
    expect(isInsideRoot('/', '/root')).toBe(false);
    expect(isInsideRoot('/other', '/root')).toBe(false);
  });
  it('accepts names that merely begin with two dots', () => {
    expect(isInsideRoot('/root/..foo', '/root')).toBe(true);
  });
  it('handles the filesystem root as a root', () => {
    expect(isInsideRoot('/anything', '/')).toBe(true);
  });
  it('checks every root', () => {
    expect(isInsideAnyRoot('/b/x', ['/a', '/b'])).toBe(true);
    expect(isInsideAnyRoot('/c/x', ['/a', '/b'])).toBe(false);
    expect(isInsideAnyRoot('/a', [])).toBe(false);
  });
});
