import { CircleExclamationPoint, Info, X } from 'lucide-react';
import { useToasts } from '../state/toasts.js';

/** Toasts, newest last; errors are announced assertively, confirmations politely. */
export function Toasts() {
  const toasts = useToasts((state) => state.toasts);
  const dismiss = useToasts((state) => state.dismiss);
  return (
    <div className="toasts" aria-label="Notifications">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.tone}`}
          role={toast.tone === 'error' ? 'alert' : 'status'}
          data-testid="toast"
        >
          <span className="toast-icon" aria-hidden="true">
            {toast.tone === 'error' ? <CircleExclamationPoint size={16} /> : <Info size={16} />}
          </span>
          <div className="toast-body">
            {toast.context ? <div className="toast-context">{toast.context}</div> : null}
            <div className="toast-message">{toast.message}</div>
          </div>
          <button
            type="button"
            className="icon-button toast-close"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            <X size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
