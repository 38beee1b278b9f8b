/**
 * The IPC channel between a window's page and the runtime, over the DevTools pipe.
 *
 * Page → host: a `Runtime.addBinding` function, captured and hidden by a script that runs before
 * any page script (`Page.addScriptToEvaluateOnNewDocument`), which defines the contract's
 * `window.__CHAMBER_DESKTOP__ = { postFrame(text), onframe }` in the top frame of the private
 * origin only. Each call arrives as `Runtime.bindingCalled` and goes to that document's `IpcHost`.
 *
 * Host → page: answers and events are queued per document and delivered in batches with
 * `Runtime.evaluate` (see `deliveryCall`), a few calls of a few frames in flight at a time, so a
 * burst of events (terminal output) costs one call per batch rather than per frame, and order is kept.
 *
 * One `IpcHost` per document: a reload or navigation drops the old document's subscriptions.
 */
import { DESKTOP_CHANNEL_GLOBAL, type IpcResponseFrame } from '@chamber/contract';
import type { Logger } from '@chamber/runtime';
import type { CdpSession } from '../cdp/connection.js';
import { IpcHost, type IpcHostOptions } from '../ipc/host.js';

export const BINDING_NAME = '__chamberHostPost';
export const DELIVER_FUNCTION = '__chamberHostDeliver';
/**
 * Delivery calls in flight per document, and frames per call. The renderer runs a session's calls
 * in the order they were sent, so order is kept; with several small calls in flight the host
 * serialising one, the browser forwarding another and the page handling a third overlap instead
 * of taking turns (terminal output into the page: ~27 MiB/s against ~19 with one call of
 * everything queued, `npm run bench -- desktop`).
 */
const MAX_CALLS_IN_FLIGHT = 6;
const MAX_FRAMES_PER_CALL = 4;

/** The script every document of the window runs first. */
export function pageChannelScript(origin: string): string {
  return `(() => {
  const post = globalThis[${JSON.stringify(BINDING_NAME)}];
  try { delete globalThis[${JSON.stringify(BINDING_NAME)}]; } catch {}
  if (typeof post !== 'function' || window !== window.top || location.origin !== ${JSON.stringify(origin)}) return;
  const channel = { postFrame(text) { post(String(text)); }, onframe: null };
  const deliver = (frames) => {
    for (const frame of frames) {
      try { if (typeof channel.onframe === 'function') channel.onframe(frame); }
      catch (error) { setTimeout(() => { throw error; }); }
    }
  };
  Object.defineProperty(globalThis, ${JSON.stringify(DESKTOP_CHANNEL_GLOBAL)}, { value: channel });
  Object.defineProperty(globalThis, ${JSON.stringify(DELIVER_FUNCTION)}, { value: deliver });
})();`;
}

/**
 * The DevTools call that hands `frames` to the page. The frames' JSON goes into the expression as
 * a literal: V8 scans it once, where a call argument (`arguments: [{ value }]`) is converted to a
 * protocol value, back to JSON and parsed again in the renderer (about twice the renderer's CPU
 * per MiB, measured). JSON is a valid expression, but an object literal would read a
 * `"__proto__"` key as the object's prototype, not as a property; a batch that has one goes as an
 * argument instead.
 */
export function deliveryCall(
  contextId: number,
  frames: readonly IpcResponseFrame[],
): [string, Record<string, unknown>] {
  const json = JSON.stringify(frames);
  if (json.includes('"__proto__"')) {
    return [
      'Runtime.callFunctionOn',
      {
        functionDeclaration: `function (frames) { globalThis.${DELIVER_FUNCTION}(frames); }`,
        executionContextId: contextId,
        arguments: [{ value: frames }],
        returnByValue: true,
      },
    ];
  }
  return [
    'Runtime.evaluate',
    { expression: `globalThis.${DELIVER_FUNCTION}(${json})`, contextId, returnByValue: true },
  ];
}

interface ExecutionContextDescription {
  id: number;
  origin: string;
  auxData?: { isDefault?: boolean; frameId?: string };
}

