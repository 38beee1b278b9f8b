/**
 * Ends a test run with one plain line, `tests: N passed, N failed, N skipped`, after vitest's own
 * summary. Vitest colours its summary whenever `CI` is set, and CI reads a run's closing line to
 * know that tests ran: an uncoloured line in that common shape is one any reader understands.
 * A test file that failed to load, and an error outside any test, count as failures.
 */
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

export function countTests(
  modules: ReadonlyArray<TestModule>,
  unhandled: ReadonlyArray<SerializedError>,
): { passed: number; failed: number; skipped: number } {
  let passed = 0;
  let failed = unhandled.length;
  let skipped = 0;
  for (const module of modules) {
    let failedHere = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') passed += 1;
      else if (state === 'failed') failedHere += 1;
      else skipped += 1;
    }
    // A file whose import or hooks threw may have no failed test to show for it.
    if (failedHere === 0 && module.errors().length > 0) failedHere = 1;
    failed += failedHere;
  }
  return { passed, failed, skipped };
}

export default class PlainSummary implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const { passed, failed, skipped } = countTests(modules, unhandled);
    process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
