/**
 * Confirmation for destructive git actions: `confirmAction(...)` opens a modal and resolves
 * true on confirm, false on cancel or Escape. `ConfirmHost` renders it (once, in the Changes view).
 */
import { create } from 'zustand';
import { Dialog } from '../components/Dialog.js';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  /** Shown verbatim under the message, e.g. git's refusal that led here. */
  detail?: string;
}

interface ConfirmState {
  request: (ConfirmRequest & { resolve(answer: boolean): void }) | null;
}

const useConfirm = create<ConfirmState>()(() => ({ request: null }));

export function confirmAction(request: ConfirmRequest): Promise<boolean> {
  useConfirm.getState().request?.resolve(false);
  return new Promise((resolve) => useConfirm.setState({ request: { ...request, resolve } }));
}

function answer(value: boolean): void {
  const { request } = useConfirm.getState();
  useConfirm.setState({ request: null });
  request?.resolve(value);
}

export function ConfirmHost() {
  const request = useConfirm((state) => state.request);
  return (
    <Dialog
      open={request !== null}
      onClose={() => answer(false)}
      label={request?.title ?? 'Confirm'}
      className="dialog-confirm"
    >
      {request ? (
        <div className="confirm" data-testid="confirm-dialog">
          <h2>{request.title}</h2>
          <p>{request.message}</p>
          {request.detail ? <pre className="confirm-detail">{request.detail}</pre> : null}
          <div className="confirm-actions">
            <button type="button" className="button" onClick={() => answer(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-danger"
              data-autofocus=""
              onClick={() => answer(true)}
              data-testid="confirm-accept"
            >
              {request.confirmLabel}
            </button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
