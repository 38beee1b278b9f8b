import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Workspace packages export `source` → src/*.ts, so tests run against the sources.
    conditions: ['source'],
  },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A per-run TMPDIR, removed at the end (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // The default report, then one plain closing line that CI reads (test/support/plain-summary.ts).
    reporters: ['default', './test/support/plain-summary.ts'],
  },
});
