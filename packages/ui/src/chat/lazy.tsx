/**
 * The chat as the app shell sees it: its main view and its sidebar, loaded with the first visit
 * to the chat (React.lazy over chat-entry.ts), so the first paint of the workspace does not pay
 * for the OpenCode SDK, the conversation views and (loaded later still, see markdown-loader.ts)
 * markdown-it and highlight.js.
 */
import { LoaderCircle } from 'lucide-react';
import { lazy, Suspense } from 'react';

const load = () => import('./chat-entry.js');
const ChatView = lazy(() => load().then((chat) => ({ default: chat.ChatView })));
const SessionsSidebar = lazy(() => load().then((chat) => ({ default: chat.SessionsSidebar })));

function Loading() {
  return (
    <div className="git-loading" aria-busy="true">
      <LoaderCircle size={16} className="spin" aria-hidden="true" /> Opening the chat…
    </div>
  );
}

export function ChatMain() {
  return (
    <Suspense fallback={<Loading />}>
      <ChatView />
    </Suspense>
  );
}

export function ChatSidebar() {
  return (
    <Suspense fallback={null}>
      <SessionsSidebar />
    </Suspense>
  );
}

/** The "new session" shortcut: works before the chat was ever opened (the chunk loads first). */
export function newChatSession(): void {
  void load().then((chat) => chat.useChat.getState().newSession());
}
