/**
 * Shows the workspace only once the server lets this browser in: on the web with a UI password,
 * a login page first (the reference UI's SessionAuthGate, same sentences); on the desktop, or
 * without a password, the workspace at once. The workspace mounts (and boots) after the login.
 */
import { LockKeyhole, RefreshCw } from 'lucide-react';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useAuth } from './auth-store.js';

let asked = false;

export function AuthGate({ children }: { children: ReactNode }) {
  const phase = useAuth((state) => state.phase);
  useEffect(() => {
    // Once per page, even if a development StrictMode runs this effect twice.
    if (asked) return;
    asked = true;
    void useAuth.getState().check();
  }, []);
  if (phase === 'open') return children;
  if (phase === 'locked') return <LoginPage />;
  if (phase === 'unreachable') return <Unreachable />;
  return <div className="booting" aria-busy="true" />;
}

function LoginPage() {
  const login = useAuth((state) => state.login);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempts, setAttempts] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const fieldId = useId();
  const errorId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || password.trim() === '') return;
    setBusy(true);
    setError(null);
    const message = await login(password);
    // On success this page is gone (or reloading); on failure the field is cleared for another try.
    if (message === null) return;
    setBusy(false);
    setError(message);
    setPassword('');
    setAttempts((count) => count + 1);
  }

  // After each failed try, once the field is enabled again (a disabled field lost the focus).
  useEffect(() => {
    if (attempts > 0) input.current?.focus();
  }, [attempts]);

  return (
    <main className="auth-screen" data-testid="login-page">
      <form className="auth-card" onSubmit={(event) => void submit(event)} aria-labelledby={`${fieldId}-title`}>
        <div className="auth-mark" aria-hidden="true">
          <LockKeyhole size={18} />
        </div>
        <h1 id={`${fieldId}-title`}>Chamber is locked</h1>
        <p className="auth-lead">Enter the UI password to open the workspace.</p>
        <label className="auth-label" htmlFor={fieldId}>
          Password
        </label>
        {/* Password managers pair a password with a user name; this server has only the one. */}
        <input type="text" name="username" autoComplete="username" value="chamber" readOnly hidden />
        <input
          ref={input}
          id={fieldId}
          className="input"
          type="password"
          name="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          disabled={busy}
          data-testid="login-password"
        />
        <p id={errorId} className="auth-error" role="alert" data-testid="login-error">
          {error ?? ''}
        </p>
        <button
          type="submit"
          className="button button-primary auth-submit"
          disabled={busy || password.trim() === ''}
          data-testid="login-submit"
        >
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    </main>
  );
}

function Unreachable() {
  const problem = useAuth((state) => state.problem);
  const check = useAuth((state) => state.check);
  return (
    <main className="auth-screen" data-testid="auth-unreachable">
      <div className="auth-card" role="alert">
        <h1>Unable to reach server</h1>
        <p className="auth-lead">{problem ?? 'The server did not answer.'}</p>
        <button type="button" className="button auth-submit" onClick={() => void check()} data-testid="auth-retry">
          <RefreshCw size={14} aria-hidden="true" />
          Retry
        </button>
      </div>
    </main>
  );
}
