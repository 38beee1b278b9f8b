/**
 * The hostile requests of scenario 1, built from the contract's HTTP bindings: for each argument
 * of each route, every hostile value (the others plausible, so the request reaches its handler),
 * then malformed requests whatever the route reads (bad escapes, a URL over 16 KiB, a repeated
 * parameter, malformed, primitive, oversized, deeply nested, non-UTF-8 and mistyped bodies).
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { HttpBinding } from '@chamber/contract';
import { request, type SoakLayout } from './harness.js';
import { argsOf, type SoakRoute } from './routes.js';

export const JSON_HEADERS = { 'Content-Type': 'application/json' };

export interface HostileValue {
  label: string;
  value: unknown;
}

/** Names every smuggled-option value writes to; any file so named afterwards is an injection. */
export const PWNED = 'soak-pwned';

/** Ordered so that the first few cover the main families (the test subset takes a prefix). */
export function hostileValues(layout: SoakLayout): HostileValue[] {
  const { root, outside, secretFile, outsideRepo } = layout;
  const fresh = () => randomBytes(4).toString('hex');
  const values: HostileValue[] = [
    { label: '../ traversal', value: '../outside/secret.txt' },
    { label: 'absolute outside', value: secretFile },
    { label: 'symlink out', value: path.join(root, 'link-out/secret.txt') },
    { label: 'NUL byte', value: `${root}/README.md\0../../outside/secret.txt` },
    { label: '300-byte component', value: `${root}/${'x'.repeat(300)}` },
    { label: 'object', value: { path: '../outside' } },
    { label: 'git option --output', value: `--output=${outside}/${PWNED}-${fresh()}` },
    { label: 'number', value: 123 },
    { label: 'outside dir', value: outside },
    { label: 'outside repo', value: outsideRepo },
    { label: 'outside new dir', value: `${outside}/made-${fresh()}` },
    { label: 'tmp new dir', value: path.join(os.tmpdir(), `chamber-soak-escape-${fresh()}`) },
    { label: 'root/../outside', value: `${root}/../outside/secret.txt` },
    { label: 'nested ../', value: `${root}/src/../../outside` },
    ...[2, 3, 4, 5].map((depth) => ({ label: `../×${depth}`, value: `${'../'.repeat(depth)}outside/secret.txt` })),
    { label: '..', value: '..' },
    { label: 'symlink dir', value: path.join(root, 'link-out') },
    { label: 'symlink file', value: path.join(root, 'link-secret') },
    { label: 'relative symlink, new', value: `link-out/made-${fresh()}` },
    { label: 'tilde', value: '~/../outside/secret.txt' },
    { label: 'file URL', value: `file://${secretFile}` },
    { label: 'git option --upload-pack', value: `--upload-pack=touch ${outside}/${PWNED}-${fresh()}` },
    { label: 'git option -o', value: `-o${outside}/${PWNED}-${fresh()}` },
    { label: 'NUL only', value: '\0' },
    { label: 'bare 300 bytes', value: 'y'.repeat(300) },
    { label: 'over PATH_MAX', value: 'a'.repeat(5000) },
    { label: 'deep path', value: `${root}/${'d/'.repeat(2100)}` },
    { label: 'huge string', value: 'h'.repeat(90_000) },
    { label: 'empty', value: '' },
    { label: 'blank', value: '   ' },
    { label: 'encoded dots', value: '%2e%2e%2foutside%2fsecret.txt' },
    { label: 'backslashes', value: '..\\outside\\secret.txt' },
    { label: 'CRLF', value: 'a\r\nb' },
    { label: 'unicode', value: 'ü/../../outside/ß' },
    { label: 'negative', value: -1 },
    { label: 'float', value: 1.5 },
    { label: 'huge number', value: 1e308 },
    { label: 'true', value: true },
    { label: 'null', value: null },
    { label: 'array', value: ['../outside/secret.txt'] },
    { label: 'empty object', value: {} },
  ];
  return values;
}

/**
 * Plausible values for the arguments not under attack, so each request reaches its handler:
 * the root's repository, its files, and a live terminal session.
 */
export function plausibleArguments(layout: SoakLayout, sessionId: string): Record<string, unknown> {
  return {
    directory: layout.root,
    workspaceDirectory: layout.root,
    path: layout.root,
    pathStr: 'notes.txt',
    filePath: 'notes.txt',
    hash: 'HEAD',
    name: 'soak',
    id: 'soak-missing',
    sessionId,
    branch: 'soak-branch',
    message: 'soak',
    prompt: 'hello',
    query: 'read',
  };
}

/** Field names body-whole arguments read (terminal cwd, settings, identities, agent configs…). */
function wholeBodyWith(value: unknown): Record<string, unknown> {
  const fields = ['cwd', 'path', 'directory', 'lastDirectory', 'homeDirectory', 'name', 'sshKey', 'userName'];
  const body: Record<string, unknown> = Object.fromEntries(fields.map((field) => [field, value]));
  body.approvedDirectories = [value];
  body.prompt = value;
  body.url = value;
  return body;
}

export async function liveSession(port: number, cwd: string): Promise<string> {
  const created = await request(port, 'POST', '/api/terminal/create', {
    headers: JSON_HEADERS,
    body: JSON.stringify({ cwd }),
  });
  return (JSON.parse(created.text) as { sessionId: string }).sessionId;
}

