/** Small helpers for benchmark figures: every figure is measured in the same run as its baseline. */
import { performance } from 'node:perf_hooks';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export interface Timing {
  median: number;
  p99: number;
  samples: number;
}

/** Run `fn` `count` times sequentially (after `warmup` runs) and report times in microseconds. */
export async function timeMicros(
  fn: () => Promise<unknown>,
  count: number,
  warmup = Math.min(50, count),
): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    samples.push((performance.now() - start) * 1000);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p99: percentile(samples, 99), samples: count };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
