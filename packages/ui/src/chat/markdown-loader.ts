/**
 * markdown-it and highlight.js (markdown.ts) load apart from the chat: the conversation can be
 * drawn while they arrive, its text shown plain for that moment. The import starts when this
 * module is evaluated, i.e. with the chat chunk, so it is usually there before the first message.
 */
import { useSyncExternalStore } from 'react';

type Render = (text: string) => string;

let render: Render | null = null;
const listeners = new Set<() => void>();
const loading = import('./markdown.js').then((markdown) => {
  render = markdown.renderMarkdown;
  for (const listener of listeners) listener();
});

/** The Markdown renderer once loaded, else null (the caller shows the text as it is). */
export function useMarkdownRenderer(): Render | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => render,
  );
}

/** Resolves when the renderer is loaded (screenshots, benchmarks). */
export function markdownReady(): Promise<void> {
  return loading;
}
