import { describe, expect, it } from 'vitest';
import {
  formatSettingsResponse,
  mergeSettings,
  normalizeStringArray,
  sanitizeSettingsChanges,
} from '../../src/settings/sanitize.js';

describe('normalizeStringArray', () => {
  it('drops non-strings and empty strings, and de-duplicates keeping first-seen order', () => {
    expect(normalizeStringArray(['/b', '', 3, null, '/a', '/b', { x: 1 }, '/a', '/c'])).toEqual(['/b', '/a', '/c']);
  });

  it('does not normalise paths: trailing slashes and whitespace make distinct entries', () => {
    expect(normalizeStringArray(['/a', '/a/', ' /a'])).toEqual(['/a', '/a/', ' /a']);
  });

  it('turns a non-array into []', () => {
    expect(normalizeStringArray('/a')).toEqual([]);
    expect(normalizeStringArray(null)).toEqual([]);
    expect(normalizeStringArray({ 0: '/a', length: 1 })).toEqual([]);
  });
});

describe('sanitizeSettingsChanges', () => {
  it('keeps every whitelisted key with a valid value', () => {
    const input = {
      themeId: 'flexoki',
      themeVariant: 'dark',
      useSystemTheme: false,
      lightThemeId: 'l',
      darkThemeId: 'd',
      lastDirectory: '/work',
      homeDirectory: '/home/me',
      approvedDirectories: ['/x'],
      securityScopedBookmarks: ['bm'],
      pinnedDirectories: ['/p'],
      uiFont: 'Inter',
      monoFont: 'JetBrains Mono',
      markdownDisplayMode: 'compact',
      showReasoningTraces: true,
      typographySizes: { code: '13px' },
    };
    expect(sanitizeSettingsChanges(input)).toEqual(input);
  });

  it('drops unknown keys and wrongly-typed values without coercion', () => {
    expect(
      sanitizeSettingsChanges({
        unknown: 'x',
        themeId: 42,
        useSystemTheme: 'true',
        showReasoningTraces: 1,
        lastDirectory: null,
        uiFont: ['Inter'],
      }),
    ).toEqual({});
  });

  it('keeps strings verbatim, but never empty strings (scalars cannot be cleared)', () => {
    expect(sanitizeSettingsChanges({ lastDirectory: '  /spaced/ ', themeId: '' })).toEqual({
      lastDirectory: '  /spaced/ ',
    });
  });

  it('accepts only light or dark as themeVariant', () => {
    expect(sanitizeSettingsChanges({ themeVariant: 'light' })).toEqual({ themeVariant: 'light' });
    expect(sanitizeSettingsChanges({ themeVariant: 'Dark' })).toEqual({});
    expect(sanitizeSettingsChanges({ themeVariant: 'sepia' })).toEqual({});
  });

  it('accepts any non-empty markdownDisplayMode (reference quirk)', () => {
    expect(sanitizeSettingsChanges({ markdownDisplayMode: 'whatever' })).toEqual({ markdownDisplayMode: 'whatever' });
  });

  it('normalises supplied arrays and treats a non-array as not supplied', () => {
    expect(sanitizeSettingsChanges({ pinnedDirectories: ['/b', '/a', '/b', ''], approvedDirectories: null })).toEqual({
      pinnedDirectories: ['/b', '/a'],
    });
    expect(sanitizeSettingsChanges({ securityScopedBookmarks: [] })).toEqual({ securityScopedBookmarks: [] });
  });

  it('keeps typographySizes only with at least one valid key, dropping the invalid ones', () => {
    expect(sanitizeSettingsChanges({ typographySizes: { micro: '10px', code: 12, bogus: '1px' } })).toEqual({
      typographySizes: { micro: '10px' },
    });
    expect(sanitizeSettingsChanges({ typographySizes: { code: '' } })).toEqual({});
    expect(sanitizeSettingsChanges({ typographySizes: ['12px'] })).toEqual({});
  });

  it('ignores inherited and prototype-polluting keys', () => {
    const input = JSON.parse('{"__proto__": {"themeId": "evil"}, "constructor": {"x": 1}}') as Record<string, unknown>;
    expect(sanitizeSettingsChanges(input)).toEqual({});
    expect(sanitizeSettingsChanges(Object.create({ themeId: 'inherited' }) as Record<string, unknown>)).toEqual({});
  });
});

