/**
 * Parity cases of the desktop-only commands (permissions, notifications, diagnostics). They run on
 * the desktop transports only (the web has no route for them); the fake OS programs on PATH answer
 * the folder picker with the fixture's repository and accept every notification.
 *
 * Every approval here names a directory every mode already admits at this point of the suite, so
 * these cases leave the sandbox as they found it for the cases that follow.
 */
import type { DesktopLogsResponse } from '@chamber/contract';
import { expect } from 'vitest';
import { OUTSIDE, REPO, WORK, expectError, ok, type ParityCase } from './case.js';

export const PICKED_DIRECTORY = REPO;

export const desktopOnlyCases: ParityCase[] = [
  // -- request_directory_access -------------------------------------------------------------------
  {
    name: 'request_directory_access approves an existing directory and echoes its absolute path',
    command: 'request_directory_access',
    args: { request: { path: `${REPO}/` } },
    expect: (o) => expect(ok(o)).toEqual({ success: true, path: REPO, error: null }),
  },
  {
    name: 'request_directory_access without a path approves the directory picked in the OS folder picker',
    command: 'request_directory_access',
    args: { request: { path: '' } },
    expect: (o) => expect(ok(o)).toEqual({ success: true, path: PICKED_DIRECTORY, error: null }),
  },
  {
    name: 'request_directory_access of a missing directory answers the reference error',
    command: 'request_directory_access',
    args: { request: { path: `${OUTSIDE}/missing` } },
    expect: (o) => expect(ok(o)).toEqual({ success: false, path: null, error: 'Directory does not exist' }),
  },
  {
    name: 'request_directory_access of a file answers the reference error',
    command: 'request_directory_access',
    args: { request: { path: `${WORK}/notes.txt` } },
    expect: (o) => expect(ok(o)).toEqual({ success: false, path: null, error: 'Path is not a directory' }),
  },
  {
    name: 'request_directory_access rejects a non-string path',
    command: 'request_directory_access',
    args: { request: { path: 42 } },
    expect: expectError(400, 'request.path must be a string, not a number'),
  },

  // -- start/stop_accessing_directory -------------------------------------------------------------
  {
    name: 'start_accessing_directory validates and admits a directory',
    command: 'start_accessing_directory',
    args: { path: WORK },
    expect: (o) => expect(ok(o)).toEqual({ success: true, error: null }),
  },
  {
    name: 'start_accessing_directory of a file answers the reference error',
    command: 'start_accessing_directory',
    args: { path: `${WORK}/notes.txt` },
    expect: (o) => expect(ok(o)).toEqual({ success: false, error: 'Path is not a directory' }),
  },
  {
    name: 'start_accessing_directory of a missing directory answers the reference error',
    command: 'start_accessing_directory',
    args: { path: `${WORK}/missing` },
    expect: (o) => expect(ok(o)).toEqual({ success: false, error: 'Directory does not exist' }),
  },
  {
    name: 'stop_accessing_directory always succeeds',
    command: 'stop_accessing_directory',
    args: { path: WORK },
    expect: (o) => expect(ok(o)).toEqual({ success: true, error: null }),
  },
  {
    name: 'stop_accessing_directory requires a path',
    command: 'stop_accessing_directory',
    args: {},
    expect: expectError(400, 'path is required'),
  },

  // -- notify_agent_completion --------------------------------------------------------------------
  {
    name: 'notify_agent_completion shows the notification and resolves true',
    command: 'notify_agent_completion',
    args: { payload: { title: 'Assistant Ready', body: 'Assistant finished working.', tag: 'session-1' } },
    expect: (o) => expect(ok(o)).toBe(true),
  },
  {
    name: 'notify_agent_completion without a payload uses the defaults',
    command: 'notify_agent_completion',
    args: {},
    expect: (o) => expect(ok(o)).toBe(true),
  },
  {
    name: 'notify_agent_completion rejects a non-string title',
    command: 'notify_agent_completion',
    args: { payload: { title: ['x'] } },
    expect: expectError(400, 'payload.title must be a string, not an array'),
  },

  // -- fetch_desktop_logs -------------------------------------------------------------------------
  {
    name: 'fetch_desktop_logs answers the log file by its reference name',
    command: 'fetch_desktop_logs',
    args: {},
    expect: (o) => {
      const logs = ok<DesktopLogsResponse>(o);
      expect(logs.fileName).toBe('desktop.log');
      expect(typeof logs.content).toBe('string');
    },
    // Each transport's host writes its own log lines (the stdio child none at all).
    compareStatusOnly: true,
  },
];
