/**
 * How a failed git run becomes the error the client sees. The reference passed git's own text
 * through (stdout followed by stderr, verbatim, trailing newlines kept, git.md §1.2) and toasts
 * show it, so we do the same; the runner makes it English on every machine.
 */
import { RuntimeError } from '@chamber/contract';
import type { GitRunResult } from './runner.js';

/** The reference's text for a `directory` that does not exist (simple-git's constructor guard). */
export const MISSING_DIRECTORY = 'Cannot use simple-git on a directory that does not exist';

export function gitFailure(result: GitRunResult, fallback: string, status = 500): RuntimeError {
  const text = result.stdout + result.stderr;
  return new RuntimeError(status, text.trim() ? text : fallback);
}

/** Throw git's text unless the run succeeded. */
export function expectSuccess(result: GitRunResult, fallback: string): GitRunResult {
  if (result.exitCode !== 0) throw gitFailure(result, fallback);
  return result;
}
