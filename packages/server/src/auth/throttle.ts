/**
 * Failed-login throttling per client address. The reference had none: a password could be
 * guessed as fast as the event loop ran scrypt. Here the first `freeFailures` failures of an
 * address cost nothing; from then on each failure locks the address for twice as long as the
 * previous one (1 s, 2 s, 4 s, … up to `maxDelayMs`), and while locked every login attempt from
 * it, right or wrong, is refused unverified. A success clears the address's record.
 *
 * Memory is bounded: records are forgotten `forgetAfterMs` after their last failure once their
 * lock is over, and at most `maxEntries` are kept (the least recently failed go first).
 */
import net from 'node:net';

export interface LoginThrottleOptions {
  now: () => number;
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  forgetAfterMs?: number;
  maxEntries?: number;
}

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

export const LOGIN_FREE_FAILURES = 5;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 15 * 60_000;
const FORGET_AFTER_MS = 60 * 60_000;
const MAX_ENTRIES = 10_000;

export class LoginThrottle {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  readonly #free: number;
  readonly #base: number;
  readonly #max: number;
  readonly #forgetAfter: number;
  readonly #maxEntries: number;

  constructor(options: LoginThrottleOptions) {
    this.#now = options.now;
    this.#free = options.freeFailures ?? LOGIN_FREE_FAILURES;
    this.#base = options.baseDelayMs ?? BASE_DELAY_MS;
    this.#max = options.maxDelayMs ?? MAX_DELAY_MS;
    this.#forgetAfter = Math.max(options.forgetAfterMs ?? FORGET_AFTER_MS, this.#max);
    this.#maxEntries = options.maxEntries ?? MAX_ENTRIES;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Milliseconds the address must still wait, or 0 when it may try now. */
  retryAfterMs(address: string): number {
    const entry = this.#entries.get(address);
    return entry ? Math.max(0, entry.lockedUntil - this.#now()) : 0;
  }

  fail(address: string): void {
    const now = this.#now();
    const entry = this.#entries.get(address) ?? { failures: 0, lastFailure: now, lockedUntil: 0 };
    entry.failures += 1;
    entry.lastFailure = now;
    if (entry.failures >= this.#free) {
      // 2^(n) grows past any cap quickly; the exponent is clamped so the number stays finite.
      const exponent = Math.min(entry.failures - this.#free, 30);
      entry.lockedUntil = now + Math.min(this.#base * 2 ** exponent, this.#max);
    }
    // Re-inserted so the map's order is least recently failed first (eviction takes from the front).
    this.#entries.delete(address);
    this.#entries.set(address, entry);
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  succeed(address: string): void {
    this.#entries.delete(address);
  }

  /** Forget records whose lock is over and whose last failure is old. */
  sweep(): void {
    const now = this.#now();
    for (const [address, entry] of this.#entries) {
      if (now >= entry.lockedUntil && now - entry.lastFailure > this.#forgetAfter) this.#entries.delete(address);
    }
  }
}

/**
 * The throttling key of a peer address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64, the
 * block one machine or home network usually holds, so rotating through a subnet gains nothing.
 */
export function clientKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const bare = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(bare);
  if (mapped?.[1]) return mapped[1];
  if (!net.isIPv6(bare)) return bare;
  const groups = expandIpv6(bare);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : bare;
}

/** The eight 16-bit groups of an IPv6 address (without a zone; an embedded IPv4 tail counts as two). */
function expandIpv6(address: string): string[] | undefined {
  const [head = '', tail] = address.split('::');
  const part = (text: string): string[] => {
    if (text === '') return [];
    const items = text.split(':');
    const last = items[items.length - 1] ?? '';
    if (last.includes('.')) {
      const bytes = last.split('.').map(Number);
      items.splice(
        -1,
        1,
        (((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)).toString(16),
        (((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)).toString(16),
      );
    }
    return items;
  };
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}
