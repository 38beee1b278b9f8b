/**
 * Confirmation for destructive git actions: `confirmAction(...)` opens a modal and resolves
 * true on confirm, false on cancel or Escape; `chooseAction(...)` offers several ways forward
 * and resolves the one chosen (null on cancel). `ConfirmHost` renders it (once, in the Changes view).
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

export interface Choice<T extends string> {
  value: T;
  label: string;
  /** Says in a line what the choice does (shown as the button's tooltip and under the buttons). */
  hint?: string;
  danger?: boolean;
}

interface OpenRequest {
  title: string;
  message: string;
  detail?: string;
  choices: Choice<string>[];
  resolve(answer: string | null): void;
}

const useConfirm = create<{ request: OpenRequest | null }>()(() => ({ request: null }));

/** Offer `choices` (the last is the default, focused one); resolves the value chosen, null on cancel. */
export function chooseAction<T extends string>(request: {
  title: string;
  message: string;
  detail?: string;
  choices: Choice<T>[];
}): Promise<T | null> {
  useConfirm.getState().request?.resolve(null);
  return new Promise((resolve) =>
    useConfirm.setState({ request: { ...request, resolve: resolve as (answer: string | null) => void } }),
  );
}

export async function confirmAction(request: ConfirmRequest): Promise<boolean> {
  const answer = await chooseAction({
    title: request.title,
    message: request.message,
    detail: request.detail,
    choices: [{ value: 'confirm', label: request.confirmLabel, danger: true }],
  });
  return answer === 'confirm';
}

function answer(value: string | null): void {
  const { request } = useConfirm.getState();
  useConfirm.setState({ request: null });
  request?.resolve(value);
}

export function ConfirmHost() {
  const request = useConfirm((state) => state.request);
  const single = request?.choices.length === 1;
  return (
    <Dialog
      open={request !== null}
      onClose={() => answer(null)}
      label={request?.title ?? 'Confirm'}
      className="dialog-confirm"
    >
      {request ? (
        <div className="confirm" data-testid="confirm-dialog">
          <h2>{request.title}</h2>
          <p>{request.message}</p>
          {request.detail ? <pre className="confirm-detail">{request.detail}</pre> : null}
          {request.choices.some((choice) => choice.hint) ? (
            <ul className="confirm-hints">
              {request.choices.map((choice) =>
                choice.hint ? (
                  <li key={choice.value}>
                    <strong>{choice.label}</strong>: {choice.hint}
                  </li>
                ) : null,
              )}
            </ul>
          ) : null}
          <div className="confirm-actions">
            <button type="button" className="button" onClick={() => answer(null)} data-testid="confirm-cancel">
              Cancel
            </button>
            {request.choices.map((choice, index) => (
              <button
                key={choice.value}
                type="button"
                className={`button ${choice.danger ? 'button-danger' : index === request.choices.length - 1 ? 'button-primary' : ''}`}
                title={choice.hint}
                data-autofocus={index === request.choices.length - 1 ? '' : undefined}
                onClick={() => answer(choice.value)}
                data-testid={single ? 'confirm-accept' : `choice-${choice.value}`}
              >
                {choice.label}
              </button>
            ))}
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
