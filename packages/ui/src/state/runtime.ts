/**
 * The one object the UI talks to the runtime through: `window.__OPENCHAMBER_RUNTIME_APIS__`,
 * installed by the entry (web or desktop channel) before the app renders. Every call goes
 * through `attempt`, so a failure always reaches the person as a toast with the runtime's
 * message verbatim, and callers decide only what to do on success.
 */
import type { ChamberRuntimeAPIs } from '@chamber/client';
import { RUNTIME_APIS_GLOBAL } from '@chamber/contract';
import { showToast } from './toasts.js';

export function runtimeApis(): ChamberRuntimeAPIs {
  const apis = (globalThis as Record<string, unknown>)[RUNTIME_APIS_GLOBAL] as ChamberRuntimeAPIs | undefined;
  if (!apis) throw new Error('Runtime APIs not provided for legacy UI entrypoint.');
  return apis;
}

/**
 * What a person reads about a failure: the runtime's `detail` when it sent one (the AI features
 * explain there what failed and where to change it, keeping `message` the reference's exact
 * text), else its message verbatim.
 */
export function errorMessage(error: unknown): string {
  const detail = (error as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string' && detail) return detail;
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

let onAuthRequired: (() => void) | null = null;

/**
 * Who hears that the web server refused a call for want of a session (401): the login gate.
 * Set by the gate rather than imported here, so this module stays the bottom of the UI's imports.
 */
export function setAuthRequiredHandler(handler: (() => void) | null): void {
  onAuthRequired = handler;
}

/** The web gate's refusal (`UI authentication required`); the desktop never answers 401. */
function isAuthRequired(error: unknown): boolean {
  return runtimeApis().auth !== undefined && (error as { status?: unknown } | null)?.status === 401;
}

/**
 * Run one runtime call; on failure toast the runtime's message (with `context` as the caption)
 * and answer it, so a view can also show it in place.
 */
export async function attemptOutcome<T>(
  context: string,
  call: (apis: ChamberRuntimeAPIs) => Promise<T>,
  options: {
    /** Failures the caller answers itself (a choice offered in place): no toast for those. */
    handles?(message: string): boolean;
  } = {},
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call(runtimeApis()) };
  } catch (error) {
    const message = errorMessage(error);
    // Locked out: the login page replaces the workspace, a toast would say nothing more.
    if (isAuthRequired(error) && onAuthRequired) onAuthRequired();
    else if (!options.handles?.(message)) showToast({ tone: 'error', message, context });
    return { ok: false, message };
  }
}

/** `attemptOutcome` for callers that only act on success: undefined after a (toasted) failure. */
export async function attempt<T>(
  context: string,
  call: (apis: ChamberRuntimeAPIs) => Promise<T>,
): Promise<T | undefined> {
  const outcome = await attemptOutcome(context, call);
  return outcome.ok ? outcome.value : undefined;
}
