/**
 * Request body and URL parsing. Every client mistake becomes a `RuntimeError` with a 4xx status
 * and a clear message (the reference answered Express's HTML error pages, or a 500).
 */
import type { IncomingMessage } from 'node:http';
import { JSON_TOO_DEEP_MESSAGE, RuntimeError, exceedsJsonDepth } from '@chamber/contract';

/** body-parser's default limit, which the reference used everywhere. */
export const BODY_LIMIT_BYTES = 100 * 1024;
export const BODY_TOO_LARGE_MESSAGE = 'Request body too large (limit 100 kB)';
export const MALFORMED_URL_MESSAGE = 'Malformed URL encoding';

/** Thrown when a body is over the limit: the rest is never read, so the connection must close. */
export class BodyTooLargeError extends RuntimeError {
  constructor() {
    super(413, BODY_TOO_LARGE_MESSAGE);
  }
}

interface ContentType {
  type: string;
  charset: string | undefined;
}

function parseContentType(header: string | undefined): ContentType | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const [type = '', ...params] = header.split(';');
  let charset: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    charset = param
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
  }
  return { type: type.trim().toLowerCase(), charset };
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Read at most `limit` bytes; a larger body rejects as soon as the limit is crossed. */
function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Stop pulling bytes; the caller answers 413 and closes the connection.
        req.pause();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new RuntimeError(400, `Failed to read request body: ${error.message}`));
    };
    const onAborted = (): void => onError(new Error('request aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * Read and parse a request body: JSON (strict: object or array), or a flat urlencoded form.
 * Returns `undefined` for an empty body, like Express 5 when no parser ran.
 */
export async function readBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<unknown> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw new BodyTooLargeError();
  const raw = await readRaw(req, limit);
  if (raw.length === 0) return undefined;

  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw new RuntimeError(415, `Unsupported content encoding: ${encoding}`);
  const contentType = parseContentType(req.headers['content-type']);
  if (!contentType) throw new RuntimeError(415, 'Unsupported content type: (none)');
  const { type, charset } = contentType;
  const isJson = isJsonType(type);
  if (!isJson && type !== 'application/x-www-form-urlencoded') {
    throw new RuntimeError(415, `Unsupported content type: ${type}`);
  }
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new RuntimeError(415, `Unsupported charset: ${charset}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new RuntimeError(400, 'Request body is not valid UTF-8');
  }
  return isJson ? parseJsonBody(text) : parseForm(text);
}

/**
 * Read a body as UTF-8 text whatever its content type (terminal input: the reference accepted
 * any type here, but silently dropped JSON, form and untyped bodies; we write what was sent).
 * Empty body → ''. Bytes that are not UTF-8 are refused rather than mangled.
 */
export async function readTextBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw new BodyTooLargeError();
  const raw = await readRaw(req, limit);
  if (raw.length === 0) return '';
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') throw new RuntimeError(415, `Unsupported content encoding: ${encoding}`);
  const charset = parseContentType(req.headers['content-type'])?.charset;
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new RuntimeError(415, `Unsupported charset: ${charset}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new RuntimeError(400, 'Request body is not valid UTF-8');
  }
}

export function parseJsonBody(text: string): unknown {
  // Before JSON.parse: the scan is linear and iterative, so a 100k-deep `[[[…` costs nothing.
  if (exceedsJsonDepth(text)) throw new RuntimeError(400, JSON_TOO_DEEP_MESSAGE);
  const first = text.trimStart()[0];
  if (first !== undefined && first !== '{' && first !== '[') {
    throw new RuntimeError(400, 'JSON body must be an object or array');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RuntimeError(400, `Malformed JSON body: ${(error as Error).message}`);
  }
}

/** `decodeURIComponent`, with a client mistake reported as a 400 instead of a URIError. */
export function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new RuntimeError(400, MALFORMED_URL_MESSAGE);
  }
}

/** Own-property assignment, so a key named `__proto__` is data and never a prototype change. */
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `a=1&b=x+y&a=2` → `{ a: ['1', '2'], b: 'x y' }`: values stay strings, repeats become arrays. */
export function parseForm(text: string): Record<string, string | string[]> {
  const form: Record<string, string | string[]> = {};
  for (const [key, value] of parsePairs(text)) {
    const existing = Object.prototype.hasOwnProperty.call(form, key) ? form[key] : undefined;
    if (existing === undefined) defineValue(form, key, value);
    else defineValue(form, key, Array.isArray(existing) ? [...existing, value] : [existing, value]);
  }
  return form;
}

/** Each query parameter with all its values, in order (`extractHttpArgs` refuses repeats). */
export function parseQuery(search: string): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const [key, value] of parsePairs(search)) {
    const values = query.get(key);
    if (values) values.push(value);
    else query.set(key, [value]);
  }
  return query;
}

function* parsePairs(text: string): Generator<[string, string]> {
  if (text === '') return;
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq === -1 ? part : part.slice(0, eq);
    const rawValue = eq === -1 ? '' : part.slice(eq + 1);
    yield [decodeComponent(rawKey.replace(/\+/g, ' ')), decodeComponent(rawValue.replace(/\+/g, ' '))];
  }
}
