/**
 * The two halves of an HTTP binding, both pure so they run in the browser and in Node: the web
 * client turns command arguments into a request, the server turns a request back into arguments.
 * Writing both here keeps them from drifting.
 */
import type { HttpArgSource, HttpBinding, HttpMethod } from './commands/index.js';
import { RuntimeError } from './errors.js';

export interface HttpRequestParts {
  method: HttpMethod;
  /** Path with `:params` filled in and the query string appended. */
  url: string;
  /** JSON body, or undefined when the binding takes none. */
  body: unknown;
  /** Raw text body (a `body-text` binding), sent as `text/plain`; `body` is then undefined. */
  text?: string;
}

/** True when the binding reads its body as raw text rather than JSON or a form. */
export function readsBodyText(binding: HttpBinding): boolean {
  return Object.values(binding.args as Record<string, HttpArgSource>).some((source) => source.from === 'body-text');
}

export function buildHttpRequest(binding: HttpBinding, args: Record<string, unknown>): HttpRequestParts {
  const query: string[] = [];
  let body: Record<string, unknown> | undefined;
  let wholeBody: unknown;
  let text: string | undefined;
  let path = binding.path;
  for (const [name, source] of Object.entries(binding.args) as [string, HttpArgSource][]) {
    const value = args[name];
    switch (source.from) {
      case 'query':
        // A flag is sent only when set, as the reference client sends `staged=true` and nothing else.
        if (source.parse === 'flag' && value !== true) break;
        if (value !== undefined && value !== null) {
          query.push(`${encodeURIComponent(source.names[0] ?? name)}=${encodeURIComponent(String(value))}`);
        }
        break;
      case 'body':
        body ??= {};
        if (value !== undefined) body[source.name] = value;
        break;
      case 'body-whole':
        wholeBody = value ?? {};
        break;
      case 'param':
        path = path.replace(`:${source.name}`, encodeURIComponent(String(value ?? '')));
        break;
      case 'body-text':
        text = typeof value === 'string' ? value : String(value ?? '');
        break;
    }
  }
  const search = query.join('&');
  const url = search ? `${path}?${search}` : path;
  if (text !== undefined) return { method: binding.method, url, body: undefined, text };
  return {
    method: binding.method,
    url,
    body: wholeBody ?? body ?? (binding.method === 'GET' || binding.method === 'DELETE' ? undefined : {}),
  };
}

export interface IncomingHttpParts {
  /** Each query parameter with all its values, in order. */
  query: ReadonlyMap<string, readonly string[]>;
  /** Parsed body (JSON or form), or undefined when the request had none. */
  body: unknown;
  /** The body as text, for `body-text` bindings. */
  text?: string;
  params: Readonly<Record<string, string>>;
}

export function extractHttpArgs(binding: HttpBinding, request: IncomingHttpParts): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  const body = request.body;
  for (const [name, source] of Object.entries(binding.args) as [string, HttpArgSource][]) {
    switch (source.from) {
      case 'query': {
        const value = firstNonBlankQueryValue(request.query, source.names);
        if (value === undefined) break;
        if (source.parse === 'int') {
          const parsed = Number.parseInt(value, 10);
          if (!Number.isNaN(parsed)) args[name] = parsed;
        } else if (source.parse === 'flag') {
          args[name] = value === 'true';
        } else {
          args[name] = value;
        }
        break;
      }
      case 'body':
        if (body !== undefined && body !== null) {
          if (typeof body !== 'object' || Array.isArray(body)) {
            throw new RuntimeError(400, 'Request body must be a JSON object');
          }
          args[name] = (body as Record<string, unknown>)[source.name];
        }
        break;
      case 'body-whole':
        args[name] = body;
        break;
      case 'param':
        args[name] = request.params[source.name];
        break;
      case 'body-text':
        args[name] = request.text ?? '';
        break;
    }
  }
  return args;
}

function firstNonBlankQueryValue(
  query: ReadonlyMap<string, readonly string[]>,
  names: readonly string[],
): string | undefined {
  let fallback: string | undefined;
  for (const name of names) {
    const values = query.get(name);
    if (!values || values.length === 0) continue;
    // A repeated parameter is ambiguous; the reference silently ignored it, we say so.
    if (values.length > 1) throw new RuntimeError(400, `Query parameter ${name} must be given once`);
    const value = values[0] as string;
    if (value.trim() !== '') return value;
    fallback ??= value;
  }
  return fallback;
}
