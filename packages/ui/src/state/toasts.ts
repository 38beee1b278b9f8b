/** Toast queue: errors stay until read (or 10 s), confirmations go after 3 s. */
import { create } from 'zustand';

export type ToastTone = 'error' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  /** Shown verbatim: for errors, the runtime's message exactly as it arrived. */
  message: string;
  /** What was being done, e.g. "Listing /srv". */
  context?: string;
}

interface ToastState {
  toasts: Toast[];
  dismiss(id: number): void;
}

const MAX_TOASTS = 4;
const LIFETIME_MS: Record<ToastTone, number> = { error: 10_000, info: 3_000 };

let nextId = 1;

export const useToasts = create<ToastState>()((set) => ({
  toasts: [],
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) })),
}));

export function showToast(toast: Omit<Toast, 'id'>): number {
  const id = nextId++;
  useToasts.setState((state) => ({ toasts: [...state.toasts, { ...toast, id }].slice(-MAX_TOASTS) }));
  setTimeout(() => useToasts.getState().dismiss(id), LIFETIME_MS[toast.tone]);
  return id;
}
