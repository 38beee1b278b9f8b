/** Parity cases of the settings commands: sanitisation, merge, and bad input. */
import type { SettingsResponse } from '@chamber/contract';
import { expect } from 'vitest';
import { REPO, WORK, expectError, ok, type ParityCase } from './case.js';

export const settingsCases: ParityCase[] = [
  // -- data directory ---------------------------------------------------------------------------
  {
    name: 'get_data_directory names the data directory and its settings.json',
    command: 'get_data_directory',
    args: {},
    expect: (o) => expect(ok(o)).toEqual({ dataDirectory: '<BASE>/data', settingsFile: '<BASE>/data/settings.json' }),
  },
  {
    name: 'get_data_directory ignores unknown arguments',
    command: 'get_data_directory',
    args: { bogus: true },
    expect: (o) => expect(ok(o)).toEqual({ dataDirectory: '<BASE>/data', settingsFile: '<BASE>/data/settings.json' }),
  },
  // -- settings ---------------------------------------------------------------------------------
  {
    name: 'load_settings answers the formatted settings',
    command: 'load_settings',
    args: {},
    expect: (o, mode) => {
      const settings = ok<SettingsResponse>(o);
      expect(settings.showReasoningTraces).toBe(false);
      expect(settings.pinnedDirectories).toEqual([]);
      // Fixture hooks may approve more roots after these two.
      expect(settings.approvedDirectories.slice(0, 2)).toEqual(mode === 'settings' ? [WORK, REPO] : []);
    },
  },
  {
    name: 'save_settings drops unknown keys and wrong types, and de-duplicates arrays in order',
    command: 'save_settings',
    args: {
      changes: {
        themeId: 'flexoki-dark',
        bogus: 1,
        useSystemTheme: 'true',
        themeVariant: 'sepia',
        showReasoningTraces: true,
        pinnedDirectories: ['/b', '/a', '/b', '', 3, null, '/a/'],
        typographySizes: { micro: '10px', markdown: '15px', bogus: '1px', code: '' },
      },
    },
    expect: (o) => {
      const settings = ok<SettingsResponse>(o);
      expect(settings).not.toHaveProperty('bogus');
      expect(settings).not.toHaveProperty('useSystemTheme');
      expect(settings).not.toHaveProperty('themeVariant');
      expect(settings.themeId).toBe('flexoki-dark');
      expect(settings.showReasoningTraces).toBe(true);
      expect(settings.pinnedDirectories).toEqual(['/b', '/a', '/a/']);
      expect(JSON.stringify(settings.typographySizes)).toBe('{"markdown":"15px","micro":"10px"}');
    },
  },
  {
    name: 'save_settings approves a new lastDirectory',
    command: 'save_settings',
    args: { changes: { lastDirectory: REPO } },
    expect: (o) => {
      const settings = ok<SettingsResponse>(o);
      expect(settings.lastDirectory).toBe(REPO);
      expect(settings.approvedDirectories).toContain(REPO);
      expect(settings.themeId).toBe('flexoki-dark');
    },
  },
  {
    name: 'load_settings reads back what save_settings wrote',
    command: 'load_settings',
    args: {},
    expect: (o) => expect(ok<SettingsResponse>(o)).toMatchObject({ themeId: 'flexoki-dark', lastDirectory: REPO }),
  },
  {
    name: 'save_settings with no changes keeps everything',
    command: 'save_settings',
    args: {},
    expect: (o) => expect(ok<SettingsResponse>(o).themeId).toBe('flexoki-dark'),
  },
  {
    name: 'save_settings rejects an array of changes',
    command: 'save_settings',
    args: { changes: ['themeId'] },
    expect: expectError(400, 'changes must be a JSON object, not an array'),
  },
  {
    name: 'save_settings rejects changes that are a string',
    command: 'save_settings',
    args: { changes: 'dark' },
    // HTTP refuses a top-level JSON string while parsing the body (as the reference's strict
    // parser does); IPC has no body, so the schema names the argument. Same status, own words.
    expect: expectError(400, /^(changes must be a JSON object, not a string|JSON body must be an object or array)$/),
    compareStatusOnly: true,
  },
  {
    name: 'save_settings rejects deeply nested JSON',
    command: 'save_settings',
    args: { changes: { typographySizes: nest(1000) } },
    expect: expectError(400, /nested too deeply/),
  },
  {
    name: 'save_settings rejects a 10 MB payload',
    command: 'save_settings',
    args: { changes: { themeId: 'x'.repeat(10 * 1024 * 1024) } },
    expect: expectError(413, /too large/i),
    compareStatusOnly: true,
  },
];

function nest(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}