/** Frames waiting for delivery to one document. */
interface Outbox {
  contextId: number;
  /** Frames as objects: the call's arguments carry them as JSON once, not as JSON text inside JSON. */
  frames: IpcResponseFrame[];
  /** Delivery calls sent and not answered yet. */
  inFlight: number;
}

interface DocumentLink {
  ipc: IpcHost;
  outbox: Outbox;
}

export interface PageChannelOptions {
  session: CdpSession;
  origin: string;
  /** The window's main frame (its target id): frames from anywhere else are refused. */
  mainFrameId: string;
  runtime: IpcHostOptions['runtime'];
  logger: Logger;
}

export class PageChannel {
  readonly #options: PageChannelOptions;
  readonly #links = new Map<number, DocumentLink>();
  readonly #stop: (() => void)[] = [];

  private constructor(options: PageChannelOptions) {
    this.#options = options;
  }

  /** Install the binding and the script; `Runtime.enable` must follow so contexts are reported. */
  static async install(options: PageChannelOptions): Promise<PageChannel> {
    const channel = new PageChannel(options);
    const { session } = options;
    channel.#stop.push(
      session.on<{ context: ExecutionContextDescription }>('Runtime.executionContextCreated', ({ context }) =>
        channel.#contextCreated(context),
      ),
      session.on<{ executionContextId: number }>('Runtime.executionContextDestroyed', ({ executionContextId }) =>
        channel.#drop(executionContextId),
      ),
      session.on('Runtime.executionContextsCleared', () => {
        for (const id of [...channel.#links.keys()]) channel.#drop(id);
      }),
      session.on<{ name: string; payload: string; executionContextId: number }>('Runtime.bindingCalled', (call) =>
        channel.#received(call),
      ),
    );
    await session.send('Runtime.addBinding', { name: BINDING_NAME });
    await session.send('Page.addScriptToEvaluateOnNewDocument', { source: pageChannelScript(options.origin) });
    return channel;
  }

  /** Documents currently connected (0 or 1 for a window). */
  get connectedDocuments(): number {
    return this.#links.size;
  }

  close(): void {
    for (const stop of this.#stop.splice(0)) stop();
    for (const id of [...this.#links.keys()]) this.#drop(id);
  }

  #contextCreated(context: ExecutionContextDescription): void {
    const { auxData } = context;
    if (!auxData?.isDefault || auxData.frameId !== this.#options.mainFrameId) return;
    if (context.origin !== this.#options.origin) return;
    const outbox: Outbox = { contextId: context.id, frames: [], inFlight: 0 };
    const ipc = new IpcHost({
      runtime: this.#options.runtime,
      logger: this.#options.logger,
      send: (frame) => {
        outbox.frames.push(frame);
        this.#flush(outbox);
      },
    });
    this.#links.set(context.id, { ipc, outbox });
  }

  #received(call: { name: string; payload: string; executionContextId: number }): void {
    if (call.name !== BINDING_NAME) return;
    const link = this.#links.get(call.executionContextId);
    if (!link) {
      // The script only defines the channel in the app's top frame; anything else is refused.
      this.#options.logger.log('warn', 'Refused an IPC frame from outside the app window');
      return;
    }
    link.ipc.receiveText(call.payload);
  }

  #flush(outbox: Outbox): void {
    while (
      outbox.inFlight < MAX_CALLS_IN_FLIGHT &&
      outbox.frames.length > 0 &&
      this.#links.get(outbox.contextId)?.outbox === outbox
    ) {
      const batch = outbox.frames.splice(0, MAX_FRAMES_PER_CALL);
      outbox.inFlight++;
      this.#options.session.send(...deliveryCall(outbox.contextId, batch)).then(
        () => {
          outbox.inFlight--;
          this.#flush(outbox);
        },
        (error: unknown) => {
          outbox.inFlight--;
          // The document went away with frames still queued: there is nobody left to read them.
          this.#options.logger.log('debug', 'Dropped IPC frames for a closed document', { error: String(error) });
          outbox.frames.length = 0;
        },
      );
    }
  }

  #drop(contextId: number): void {
    const link = this.#links.get(contextId);
    if (!link) return;
    this.#links.delete(contextId);
    link.ipc.close();
    link.outbox.frames.length = 0;
  }
}
