/**
 * Everything the app shell takes from the chat, as one module: the target of the dynamic import
 * in lazy.tsx, so the chat (the OpenCode SDK, the store, the views) is one chunk that loads when
 * the chat is first shown, not with the app.
 */
export { ChatView } from './ChatView.js';
export { SessionsSidebar } from './SessionsSidebar.js';
export { useChat } from './chat-store.js';
