import { CircleExclamationPoint, Info, X } from 'lucide-react';
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import { useOpenDialogs } from './Dialog.js';
import { IconButton } from './IconButton.js';
import { placeToasts, type Placement } from './toast-placement.js';
import { useToasts } from '../state/toasts.js';

/**
 * Toasts, newest last; errors are announced assertively, confirmations politely. The stack is a
 * manual popover so it sits in the top layer: a failure inside a modal (the workspace picker)
 * shows above that modal instead of under its backdrop. While a modal is open the stack renders
 * inside it, since a modal makes everything outside it inert (the close buttons must work), and
 * beside it (`placeToasts`), so it never covers the dialog's own buttons.
 */
export function Toasts() {
  const toasts = useToasts((state) => state.toasts);
  const dismiss = useToasts((state) => state.dismiss);
  const ref = useRef<HTMLDivElement>(null);
  const host = useOpenDialogs((state) => state.stack[state.stack.length - 1]) ?? document.body;
  const [placement, setPlacement] = useState<Placement | null>(null);

  useLayoutEffect(() => {
    const stack = ref.current;
    if (host === document.body || !stack || toasts.length === 0) {
      setPlacement(null);
      return;
    }
    const update = () => {
      const box = stack.getBoundingClientRect();
      const next = placeToasts(
        host.getBoundingClientRect(),
        { width: box.width, height: box.height },
        { width: window.innerWidth, height: window.innerHeight },
      );
      setPlacement((previous) => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(host);
    observer.observe(stack);
    window.addEventListener('resize', update);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', update);
    };
  }, [host, toasts]);

  // Over a modal only the newest toast shows (with a count of the others): a tall stack would not
  // fit beside the dialog and would cover it.
  const overModal = host !== document.body;
  const shown = overModal ? toasts.slice(-1) : toasts;
  const hidden = toasts.length - shown.length;

  useEffect(() => {
    const stack = ref.current;
    if (!stack || typeof stack.showPopover !== 'function') return;
    if (stack.matches(':popover-open')) stack.hidePopover();
    // Showing again moves the stack to the top of the top layer, above any dialog opened since.
    if (toasts.length > 0) stack.showPopover();
  }, [toasts, host]);

  return createPortal(
    <div ref={ref} popover="manual" className="toasts" aria-label="Notifications" style={placementStyle(placement)}>
      {shown.map((toast) => (
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
            {hidden > 0 ? (
              <div className="toast-more" data-testid="toast-more">
                and {hidden} earlier {hidden === 1 ? 'notification' : 'notifications'}
              </div>
            ) : null}
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

function placementStyle(placement: Placement | null): CSSProperties | undefined {
  if (!placement) return undefined;
  return {
    top: placement.top ?? 'auto',
    bottom: placement.bottom ?? 'auto',
    left: placement.left ?? 'auto',
    right: placement.right ?? 'auto',
  };
}
