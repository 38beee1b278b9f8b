import { showToast } from '../state/toasts.js';

export async function copyText(text: string, confirmation: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    showToast({ tone: 'info', message: confirmation });
  } catch (error) {
    showToast({ tone: 'error', message: error instanceof Error ? error.message : String(error), context: 'Copying' });
  }
}