describe('mergeSettings', () => {
  it('lets request keys overwrite and keeps unknown keys from disk', () => {
    const next = mergeSettings({ themeId: 'old', custom: { a: 1 } }, { themeId: 'new' });
    expect(next).toMatchObject({ themeId: 'new', custom: { a: 1 } });
  });

  it('setting lastDirectory or homeDirectory approves it', () => {
    const next = mergeSettings({ approvedDirectories: ['/a'] }, { lastDirectory: '/b', homeDirectory: '/a' });
    expect(next.approvedDirectories).toEqual(['/a', '/b']);
  });

  it('a supplied approvedDirectories replaces the disk list, then lastDirectory is appended', () => {
    const next = mergeSettings({ approvedDirectories: ['/old'] }, { approvedDirectories: ['/x'], lastDirectory: '/y' });
    expect(next.approvedDirectories).toEqual(['/x', '/y']);
  });

  it('normalises the disk arrays for approvedDirectories and securityScopedBookmarks even on an empty merge', () => {
    const next = mergeSettings({ approvedDirectories: ['/a', '/a', 5], securityScopedBookmarks: 'nope' }, {});
    expect(next.approvedDirectories).toEqual(['/a']);
    expect(next.securityScopedBookmarks).toEqual([]);
  });

  it('leaves pinnedDirectories on disk untouched unless supplied, and never creates it', () => {
    expect(mergeSettings({ pinnedDirectories: ['/a', '/a'] }, {}).pinnedDirectories).toEqual(['/a', '/a']);
    expect('pinnedDirectories' in mergeSettings({}, {})).toBe(false);
    expect(mergeSettings({ pinnedDirectories: ['/a'] }, { pinnedDirectories: [] }).pinnedDirectories).toEqual([]);
  });

  it('shallow-merges typographySizes over the disk value', () => {
    const next = mergeSettings(
      { typographySizes: { code: '12px', meta: '11px', extra: 'kept' } },
      { typographySizes: { code: '14px' } },
    );
    expect(next.typographySizes).toEqual({ code: '14px', meta: '11px', extra: 'kept' });
    expect(mergeSettings({ typographySizes: 'broken' }, { typographySizes: { micro: '9px' } }).typographySizes).toEqual(
      { micro: '9px' },
    );
    expect('typographySizes' in mergeSettings({}, {})).toBe(false);
  });

  it('does not mutate its inputs', () => {
    const current = { approvedDirectories: ['/a'], typographySizes: { code: '1px' } };
    const changes = { lastDirectory: '/b', typographySizes: { meta: '2px' } };
    const snapshot = JSON.stringify([current, changes]);
    mergeSettings(current, changes);
    expect(JSON.stringify([current, changes])).toBe(snapshot);
  });

  it('never copies __proto__ from disk, so Object.prototype stays clean', () => {
    const disk = JSON.parse(
      '{"__proto__": {"polluted": true}, "typographySizes": {"__proto__": {"polluted": true}}}',
    ) as Record<string, unknown>;
    const next = mergeSettings(disk, { typographySizes: { code: '1px' } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype);
    expect(Object.keys(next)).not.toContain('__proto__');
    expect(JSON.parse(JSON.stringify(next))).toEqual({
      approvedDirectories: [],
      securityScopedBookmarks: [],
      typographySizes: { code: '1px' },
    });
  });
});

describe('formatSettingsResponse', () => {
  it('answers the defaults for an empty object', () => {
    expect(formatSettingsResponse({})).toEqual({
      approvedDirectories: [],
      securityScopedBookmarks: [],
      pinnedDirectories: [],
      showReasoningTraces: false,
    });
  });

  it('returns only valid known keys, in whitelist order', () => {
    const response = formatSettingsResponse({
      typographySizes: { micro: '9px', markdown: '15px', bad: '1px', code: 0 },
      showReasoningTraces: 'yes',
      secret: 'unknown keys are never returned',
      themeVariant: 'sepia',
      lastDirectory: '/w',
      themeId: 'x',
      pinnedDirectories: ['/p', '/p'],
    });
    expect(response).toEqual({
      themeId: 'x',
      lastDirectory: '/w',
      approvedDirectories: [],
      securityScopedBookmarks: [],
      pinnedDirectories: ['/p'],
      showReasoningTraces: false,
      typographySizes: { markdown: '15px', micro: '9px' },
    });
    expect(Object.keys(response)).toEqual([
      'themeId',
      'lastDirectory',
      'approvedDirectories',
      'securityScopedBookmarks',
      'pinnedDirectories',
      'showReasoningTraces',
      'typographySizes',
    ]);
  });

  it('re-emits typographySizes keys in the fixed order markdown, code, uiHeader, uiLabel, meta, micro', () => {
    const response = formatSettingsResponse({
      typographySizes: { micro: '1', meta: '2', uiLabel: '3', uiHeader: '4', code: '5', markdown: '6' },
    });
    expect(Object.keys(response.typographySizes ?? {})).toEqual([
      'markdown',
      'code',
      'uiHeader',
      'uiLabel',
      'meta',
      'micro',
    ]);
  });

  it('omits typographySizes when no key is valid', () => {
    expect(formatSettingsResponse({ typographySizes: { code: '' } })).not.toHaveProperty('typographySizes');
  });
});
