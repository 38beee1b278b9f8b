/**
 * Whether the workspace may start: on the web, the server may ask for its UI password first
 * (`GET /auth/session` answers 401). The desktop window has no password (`apis.auth` is absent),
 * so it is open at once. A command refused with 401 later (the session expired, the server
 * restarted with another password) locks the page again; the next login reloads the page, which
 * reopens the workspace and re-attaches its terminals as any reload does (the calls and event
 * subscriptions refused meanwhile are not worth replaying one by one).
 */
import { create } from 'zustand';
import { errorMessage, runtimeApis, setAuthRequiredHandler } from '../state/runtime.js';
import { loginErrorMessage } from './login-messages.js';

export type AuthPhase = 'checking' | 'locked' | 'unreachable' | 'open';

interface AuthState {
  phase: AuthPhase;
  /** Why the server could not be asked (`unreachable`). */
  problem: string | null;
  /** Ask the server whether this browser is let in. */
  check(): Promise<void>;
  /** Log in; answers the message to show under the field, or null once open. */
  login(password: string): Promise<string | null>;
  lock(): void;
}

/** Whether the workspace has been shown in this page (a later login then reloads it). */
let wasOpen = false;

export const useAuth = create<AuthState>()((set) => ({
  // Decided by the first check(): this module loads before the entry installs the runtime APIs.
  phase: 'checking',
  problem: null,

  async check() {
    const auth = runtimeApis().auth;
    if (!auth) {
      wasOpen = true;
      return set({ phase: 'open', problem: null });
    }
    set({ phase: 'checking', problem: null });
    try {
      const state = await auth.session();
      wasOpen ||= state === 'open';
      set({ phase: state === 'open' ? 'open' : 'locked' });
    } catch (error) {
      set({ phase: 'unreachable', problem: errorMessage(error) });
    }
  },

  async login(password) {
    const auth = runtimeApis().auth;
    if (!auth) return null;
    try {
      await auth.login(password);
    } catch (error) {
      return loginErrorMessage(error);
    }
    if (wasOpen) {
      window.location.reload();
      return null;
    }
    wasOpen = true;
    set({ phase: 'open', problem: null });
    return null;
  },

  lock() {
    if (runtimeApis().auth) set({ phase: 'locked' });
  },
}));

// A 401 from any call made through `attempt` means the session is gone: show the login page.
setAuthRequiredHandler(() => useAuth.getState().lock());