export interface Attack {
  route: string;
  label: string;
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export function fillPath(binding: HttpBinding, params: Record<string, string>): string {
  return binding.path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(params[name] ?? 'soak-missing'));
}

function buildTarget(
  defaults: Record<string, unknown>,
  binding: HttpBinding,
  override: { arg: string; value: unknown } | null,
): {
  target: string;
  body: Record<string, unknown> | unknown;
} {
  const params: Record<string, string> = {};
  const query: string[] = [];
  let body: Record<string, unknown> | undefined;
  let whole: unknown;
  for (const [arg, source] of argsOf(binding)) {
    const attacked = override?.arg === arg;
    const value = attacked ? override.value : defaults[arg];
    switch (source.from) {
      case 'param':
        params[source.name] = typeof value === 'string' ? value : String(value ?? 'soak-missing');
        break;
      case 'query':
        if (value === undefined) break;
        query.push(
          `${encodeURIComponent(source.names[0] ?? arg)}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`,
        );
        break;
      case 'body':
        body ??= {};
        if (value !== undefined) body[source.name] = value;
        break;
      case 'body-whole':
        whole = attacked ? value : {};
        break;
      case 'body-text':
        whole = typeof value === 'string' ? value : JSON.stringify(value ?? '');
        break;
    }
  }
  const search = query.length ? `?${query.join('&')}` : '';
  return { target: `${fillPath(binding, params)}${search}`, body: whole ?? body };
}

export function attacksFor(defaults: Record<string, unknown>, route: SoakRoute, values: HostileValue[]): Attack[] {
  const { binding } = route;
  const attacks: Attack[] = [];
  const push = (label: string, target: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) => {
    const text =
      body === undefined || binding.method === 'GET'
        ? undefined
        : typeof body === 'string'
          ? body
          : JSON.stringify(body);
    attacks.push({
      route: route.name,
      label,
      method: binding.method,
      target,
      headers: text === undefined ? {} : headers,
      body: text,
    });
  };
  const textBody = argsOf(binding).some(([, source]) => source.from === 'body-text');
  for (const [arg, source] of argsOf(binding)) {
    for (const { label, value } of values) {
      // A query or a path segment carries text only; numbers and objects go in as their JSON text.
      if (source.from === 'body-whole') {
        const { target } = buildTarget(defaults, binding, { arg, value: undefined });
        push(`${arg}: whole body = ${label}`, target, value);
        push(`${arg}: fields = ${label}`, target, wholeBodyWith(value));
        continue;
      }
      if (source.from === 'body-text') {
        const { target } = buildTarget(defaults, binding, null);
        push(`${arg}: text = ${label}`, target, typeof value === 'string' ? value : JSON.stringify(value), {
          'Content-Type': 'text/plain',
        });
        continue;
      }
      const { target, body } = buildTarget(defaults, binding, { arg, value });
      push(`${arg} = ${label}`, target, body);
    }
  }
  const { target, body } = buildTarget(defaults, binding, null);
  push('plausible arguments', target, body, textBody ? { 'Content-Type': 'text/plain' } : JSON_HEADERS);
  // Malformed requests, whatever the route reads.
  const withQuery = (extra: string) => `${target}${target.includes('?') ? '&' : '?'}${extra}`;
  attacks.push({
    route: route.name,
    label: 'malformed % escape',
    method: binding.method,
    target: withQuery('x=%zz'),
    headers: {},
  });
  attacks.push({
    route: route.name,
    label: 'URL over 16 KiB',
    method: binding.method,
    target: withQuery(`x=${'u'.repeat(20_000)}`),
    headers: {},
  });
  const firstQuery = argsOf(binding).find(([, source]) => source.from === 'query');
  if (firstQuery && firstQuery[1].from === 'query') {
    const name = encodeURIComponent(firstQuery[1].names[0] ?? firstQuery[0]);
    attacks.push({
      route: route.name,
      label: 'repeated query parameter',
      method: binding.method,
      target: withQuery(`${name}=a&${name}=b`),
      headers: {},
    });
  }
  if (binding.method !== 'GET') {
    const raw = (label: string, payload: string | Buffer, headers: Record<string, string> = JSON_HEADERS) =>
      attacks.push({ route: route.name, label, method: binding.method, target, headers, body: payload });
    raw('malformed JSON', '{"path": ');
    raw('top-level string', '"../outside/secret.txt"');
    raw('top-level number', '12345');
    raw('top-level array', '["../outside/secret.txt"]');
    raw('oversized body', `{"path":"${'o'.repeat(200_000)}"}`);
    raw('deep nesting', '['.repeat(100_000));
    raw('invalid UTF-8', Buffer.from([0x7b, 0x22, 0x70, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    raw('HTML content type', '{"path":"."}', { 'Content-Type': 'text/html' });
    raw('UTF-16 charset', '{"path":"."}', { 'Content-Type': 'application/json; charset=utf-16' });
    raw('form body', 'path=..%2Foutside%2Fsecret.txt&directory=..%2Foutside', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    raw('no content type', '{"path":"../outside"}', {});
  }
  return attacks;
}
