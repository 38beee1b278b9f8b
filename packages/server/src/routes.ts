/**
 * Route matching. Command routes are generated from the contract's command table, so no route
 * is written by hand and adding a command adds its route.
 */
import { commandNames, commands, httpBindingOf, type HttpBinding } from '@chamber/contract';
import { decodeComponent } from './body.js';

export interface CommandRoute {
  kind: 'command';
  name: string;
  binding: HttpBinding;
  fallbackError: string;
}

interface CompiledRoute<T> {
  method: string;
  /** Literal segments (lower case) or `:name` params. */
  segments: ({ literal: string } | { param: string })[];
  value: T;
}

export interface RouteMatch<T> {
  value: T;
  /** Decoded `:param` values. */
  params: Record<string, string>;
}

function splitPath(path: string): string[] {
  // Like Express's default (non-strict) routing, a trailing slash is ignored.
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return trimmed.split('/').slice(1);
}

export class Router<T> {
  readonly #routes: CompiledRoute<T>[] = [];

  add(method: string, pattern: string, value: T): this {
    const segments = splitPath(pattern).map((segment) =>
      segment.startsWith(':') ? { param: segment.slice(1) } : { literal: segment.toLowerCase() },
    );
    this.#routes.push({ method: method.toUpperCase(), segments, value });
    return this;
  }

  /**
   * The first route (in registration order, as in Express) matching `method` and the raw,
   * still-encoded `path`. HEAD matches GET routes, as in Express. Literal segments compare case
   * insensitively (Express's default); params are decoded once.
   */
  match(method: string, path: string): RouteMatch<T> | undefined {
    const wanted = method.toUpperCase();
    const segments = splitPath(path);
    for (const route of this.#routes) {
      if (route.method !== wanted && !(wanted === 'HEAD' && route.method === 'GET')) continue;
      const params = matchSegments(route.segments, segments);
      if (params) return { value: route.value, params };
    }
    return undefined;
  }
}

function matchSegments(
  pattern: CompiledRoute<unknown>['segments'],
  segments: string[],
): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i];
    const actual = segments[i] as string;
    if (!expected) return undefined;
    if ('param' in expected) {
      if (actual === '') return undefined;
      params[expected.param] = decodeComponent(actual);
    } else if (expected.literal !== actual.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

/** One route per command of the table that has an HTTP binding (desktop-only commands have none). */
export function commandRoutes(): CommandRoute[] {
  return commandNames.flatMap((name): CommandRoute[] => {
    const binding = httpBindingOf(name);
    return binding ? [{ kind: 'command', name, binding, fallbackError: commands[name].fallbackError }] : [];
  });
}

/** Paths answered as API (JSON 404 when unmatched) rather than as static files. */
export function isApiPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === '/api' || lower.startsWith('/api/');
}
