/**
 * Host and Origin checks. The reference had none, so any web page could drive the local server:
 * through DNS rebinding (a hostile name resolving to 127.0.0.1 makes the browser send
 * `Host: evil.example`) or with cross-site "simple" POSTs that need no CORS preflight.
 */
import net from 'node:net';

/** The CLI and `listen()` default: loopback only, never all interfaces. */
export const DEFAULT_HOST = '127.0.0.1';

/** Names that always mean this machine; a rebinding attacker cannot make a browser send them. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** True for `localhost`, 127.0.0.0/8 and ::1 (also IPv4-mapped), with or without brackets. */
export function isLoopbackHost(host: string): boolean {
  const bare = unbracket(host.trim().toLowerCase());
  if (bare === 'localhost') return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `host` as it appears in a Host header: IPv6 literals in brackets, lower case. */
export function formatHostForUrl(host: string): string {
  const bare = unbracket(host.toLowerCase());
  return net.isIPv6(bare) ? `[${bare}]` : bare;
}

/** The host name of a `Host` header value (`name`, `name:port`, `[v6]:port`), lower case. */
export function hostNameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

export interface HostGuardOptions {
  /** Extra host names accepted in `Host` and `Origin` (any port). */
  allowedHosts?: readonly string[];
}

export class HostGuard {
  readonly #extra: Set<string>;
  #allowed: Set<string>;
  #enforceHost = true;
  #port: number | undefined;

  constructor(options: HostGuardOptions = {}) {
    this.#extra = new Set((options.allowedHosts ?? []).map(formatHostForUrl));
    this.#allowed = new Set([...LOOPBACK_NAMES, ...this.#extra]);
  }

  /** Called once the socket is bound: the bound address is allowed too. */
  bound(address: string, port?: number): void {
    this.#port = port;
    this.#allowed = new Set([...LOOPBACK_NAMES, ...this.#extra, formatHostForUrl(address)]);
    // Bound to a wildcard or LAN address, clients legitimately use names we cannot know, so the
    // Host check only protects loopback servers (the only kind the CLI starts without a password).
    this.#enforceHost = isLoopbackHost(address);
  }

  /** Whether a request with this `Host` header may be served. */
  allowsHost(hostHeader: string | undefined): boolean {
    // No Host at all (HTTP/1.0 tools) cannot come from a browser, so it cannot be a rebinding attack.
    if (hostHeader === undefined || !this.#enforceHost) return true;
    return this.#allowed.has(hostNameOf(hostHeader));
  }

  /**
   * Whether a state-changing request (or a WebSocket handshake) from this `Origin` may be served:
   * only a page of this very server (the origin's host and port are the `Host` header's, or a
   * loopback name with the port we listen on) or of a configured host. Another local port is
   * another site: any page a local dev server or app serves could otherwise drive shells and the agent.
   */
  allowsOrigin(origin: string, hostHeader: string | undefined): boolean {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false; // includes the opaque origin "null" (sandboxed frames, file: pages)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    const name = formatHostForUrl(url.hostname);
    if (this.#extra.has(name)) return true;
    if (hostHeader !== undefined && url.host.toLowerCase() === hostHeader.trim().toLowerCase()) return true;
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return this.#port !== undefined && port === this.#port && this.#allowed.has(name);
  }
}
