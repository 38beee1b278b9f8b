import { CircleExclamationPoint, Info, X } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useOpenDialogs } from './Dialog.js';
import { IconButton } from './IconButton.js';
import { useToasts } from '../state/toasts.js';

/**
 * Toasts, newest last; errors are announced assertively, confirmations politely. The stack is a
 * manual popover so it sits in the top layer: a failure inside a modal (the workspace picker)
 * shows above that modal instead of under its backdrop. While a modal is open the stack renders
 * inside it, since a modal makes everything outside it inert (the close buttons must work).
 */
export function Toasts() {
  const toasts = useToasts((state) => state.toasts);
  const dismiss = useToasts((state) => state.dismiss);
  const ref = useRef<HTMLDivElement>(null);
  const host = useOpenDialogs((state) => state.stack[state.stack.length - 1]) ?? document.body;

  useEffect(() => {
    const stack = ref.current;
    if (!stack || typeof stack.showPopover !== 'function') return;
    if (stack.matches(':popover-open')) stack.hidePopover();
    // Showing again moves the stack to the top of the top layer, above any dialog opened since.
    if (toasts.length > 0) stack.showPopover();
  }, [toasts, host]);

  return createPortal(
    <div ref={ref} popover="manual" className="toasts" aria-label="Notifications">
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
          <IconButton label="Dismiss" className="toast-close" onClick={() => dismiss(toast.id)}>
            <X size={14} />
          </IconButton>
        </div>
      ))}
    </div>,
    host,
  );
}
