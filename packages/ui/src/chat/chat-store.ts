/**
 * The chat of the open workspace: OpenCode's sessions for that directory, the open session's
 * conversation, statuses and pending permissions, the model and agent choices. Fed by ONE event
 * subscription per directory (`GET /event?directory=…` through the runtime's transport):
 *
 * - events are queued and folded in once per frame (chat-model.ts), so a fast stream costs one
 *   render per frame, not one per token;
 * - when the stream drops (OpenCode restarting, the network, the server) it reconnects with a
 *   backoff; on the reconnect's `server.connected` the sessions, statuses, permissions and the
 *   open conversation are loaded again and merged by id, so nothing is lost or doubled;
 * - per browser (localStorage): the last open session of each directory
 *   (`chamber:chat-session:<directory>`) and the model/agent chosen for each session
 *   (`chamber:chat-choice:<sessionID>`).
 */
import type { Agent, Event } from '@opencode-ai/sdk/v2/client';
import { create } from 'zustand';
import { showToast } from '../state/toasts.js';
import { runtimeApis } from '../state/runtime.js';
import {
  applyEvent,
  EMPTY_CHAT,
  markStreamingGaps,
  mergeLoaded,
  modelFactsIndex,
  modelOptions,
  removePermission,
  type ChatData,
  type ChatEffects,
  type ModelFacts,
  type ModelOption,
} from './chat-model.js';
import { callOpenCode, opencode } from './opencode.js';

export type Connection = 'offline' | 'connecting' | 'live' | 'reconnecting';

/** A file sent with a prompt, as OpenCode's file part takes it. */
export interface PromptFile {
  filename: string;
  mime: string;
  /** `file://<absolute path>` (OpenCode reads it) or a `data:` URL (the file's bytes). */
  url: string;
}

export interface Choice {
  /** A `ModelOption.key`, or null for OpenCode's default. */
  model: string | null;
  /** An agent name, or null for OpenCode's default. */
  agent: string | null;
}

interface ChatState extends ChatData {
  directory: string | null;
  connection: Connection;
  activeSessionId: string | null;
  /** Sessions whose conversation is being loaded. */
  loading: Record<string, true>;
  models: ModelOption[];
  agents: Agent[];
  /** OpenCode's configured default model (`providerID/modelID`), when it has one. */
  defaultModel: string | null;
  /** The choice for the session about to be created (no session open yet). */
  draftChoice: Choice;
  /** Bumped when a choice is saved, so pickers re-read localStorage. */
  choiceVersion: number;

  open(directory: string): void;
  selectSession(id: string | null): void;
  newSession(): void;
  renameSession(id: string, title: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Send a prompt (creating the session first when none is open), with `files` attached. */
  send(text: string, files?: readonly PromptFile[]): Promise<boolean>;
  abort(): Promise<void>;
  replyPermission(sessionID: string, requestID: string, reply: 'once' | 'always' | 'reject'): Promise<void>;
  setChoice(change: Partial<Choice>): void;
}

const SESSION_KEY = (directory: string) => `chamber:chat-session:${directory}`;
const CHOICE_KEY = (sessionID: string) => `chamber:chat-choice:${sessionID}`;
const EMPTY_CHOICE: Choice = { model: null, agent: null };

function readStorage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {}
}

export function savedChoice(sessionID: string | null): Choice | null {
  if (!sessionID) return null;
  try {
    const saved = JSON.parse(readStorage(CHOICE_KEY(sessionID)) ?? 'null') as Partial<Choice> | null;
    if (!saved) return null;
    return {
      model: typeof saved.model === 'string' ? saved.model : null,
      agent: typeof saved.agent === 'string' ? saved.agent : null,
    };
  } catch {
    return null;
  }
}

/** The agents a person picks from: primary ones, not hidden. */
export function pickableAgents(agents: readonly Agent[]): Agent[] {
  return agents.filter((agent) => agent.mode !== 'subagent' && !agent.hidden);
}

// --- the event subscription --------------------------------------------------------------

let follow: AbortController | null = null;
/** Stands in the queue where a new stream began after a drop: what came before it is older. */
const RECONNECTED = Symbol('reconnected');
let queue: (Event | typeof RECONNECTED)[] = [];
let flushScheduled = false;

/** When the events were last folded in, and when the current burst of events began (performance.now()). */
let lastFlushAt = -Infinity;
let burstStartedAt = -Infinity;
/** A pause this long ends a burst. */
const QUIET_MS = 50;
/** The first moments of a burst are folded in as they come, the rest of it once per frame. */
const EAGER_MS = 100;

