/**
 * A modal on the native <dialog>: the browser traps focus, closes on Escape and restores focus
 * to the opener; we only mirror `open` and report closes. An element marked `data-autofocus`
 * takes the focus on open (React does not render `autofocus` for showModal() to find).
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { create } from 'zustand';

/** Open modals, innermost last: whatever must stay clickable above them renders into the last. */
export const useOpenDialogs = create<{ stack: HTMLDialogElement[] }>()(() => ({ stack: [] }));

function setOpen(dialog: HTMLDialogElement, open: boolean): void {
  useOpenDialogs.setState(({ stack }) => ({
    stack: open ? [...stack.filter((d) => d !== dialog), dialog] : stack.filter((d) => d !== dialog),
  }));
}

interface DialogProps {
  open: boolean;
  onClose(): void;
  label: string;
  className?: string;
  children: ReactNode;
}

export function Dialog({ open, onClose, label, className, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const openRef = useRef(open);

  useEffect(() => {
    openRef.current = open;
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    if (!open && dialog.open) dialog.close();
    setOpen(dialog, open);
    return () => setOpen(dialog, false);
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-label={label}
      className={`dialog ${className ?? ''}`}
      onClose={() => {
        // The close event is asynchronous: after a close we asked for, the owner may already have
        // reopened this dialog (Escape, then the shortcut again at once) or opened something else,
        // which this late event must not undo. A close event while the element is open is stale.
        if (ref.current?.open) return;
        if (openRef.current) onClose();
      }}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onMouseDown={(event) => {
        // A press on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      {open ? children : null}
    </dialog>
  );
}
