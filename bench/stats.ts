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
  /** Mean of all samples. */
  mean: number;
  /** Mean of the fastest 90%: robust to a loaded machine's stalls, and not quantised like a median of a coarse clock. */
  trimmed: number;
}

/** Mean of the fastest `keep` share of `samples`. */
export function trimmedMean(samples: readonly number[], keep = 0.9): number {
  const sorted = [...samples].sort((a, b) => a - b).slice(0, Math.max(1, Math.floor(samples.length * keep)));
  return sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
}

/** The figures of a set of samples (any unit). */
export function summarize(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    samples: sorted.length,
    mean: sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length),
    trimmed: trimmedMean(sorted),
  };
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
  return summarize(samples);
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
