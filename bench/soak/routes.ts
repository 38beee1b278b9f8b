/**
 * The routes the soak attacks, enumerated from the contract (every command with an HTTP binding,
 * every stream binding) rather than listed by hand, plus the server's own few routes that no
 * command describes (health, the multiplexed event stream).
 */
import { commands, streams, type HttpArgSource, type HttpBinding } from '@chamber/contract';

export interface SoakRoute {
  /** Command or stream name (`server:*` for the server's own routes). */
  name: string;
  binding: HttpBinding;
}

/** The server's routes outside the command table (packages/server/src/health.ts, event-stream.ts). */
const SERVER_ROUTES: SoakRoute[] = [
  { name: 'server:health', binding: { method: 'GET', path: '/health', args: {} } },
  { name: 'server:events', binding: { method: 'GET', path: '/api/chamber/events', args: {} } },
  {
    name: 'server:events-edit',
    binding: { method: 'POST', path: '/api/chamber/events/:id', args: { id: { from: 'param', name: 'id' } } },
  },
];

export function soakRoutes(): SoakRoute[] {
  const routes: SoakRoute[] = [];
  for (const [name, definition] of Object.entries(commands)) {
    const binding = (definition as { http?: HttpBinding }).http;
    if (binding) routes.push({ name, binding });
  }
  for (const [name, definition] of Object.entries(streams)) {
    routes.push({ name, binding: definition.http as unknown as HttpBinding });
  }
  return [...routes, ...SERVER_ROUTES];
}

export function argsOf(binding: HttpBinding): [string, HttpArgSource][] {
  return Object.entries(binding.args) as [string, HttpArgSource][];
}

/** True for routes that change state (the Origin check applies to them). */
export function isStateChanging(binding: HttpBinding): boolean {
  return binding.method !== 'GET';
}
