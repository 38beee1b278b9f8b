/**
 * `GET /health`, with the reference's keys in the reference's order. The OpenCode fields come
 * from a provider: the runtime's OpenCode supervisor (`runtime.opencode.health()`) unless the
 * server is given another; without one they report "not running".
 */
import type { HealthResponse } from '@chamber/contract';

export type OpenCodeHealth = Omit<HealthResponse, 'status' | 'timestamp'>;
export type HealthProvider = () => Partial<HealthResponse>;

export const OPENCODE_NOT_RUNNING: Readonly<OpenCodeHealth> = {
  openCodePort: null,
  openCodeRunning: false,
  openCodeApiPrefix: '',
  openCodeApiPrefixDetected: false,
  isOpenCodeReady: false,
  lastOpenCodeError: null,
};

export function buildHealthResponse(provider?: HealthProvider, now: Date = new Date()): HealthResponse {
  const merged = { ...OPENCODE_NOT_RUNNING, ...provider?.() };
  // Spelled out rather than spread so the key order is the reference's whatever the provider returns.
  return {
    status: 'ok',
    timestamp: now.toISOString(),
    openCodePort: merged.openCodePort,
    openCodeRunning: merged.openCodeRunning,
    openCodeApiPrefix: merged.openCodeApiPrefix,
    openCodeApiPrefixDetected: merged.openCodeApiPrefixDetected,
    isOpenCodeReady: merged.isOpenCodeReady,
    lastOpenCodeError: merged.lastOpenCodeError,
  };
}
