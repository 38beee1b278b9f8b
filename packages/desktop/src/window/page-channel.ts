/**
 * The IPC channel between a window's page and the runtime, over the DevTools pipe.
 *
 * Page → host: a `Runtime.addBinding` function, captured and hidden by a script that runs before
 * any page script (`Page.addScriptToEvaluateOnNewDocument`), which defines the contract's
 * `window.__CHAMBER_DESKTOP__ = { postFrame(text), onframe }` in the top frame of the private
 * origin only. Each call arrives as `Runtime.bindingCalled` and goes to that document's `IpcHost`.
 *
 * Host → page: answers and events are queued per document and delivered in batches with
 * `Runtime.callFunctionOn`, one call in flight at a time, so a burst of events (terminal output)
 * costs one round trip per batch rather than per frame, and order is kept.
 *
 * One `IpcHost` per document: a reload or navigation drops the old document's subscriptions.
 */
import { DESKTOP_CHANNEL_GLOBAL } from '@chamber/contract';
import { IpcHost, type IpcHostOptions, type Logger } from '@chamber/runtime';
import type { CdpSession } from '../cdp/connection.js';

export const BINDING_NAME = '__chamberHostPost';
export const DELIVER_FUNCTION = '__chamberHostDeliver';

/** The script every document of the window runs first. */
export function pageChannelScript(origin: string): string {
  return `(() => {
  const post = globalThis[${JSON.stringify(BINDING_NAME)}];
  try { delete globalThis[${JSON.stringify(BINDING_NAME)}]; } catch {}
  if (typeof post !== 'function' || window !== window.top || location.origin !== ${JSON.stringify(origin)}) return;
  const channel = { postFrame(text) { post(String(text)); }, onframe: null };
  const deliver = (texts) => {
    for (const text of texts) {
      try { if (typeof channel.onframe === 'function') channel.onframe(text); }
      catch (error) { setTimeout(() => { throw error; }); }
    }
  };
  Object.defineProperty(globalThis, ${JSON.stringify(DESKTOP_CHANNEL_GLOBAL)}, { value: channel });
  Object.defineProperty(globalThis, ${JSON.stringify(DELIVER_FUNCTION)}, { value: deliver });
})();`;
}

interface ExecutionContextDescription {
  id: number;
  origin: string;
  auxData?: { isDefault?: boolean; frameId?: string };
}

/** Frames waiting for delivery to one document. */
interface Outbox {
  contextId: number;
  texts: string[];
  flushing: boolean;
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
    const outbox: Outbox = { contextId: context.id, texts: [], flushing: false };
    const ipc = new IpcHost({
      runtime: this.#options.runtime,
      logger: this.#options.logger,
      send: (frame) => {
        outbox.texts.push(JSON.stringify(frame));
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
    if (outbox.flushing) return;
    outbox.flushing = true;
    void (async () => {
      try {
        while (outbox.texts.length > 0 && this.#links.get(outbox.contextId)?.outbox === outbox) {
          const batch = outbox.texts.splice(0);
          await this.#options.session.send('Runtime.callFunctionOn', {
            functionDeclaration: `function (texts) { globalThis.${DELIVER_FUNCTION}(texts); }`,
            executionContextId: outbox.contextId,
            arguments: [{ value: batch }],
            returnByValue: true,
          });
        }
      } catch (error) {
        // The document went away with frames still queued: there is nobody left to read them.
        this.#options.logger.log('debug', 'Dropped IPC frames for a closed document', { error: String(error) });
        outbox.texts.length = 0;
      } finally {
        outbox.flushing = false;
      }
    })();
  }

  #drop(contextId: number): void {
    const link = this.#links.get(contextId);
    if (!link) return;
    this.#links.delete(contextId);
    link.ipc.close();
    link.outbox.texts.length = 0;
  }
}