function scheduleFlush(): void {
  if (flushScheduled) return;
  flushScheduled = true;
  const now = performance.now();
  if (now - lastFlushAt > QUIET_MS) burstStartedAt = now;
  // A reply's first events (its message, its part, the first token) are shown at once: waiting
  // for the next frame would add up to a frame to the first token. A long stream then costs one
  // render per frame, however many events a frame brings.
  if (now - burstStartedAt < EAGER_MS) {
    queueMicrotask(flush);
    return;
  }
  // A frame when visible; the timer covers a hidden window, where frames stop.
  const timer = setTimeout(flush, 50);
  requestAnimationFrame(() => {
    clearTimeout(timer);
    flush();
  });
}

function flush(): void {
  if (!flushScheduled) return;
  flushScheduled = false;
  lastFlushAt = performance.now();
  const events = queue;
  queue = [];
  if (events.length === 0) return;
  const effects: ChatEffects = { finished: [] };
  useChat.setState((state) => {
    let data: ChatData = state;
    for (const event of events) {
      data = event === RECONNECTED ? markStreamingGaps(data) : applyEvent(data, event, effects);
    }
    return data === state ? state : { ...data };
  });
  for (const sessionID of effects.finished) void notifyFinished(sessionID);
}

/**
 * A reply ended while the person looked elsewhere (the window hidden, or another window focused,
 * as the reference decides): an OS notification on desktop, the browser's when it was granted,
 * else a toast. The contract has no settings for these notifications (none among the settings
 * keys), so there is nothing to honour beyond that.
 */
