import { describe, expect, it } from 'vitest';
import {
  ancestorsWithin,
  basename,
  breadcrumbs,
  dirname,
  displayPath,
  expandHome,
  isInside,
  normalizeDirectory,
  relativeTo,
} from '../src/lib/paths.js';

describe('UI path helpers', () => {
  it('normalise directories: trim, forward slashes, no trailing slash, roots kept', () => {
    expect(normalizeDirectory('  /home/me/  ')).toBe('/home/me');
    expect(normalizeDirectory('C:\\Users\\me\\')).toBe('C:/Users/me');
    expect(normalizeDirectory('///')).toBe('/');
    expect(normalizeDirectory('C:\\')).toBe('C:/');
    expect(normalizeDirectory('   ')).toBe('');
  });

  it('take names and parents, stopping at a root', () => {
    expect(basename('/home/me/file.txt')).toBe('file.txt');
    expect(basename('/')).toBe('/');
    expect(dirname('/home/me')).toBe('/home');
    expect(dirname('/home')).toBe('/');
    expect(dirname('/')).toBeNull();
    expect(dirname('C:/Users')).toBe('C:/');
  });

  it('compare whole components: /root_evil is not inside /root', () => {
    expect(isInside('/root/a', '/root')).toBe(true);
    expect(isInside('/root', '/root')).toBe(true);
    expect(isInside('/root_evil', '/root')).toBe(false);
    expect(isInside('/anything', '/')).toBe(true);
    expect(relativeTo('/root', '/root/a/b')).toBe('a/b');
    expect(relativeTo('/', '/a/b')).toBe('a/b');
    expect(relativeTo('/root', '/other')).toBeNull();
  });

  it('list the directories to expand to reveal a deep file', () => {
    expect(ancestorsWithin('/w', '/w/a/b/c.txt')).toEqual(['/w', '/w/a', '/w/a/b']);
    expect(ancestorsWithin('/w', '/w/top.txt')).toEqual(['/w']);
    expect(ancestorsWithin('/w', '/elsewhere/x')).toEqual([]);
  });

  it('build breadcrumbs that each name a real path', () => {
    expect(breadcrumbs('/home/me')).toEqual([
      { name: '/', path: '/' },
      { name: 'home', path: '/home' },
      { name: 'me', path: '/home/me' },
    ]);
    expect(breadcrumbs('C:/Users')).toEqual([
      { name: 'C:/', path: 'C:/' },
      { name: 'Users', path: 'C:/Users' },
    ]);
  });

  it('show and accept paths under home with ~', () => {
    expect(displayPath('/home/me/src', '/home/me')).toBe('~/src');
    expect(displayPath('/home/me', '/home/me')).toBe('~');
    expect(displayPath('/home/meow', '/home/me')).toBe('/home/meow');
    expect(expandHome('~/src/', '/home/me')).toBe('/home/me/src');
    expect(expandHome('/tmp/', '/home/me')).toBe('/tmp');
  });
});
