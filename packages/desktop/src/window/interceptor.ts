/**
 * Every request of a window goes through here (`Fetch.enable` at the request stage, before any
 * network or DNS work): requests to the private origin are answered from the UI bundle with
 * `Fetch.fulfillRequest`; `/api/*` is refused and logged as an error, since the desktop serves the
 * runtime over IPC only and a page reaching for HTTP is a bug to see; any other origin is refused.
 */
import type { Logger } from '@chamber/runtime';
import type { CdpSession } from '../cdp/connection.js';
import type { UiBundle } from './ui-bundle.js';

interface RequestPaused {
  requestId: string;
  request: { url: string; method: string };
  resourceType?: string;
}

export interface PageRequestRecord {
  method: string;
  url: string;
  outcome: 'served' | 'refused-api' | 'refused-external';
  status?: number;
}

export interface InterceptorOptions {
  origin: string;
  bundle: UiBundle;
  logger: Logger;
  /** Sees every request (the host keeps a short history for diagnostics and tests). */
  onRequest?(record: PageRequestRecord): void;
}

export const API_OVER_HTTP_MESSAGE =
  'The page made an HTTP request to /api; the desktop serves the runtime over IPC only, so it was refused';

export function isApiPath(pathname: string): boolean {
  const lower = pathname.toLowerCase();
  return lower === '/api' || lower.startsWith('/api/');
}

/** Longest URL written to a log line. */
const MAX_LOGGED_URL = 512;

/** Start answering `Fetch.requestPaused` on `session`; `Fetch.enable` must follow. Returns the stop function. */
export function interceptRequests(session: CdpSession, options: InterceptorOptions): () => void {
  const { origin, bundle, logger } = options;

  async function answer({ requestId, request }: RequestPaused): Promise<void> {
    let url: URL | undefined;
    try {
      url = new URL(request.url);
    } catch {
      url = undefined;
    }
    const shown = request.url.slice(0, MAX_LOGGED_URL);
    if (!url || url.origin !== origin) {
      logger.log('warn', 'Blocked a request outside the app', { method: request.method, url: shown });
      options.onRequest?.({ method: request.method, url: request.url, outcome: 'refused-external' });
      await session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
      return;
    }
    if (isApiPath(url.pathname)) {
      logger.log('error', API_OVER_HTTP_MESSAGE, {
        method: request.method,
        path: url.pathname.slice(0, MAX_LOGGED_URL),
      });
      options.onRequest?.({ method: request.method, url: request.url, outcome: 'refused-api' });
      await session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
      return;
    }
    const isHead = request.method === 'HEAD';
    const answer =
      request.method === 'GET' || isHead
        ? await bundle.read(url.pathname)
        : { status: 405, contentType: 'text/plain; charset=utf-8', body: Buffer.from('Method not allowed') };
    if (answer.status >= 400) {
      logger.log('warn', 'UI bundle request failed', {
        method: request.method,
        path: url.pathname,
        status: answer.status,
      });
    }
    options.onRequest?.({ method: request.method, url: request.url, outcome: 'served', status: answer.status });
    await session.send('Fetch.fulfillRequest', {
      requestId,
      responseCode: answer.status,
      responseHeaders: [
        { name: 'Content-Type', value: answer.contentType },
        { name: 'Cache-Control', value: 'no-cache' },
        { name: 'X-Content-Type-Options', value: 'nosniff' },
      ],
      body: isHead ? '' : answer.body.toString('base64'),
    });
  }

  return session.on<RequestPaused>('Fetch.requestPaused', (params) => {
    answer(params).catch((error: unknown) => {
      // The page navigated away or closed mid-request: nothing left to answer.
      logger.log('debug', 'Request interception failed', {
        url: params.request.url.slice(0, MAX_LOGGED_URL),
        error: String(error),
      });
    });
  });
}
