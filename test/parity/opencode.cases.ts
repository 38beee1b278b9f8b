/**
 * Parity cases of the OpenCode process commands. The parity runtimes do not supervise OpenCode:
 * the directory change is recorded without a restart, and a request answers what OpenCode's
 * pass-through answers on the web when nothing runs (503 JSON). The agent's real flows (a real
 * binary, restarts, streams) are in test/agent. `opencode_request*` are desktop-only: the web
 * reaches OpenCode through the server's pass-through, so these run on the IPC transports.
 */
import { OPENCODE_PROXY_ERRORS, type OpenCodeResponseHead } from '@chamber/contract';
import { expect } from 'vitest';
import { OUTSIDE, WORK, deniedWhenRestricted, expectError, ok, type ParityCase } from './case.js';

const NOT_RUNNING = { error: OPENCODE_PROXY_ERRORS.unavailable, reason: 'OpenCode is not started by this server' };

export const opencodeCases: ParityCase[] = [
  // -- set_opencode_directory (POST /api/opencode/directory) -------------------------------------
  {
    name: 'set_opencode_directory records the workspace (no restart: OpenCode is not supervised here)',
    command: 'set_opencode_directory',
    args: { path: `${WORK}/` },
    expect: (o) => expect(ok(o)).toEqual({ success: true, restarted: false, path: WORK }),
  },
  {
    name: 'set_opencode_directory without a path answers the reference error',
    command: 'set_opencode_directory',
    args: {},
    expect: expectError(400, 'Path is required'),
  },
  {
    name: 'set_opencode_directory with a blank path answers the reference error',
    command: 'set_opencode_directory',
    args: { path: '   ' },
    expect: expectError(400, 'Path is required'),
  },
  {
    name: 'set_opencode_directory of a file answers the reference error',
    command: 'set_opencode_directory',
    args: { path: `${WORK}/notes.txt` },
    expect: expectError(400, 'Specified path is not a directory'),
  },
  {
    name: 'set_opencode_directory of a missing directory answers 404',
    command: 'set_opencode_directory',
    args: { path: `${WORK}/no-such-dir` },
    expect: expectError(404, 'Directory not found'),
  },
  {
    name: 'set_opencode_directory goes through the sandbox (outside the roots: denied)',
    command: 'set_opencode_directory',
    args: { path: OUTSIDE },
    expect: deniedWhenRestricted((o) => expect(ok(o)).toEqual({ success: true, restarted: false, path: OUTSIDE })),
  },
  {
    name: 'set_opencode_directory refuses a non-string path',
    command: 'set_opencode_directory',
    args: { path: 42 },
    expect: expectError(400, /path/),
  },

  // -- opencode_request (desktop only) -------------------------------------------------------------
  {
    name: 'opencode_request answers the pass-through’s 503 JSON when OpenCode is not running',
    command: 'opencode_request',
    args: {
      requestId: 'parity-1',
      method: 'get',
      path: '/session?directory=%2Fx',
      headers: { Accept: 'application/json' },
    },
    expect: (o) => {
      const head = ok<OpenCodeResponseHead>(o);
      expect(head.status).toBe(503);
      expect(head.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(head.bodyEncoding).toBe('utf8');
      expect(JSON.parse(head.body ?? '')).toEqual(NOT_RUNNING);
    },
  },
  {
    name: 'opencode_request refuses a malformed request id',
    command: 'opencode_request',
    args: { requestId: '../x', method: 'GET', path: '/session' },
    expect: expectError(400, 'Invalid OpenCode request id'),
  },
  {
    name: 'opencode_request refuses a method OpenCode has no use for',
    command: 'opencode_request',
    args: { requestId: 'parity-2', method: 'TRACE', path: '/session' },
    expect: expectError(400, 'Unsupported method: TRACE'),
  },
  {
    name: 'opencode_request refuses a relative or protocol-relative path',
    command: 'opencode_request',
    args: { requestId: 'parity-3', method: 'GET', path: '//evil.example/x' },
    expect: expectError(400, 'path must be an absolute OpenCode path (e.g. /session?directory=...)'),
  },
  {
    name: 'opencode_request refuses a header value that would split the request',
    command: 'opencode_request',
    args: { requestId: 'parity-4', method: 'GET', path: '/session', headers: { 'x-a': 'b\r\nHost: evil' } },
    expect: expectError(400, 'Invalid value for header x-a'),
  },
  {
    name: 'opencode_request with bodyInParts but no parts sent says so',
    command: 'opencode_request',
    args: { requestId: 'parity-5', method: 'POST', path: '/session', bodyInParts: true },
    expect: expectError(400, 'No body parts were sent for this request'),
  },
  {
    name: 'opencode_request refuses a body that is not base64 when it says it is',
    command: 'opencode_request',
    args: { requestId: 'parity-6', method: 'POST', path: '/session', body: 'not base64!', bodyEncoding: 'base64' },
    expect: expectError(400, 'body is not valid base64'),
  },

  // -- opencode_request_body / opencode_request_cancel ------------------------------------------
  {
    name: 'opencode_request_body takes a part, and the request then sends the whole body',
    command: 'opencode_request_body',
    args: {},
    run: async (call) => {
      const part = await call('opencode_request_body', {
        requestId: 'parity-7',
        data: '{"title":',
        bodyEncoding: 'utf8',
      });
      expect(part).toEqual({ ok: null });
      return call('opencode_request', {
        requestId: 'parity-7',
        method: 'POST',
        path: '/session',
        body: '"x"}',
        bodyInParts: true,
      });
    },
    expect: (o) => expect(ok<OpenCodeResponseHead>(o).status).toBe(503),
  },
  {
    name: 'opencode_request_cancel of an unknown request is a no-op',
    command: 'opencode_request_cancel',
    args: { requestId: 'never-sent' },
    expect: (o) => expect(ok(o)).toBeNull(),
  },
];
