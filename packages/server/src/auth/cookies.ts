/**
 * The UI session cookie (files-terminal-system.md §7.1): its name, how it is issued and cleared,
 * and reading it from a `Cookie` header without ever throwing. The reference percent-decoded every
 * cookie of the header and a malformed escape in any of them (another app's cookie on the same
 * host) made every gated request a 500.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export const SESSION_COOKIE = 'oc_ui_session';

/** A token we issue: 32 random bytes, base64url (43 characters). Anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Enough for any browser's duplicates (one per path); a header stuffed with thousands costs nothing. */
const MAX_CANDIDATES = 8;

/**
 * The values of every `oc_ui_session` cookie in the request that have a token's shape. Several
 * can arrive (cookies set for different paths, or by an older server on the same host); the
 * caller accepts the request if any of them names a live session.
 */
export function sessionTokens(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const tokens: string[] = [];
  for (const part of [header].flat().join(';').split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    const decoded = safeDecode(value);
    if (decoded !== undefined && TOKEN_SHAPE.test(decoded)) tokens.push(decoded);
    if (tokens.length >= MAX_CANDIDATES) break;
  }
  return tokens;
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined; // a malformed escape is simply not our token
  }
}

/**
 * Whether the cookie gets `Secure`: the request came over TLS, or (only when the operator said a
 * TLS-terminating proxy is in front) its `X-Forwarded-Proto` says https. The reference trusted
 * that header from anyone, so a plain-HTTP client could get a cookie its browser then never sends.
 */
export function isSecureRequest(req: IncomingMessage, trustForwardedProto: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return true;
  if (!trustForwardedProto) return false;
  const header = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/** `oc_ui_session=<token>; Path=/; HttpOnly; SameSite=Strict; Max-Age=…; Expires=…[; Secure]`, as the reference. */
export function sessionCookie(token: string, maxAgeMs: number, now: number, secure: boolean): string {
  const maxAge = Math.floor(maxAgeMs / 1000);
  const expires = new Date(now + maxAge * 1000).toUTCString();
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}; Expires=${expires}${secure ? '; Secure' : ''}`;
}

export function clearingCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT${secure ? '; Secure' : ''}`;
}
