/**
 * The OpenCode process: its working directory (files-terminal-system.md §4) and, for the desktop
 * window that has no port, its HTTP API carried as commands and the `opencode://` event family.
 * On the web the same API is the server's pass-through (every `/api` path the table does not own);
 * the client's `fetch` for OpenCode hides which one is used.
 */
import type { OpenCodeDirectoryResponse, OpenCodeResponseHead } from './opencode-types.js';
import { RuntimeError } from '../errors.js';
import { boolean, object, optional, string, type Schema } from '../schema.js';
import { defineCommand, pathString } from './define.js';

/** Answers of the pass-through to OpenCode when it cannot forward (files-terminal-system.md §8.5). */
export const OPENCODE_PROXY_ERRORS = {
  /** OpenCode is starting, restarting or waiting to restart after a crash (the reference's text). */
  restarting: 'OpenCode is restarting',
  /** OpenCode is not running and nothing will bring it back by itself (no binary, not supervised). */
  unavailable: 'OpenCode service unavailable',
  /** The connection to OpenCode failed before it answered. */
  badGateway: 'OpenCode did not answer',
  /** OpenCode did not accept the connection in time. */
  timeout: 'OpenCode did not respond in time',
} as const;

export const OPENCODE_DIRECTORY_ERRORS = {
  required: 'Path is required',
  notDirectory: 'Specified path is not a directory',
} as const;

/** A request id chosen by the client (so it can cancel before the answer's head arrives). */
export const OPENCODE_REQUEST_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * Largest body part carried by one command (characters). Bodies above it go up in parts
 * (`opencode_request_body`) first; IPC frames are capped at 1 Mi characters.
 */
export const OPENCODE_BODY_PART_LENGTH = 512 * 1024;
/** Largest request body the IPC pass-through accepts in all (the desktop reference's 32 MiB). */
export const OPENCODE_MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Answers up to this size come back inside the command's result instead of as events. */
export const OPENCODE_INLINE_BODY_BYTES = 256 * 1024;

export const OPENCODE_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/** C0 controls and DEL: never valid in a request target or a header value (CR/LF would split them). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function requestId(): Schema<string> {
  const inner = string({ maxLength: 64 });
  return {
    optional: false,
    description: 'requestId',
    parse(value, label) {
      const id = inner.parse(value, label);
      if (!OPENCODE_REQUEST_ID_PATTERN.test(id)) throw new RuntimeError(400, 'Invalid OpenCode request id');
      return id;
    },
  };
}

function method(): Schema<(typeof OPENCODE_METHODS)[number]> {
  const inner = string({ maxLength: 16 });
  return {
    optional: false,
    description: 'method',
    parse(value, label) {
      const name = inner.parse(value, label).toUpperCase();
      const known = OPENCODE_METHODS.find((candidate) => candidate === name);
      if (!known) throw new RuntimeError(400, `Unsupported method: ${name.slice(0, 16)}`);
      return known;
    },
  };
}

/** An OpenCode path with its query: starts with one `/`, printable, no fragment. */
function target(): Schema<string> {
  const inner = string({ maxLength: 16 * 1024 });
  return {
    optional: false,
    description: 'path',
    parse(value, label) {
      const text = inner.parse(value, label);
      if (!text.startsWith('/') || text.startsWith('//') || /[\s#]/.test(text) || hasControlCharacter(text)) {
        throw new RuntimeError(400, 'path must be an absolute OpenCode path (e.g. /session?directory=...)');
      }
      return text;
    },
  };
}

/** Header names and values as strings; at most 100 of them, each value at most 16 KiB. */
function headerMap(): Schema<Record<string, string>> {
  return {
    optional: true,
    description: 'headers?',
    parse(value, label) {
      if (value === undefined || value === null) return {};
      if (typeof value !== 'object' || Array.isArray(value))
        throw new RuntimeError(400, `${label || 'headers'} must be an object`);
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 100) throw new RuntimeError(400, 'Too many headers');
      const out: Record<string, string> = {};
      for (const [name, item] of entries) {
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/.test(name))
          throw new RuntimeError(400, `Invalid header name: ${name.slice(0, 64)}`);
        if (typeof item !== 'string' || item.length > 16 * 1024 || hasControlCharacter(item.replace(/\t/g, ' '))) {
          throw new RuntimeError(400, `Invalid value for header ${name}`);
        }
        out[name.toLowerCase()] = item;
      }
      return out;
    },
  };
}

function encoding(): Schema<'utf8' | 'base64' | undefined> & { readonly optional: true } {
  return {
    optional: true,
    description: "'utf8' | 'base64'",
    parse(value) {
      if (value === undefined || value === null || value === 'utf8') return value === 'utf8' ? 'utf8' : undefined;
      if (value === 'base64') return 'base64';
      throw new RuntimeError(400, "bodyEncoding must be 'utf8' or 'base64'");
    },
  };
}

const bodyPart = () => string({ maxLength: OPENCODE_BODY_PART_LENGTH * 2, allowNul: true });

export const opencodeCommands = {
  set_opencode_directory: defineCommand<OpenCodeDirectoryResponse>()({
    description: "Change OpenCode's working directory and restart it there (no-op when it already runs there).",
    args: object({ path: optional(pathString()) }),
    http: { method: 'POST', path: '/api/opencode/directory', args: { path: { from: 'body', name: 'path' } } },
    fallbackError: 'Failed to update working directory',
  }),
  // Desktop only (no HTTP binding): the web reaches OpenCode through the server's pass-through.
  opencode_request: defineCommand<OpenCodeResponseHead>()({
    description:
      "One request to OpenCode's API. Small answers come back whole; others as `opencode://<requestId>` events.",
    args: object({
      requestId: requestId(),
      method: method(),
      path: target(),
      headers: headerMap(),
      body: optional(bodyPart()),
      bodyEncoding: encoding(),
      // The body was sent first in parts (`opencode_request_body`) under this request's id.
      bodyInParts: optional(boolean()),
    }),
    fallbackError: 'OpenCode request failed',
  }),
  opencode_request_body: defineCommand<null>()({
    description: 'One part of a large request body, sent before its `opencode_request`.',
    args: object({ requestId: requestId(), data: bodyPart(), bodyEncoding: encoding() }),
    fallbackError: 'OpenCode request failed',
  }),
  opencode_request_cancel: defineCommand<null>()({
    description: 'Abort a request to OpenCode (its answer stops; a body sent in parts is dropped).',
    args: object({ requestId: requestId() }),
    fallbackError: 'OpenCode request failed',
  }),
} as const;