async function notifyFinished(sessionID: string): Promise<void> {
  if (typeof document === 'undefined' || (!document.hidden && document.hasFocus())) return;
  const session = useChat.getState().sessions.find((item) => item.id === sessionID);
  const shown = await runtimeApis()
    .notifications.notifyAgentCompletion({
      title: 'Agent finished',
      body: session?.title ?? 'The reply is complete',
      tag: `chamber-chat-${sessionID}`,
    })
    .catch(() => false);
  if (!shown) showToast({ tone: 'info', message: `Agent finished: ${session?.title ?? 'reply complete'}` });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * OpenCode sends `server.heartbeat` on the stream every 10 s: a stream silent for this long is
 * dead even though no error says so (a half-open connection after sleep or a network change), and
 * is dropped and reconnected.
 */
export const STALLED_STREAM_MS = 25_000;

/** Follows `/event` for `directory` until `signal` aborts, reconnecting with a backoff. */
async function followEvents(directory: string, signal: AbortSignal): Promise<void> {
  let failures = 0;
  let connectedBefore = false;
  while (!signal.aborted) {
    useChat.setState({ connection: connectedBefore ? 'reconnecting' : 'connecting' });
    const attempt = new AbortController();
    const drop = () => attempt.abort();
    signal.addEventListener('abort', drop, { once: true });
    let watchdog = setTimeout(drop, STALLED_STREAM_MS);
    try {
      // One attempt per call: the loop here owns retries, so it knows when a reconnect happened.
      const { stream } = await opencode().event.subscribe(
        { directory },
        { signal: attempt.signal, sseMaxRetryAttempts: 1 },
      );
      for await (const raw of stream) {
        if (signal.aborted) return;
        clearTimeout(watchdog);
        watchdog = setTimeout(drop, STALLED_STREAM_MS);
        const event = raw as Event;
        if (event.type === 'server.connected') {
          failures = 0;
          useChat.setState({ connection: 'live' });
          if (connectedBefore) {
            // Events were missed while the stream was down: streaming parts have holes from here.
            queue.push(RECONNECTED);
            scheduleFlush();
          }
          // Loaded once the stream is up (so OpenCode is): the first time, and after every
          // reconnect, since anything may have happened while we were away (merged, not doubled).
          void sync(directory, !connectedBefore);
          connectedBefore = true;
          continue;
        }
        queue.push(event);
        scheduleFlush();
      }
    } catch {
      // Fall through to the retry below: the stream's errors are all "try again later".
    } finally {
      clearTimeout(watchdog);
      signal.removeEventListener('abort', drop);
      attempt.abort();
    }
    if (signal.aborted) return;
    failures += 1;
    useChat.setState({ connection: 'reconnecting' });
    await sleep(Math.min(5000, 250 * 2 ** Math.min(failures - 1, 5)), signal);
  }
}

/** True when the session list was loaded. */
async function loadSessions(directory: string): Promise<boolean> {
  const [sessions, status, permissions] = await Promise.all([
    callOpenCode('Listing sessions', (sdk) => sdk.session.list({ directory, roots: true })),
    callOpenCode('Reading session status', (sdk) => sdk.session.status({ directory })),
    callOpenCode('Reading pending permissions', (sdk) => sdk.permission.list({ directory })),
  ]);
  if (useChat.getState().directory !== directory) return false;
  useChat.setState((state) => {
    const next: Partial<ChatData> = {};
    if (sessions) next.sessions = sessions.filter((s) => !s.parentID).sort((a, b) => b.time.updated - a.time.updated);
    if (status) next.status = Object.fromEntries(Object.entries(status).map(([id, value]) => [id, value.type]));
    if (permissions) {
      const grouped: ChatData['permissions'] = {};
      for (const request of permissions) (grouped[request.sessionID] ??= []).push(request);
      next.permissions = grouped;
    }
    return { ...state, ...next };
  });
  return sessions !== undefined;
}

async function loadConversation(directory: string, sessionID: string): Promise<void> {
  // An empty conversation at once, so the stream's events during the load are kept (and merged).
  useChat.setState((state) => ({
    loading: { ...state.loading, [sessionID]: true },
    conversations: { ...state.conversations, [sessionID]: state.conversations[sessionID] ?? [] },
  }));
  const messages = await callOpenCode('Loading the conversation', (sdk) =>
    sdk.session.messages({ sessionID, directory }),
  );
  useChat.setState((state) => {
    const loading = { ...state.loading };
    delete loading[sessionID];
    if (state.directory !== directory || !messages) return { loading };
    return { loading, ...mergeLoaded(state, sessionID, messages) };
  });
}

let modelFacts: Promise<Map<string, ModelFacts>> | null = null;

/**
 * The models metadata route's names and limits, asked once per page. Offline it fails (models.dev
 * unreachable, no copy on disk yet): OpenCode's own names then stand, without a toast, since
 * nothing is wrong with what the person is doing.
 */
function loadModelFacts(): Promise<Map<string, ModelFacts>> {
  modelFacts ??= runtimeApis()
    .raw.invoke('get_models_metadata', {})
    .then(modelFactsIndex, () => {
      modelFacts = null;
      return new Map<string, ModelFacts>();
    });
  return modelFacts;
}

async function loadCatalogue(directory: string): Promise<void> {
  const [providers, agents, config, facts] = await Promise.all([
    callOpenCode('Listing models', (sdk) => sdk.config.providers({ directory })),
    callOpenCode('Listing agents', (sdk) => sdk.app.agents({ directory })),
    callOpenCode('Reading the OpenCode config', (sdk) => sdk.config.get({ directory })),
    loadModelFacts(),
  ]);
  if (useChat.getState().directory !== directory) return;
  const models = providers ? modelOptions(providers.providers, facts) : [];
  const firstDefault = providers ? Object.entries(providers.default)[0] : undefined;
  const defaultModel =
    config?.model ?? (firstDefault ? `${firstDefault[0]}/${firstDefault[1]}` : (models[0]?.key ?? null));
  useChat.setState({ models, agents: agents ? pickableAgents(agents) : [], defaultModel });
}

/** The lists and the open conversation, at the first connection and after each reconnect. */
async function sync(directory: string, first: boolean): Promise<void> {
  const { activeSessionId, models } = useChat.getState();
  if (!first) {
    // Other loaded conversations are dropped: they are loaded afresh when opened again.
    useChat.setState((state) => ({
      conversations:
        activeSessionId && state.conversations[activeSessionId]
          ? { [activeSessionId]: state.conversations[activeSessionId] }
          : {},
    }));
  }
  const [listed] = await Promise.all([
    loadSessions(directory),
    first || models.length === 0 ? loadCatalogue(directory) : null,
    activeSessionId ? loadConversation(directory, activeSessionId) : null,
  ]);
  // The remembered session may have been deleted elsewhere meanwhile.
  const state = useChat.getState();
  const { activeSessionId: open, sessions } = state;
  if (listed && state.directory === directory && open && !sessions.some((session) => session.id === open)) {
    state.selectSession(null);
  }
}

// --- the store ---------------------------------------------------------------------------

export const useChat = create<ChatState>()((set, get) => ({
  ...EMPTY_CHAT,
  directory: null,
  connection: 'offline',
  activeSessionId: null,
  loading: {},
  models: [],
  agents: [],
  defaultModel: null,
  draftChoice: EMPTY_CHOICE,
  choiceVersion: 0,

  open(directory) {
    if (get().directory === directory && follow) return;
    follow?.abort();
    follow = new AbortController();
    queue = [];
    const last = readStorage(SESSION_KEY(directory));
    set({
      ...EMPTY_CHAT,
      directory,
      connection: 'connecting',
      activeSessionId: last,
      loading: {},
      draftChoice: EMPTY_CHOICE,
    });
    void followEvents(directory, follow.signal);
  },

  selectSession(id) {
    const { directory, conversations } = get();
    if (!directory) return;
    set({ activeSessionId: id });
    writeStorage(SESSION_KEY(directory), id);
    if (id && !conversations[id]) void loadConversation(directory, id);
  },

  newSession() {
    // A session is created with the first prompt, so an empty one never litters the list.
    get().selectSession(null);
    set({ draftChoice: EMPTY_CHOICE });
  },

  async renameSession(id, title) {
    const { directory } = get();
    if (!directory || !title.trim()) return;
    const session = await callOpenCode('Renaming the session', (sdk) =>
      sdk.session.update({ sessionID: id, directory, title: title.trim() }),
    );
    if (session) queueLocal({ id: 'local', type: 'session.updated', properties: { sessionID: id, info: session } });
  },

  async deleteSession(id) {
    const { directory } = get();
    if (!directory) return;
    const deleted = await callOpenCode('Deleting the session', (sdk) =>
      sdk.session.delete({ sessionID: id, directory }),
    );
    if (deleted === undefined) return;
    set((state) => ({ sessions: state.sessions.filter((session) => session.id !== id) }));
    writeStorage(CHOICE_KEY(id), null);
    if (get().activeSessionId === id) get().selectSession(null);
  },

  async send(text, files = []) {
    const { directory } = get();
    if (!directory || !text.trim()) return false;
    let sessionID = get().activeSessionId;
    if (!sessionID) {
      const draft = get().draftChoice;
      const created = await callOpenCode('Starting a session', (sdk) => sdk.session.create({ directory }));
      if (!created) return false;
      sessionID = created.id;
      writeStorage(CHOICE_KEY(sessionID), JSON.stringify(draft));
      set((state) => ({
        sessions: state.sessions.some((s) => s.id === created.id) ? state.sessions : [created, ...state.sessions],
        conversations: { ...state.conversations, [created.id]: state.conversations[created.id] ?? [] },
      }));
      get().selectSession(sessionID);
    }
    const choice = savedChoice(sessionID) ?? EMPTY_CHOICE;
    const model = get().models.find((option) => option.key === choice.model);
    // Busy at once: the abort button must not wait for OpenCode's first status event.
    set((state) => ({ status: { ...state.status, [sessionID]: 'busy' } }));
    const sent = await callOpenCode('Sending the prompt', (sdk) =>
      sdk.session.promptAsync({
        sessionID,
        directory,
        parts: [
          { type: 'text', text },
          // Files travel as file parts, as OpenCode's own prompt sends them: it reads them in.
          ...files.map((file) => ({ type: 'file' as const, mime: file.mime, filename: file.filename, url: file.url })),
        ],
        ...(model ? { model: { providerID: model.providerID, modelID: model.modelID } } : {}),
        ...(choice.agent ? { agent: choice.agent } : {}),
      }),
    );
    if (sent === undefined) {
      set((state) => ({ status: { ...state.status, [sessionID]: 'idle' } }));
      return false;
    }
    return true;
  },

  async abort() {
    const { directory, activeSessionId } = get();
    if (!directory || !activeSessionId) return;
    await callOpenCode('Stopping the reply', (sdk) => sdk.session.abort({ sessionID: activeSessionId, directory }));
  },

  async replyPermission(sessionID, requestID, reply) {
    const { directory } = get();
    if (!directory) return;
    const answered = await callOpenCode('Answering the permission request', (sdk) =>
      sdk.permission.reply({ requestID, directory, reply }),
    );
    // `permission.replied` removes it too; removing now keeps a double click from answering twice.
    if (answered !== undefined) set((state) => removePermission(state, sessionID, requestID));
  },

  setChoice(change) {
    const { activeSessionId, draftChoice } = get();
    const current = savedChoice(activeSessionId) ?? (activeSessionId ? EMPTY_CHOICE : draftChoice);
    const next = { ...current, ...change };
    if (activeSessionId) writeStorage(CHOICE_KEY(activeSessionId), JSON.stringify(next));
    else set({ draftChoice: next });
    set((state) => ({ choiceVersion: state.choiceVersion + 1 }));
  },
}));

/** An event of our own making (e.g. a rename's answer), folded in like OpenCode's. */
function queueLocal(event: Event): void {
  queue.push(event);
  scheduleFlush();
}

/** The choice in effect for the open session (or the draft), with OpenCode's defaults filled in. */
export function currentChoice(state: Pick<ChatState, 'activeSessionId' | 'draftChoice'>): Choice {
  return savedChoice(state.activeSessionId) ?? (state.activeSessionId ? EMPTY_CHOICE : state.draftChoice);
}

/** Stop following (tests, workspace closed). */
export function closeChat(): void {
  follow?.abort();
  follow = null;
}
