/**
 * The official OpenCode client on the runtime's transport: `apis.opencode` gives the `fetch`
 * (plain HTTP to the server's `/api` pass-through on the web, IPC frames in the desktop window)
 * and the base URL. The directory is passed on each call, not in the client config: given there,
 * the v2 client adds `location[directory]` parameters to every request as well.
 */
import { createOpencodeClient, type OpencodeClient } from '@opencode-ai/sdk/v2/client';
import { attempt } from '../state/runtime.js';
import { runtimeApis } from '../state/runtime.js';

let client: OpencodeClient | null = null;

export function opencode(): OpencodeClient {
  if (!client) {
    const { baseUrl, fetch } = runtimeApis().opencode;
    client = createOpencodeClient({ baseUrl, fetch });
  }
  return client;
}

/** What the SDK answers in its default (non-throwing) style. */
interface SdkResult<T> {
  data?: T;
  error?: unknown;
  response?: Response;
}

/**
 * The message of a failed OpenCode call: OpenCode's named errors carry `data.message`; Chamber's
 * own answers (OpenCode restarting or not running) carry `error`; else the HTTP status.
 */
export function sdkErrorMessage(error: unknown, response: Response | undefined): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string' && error) return error;
  if (error && typeof error === 'object') {
    const body = error as { data?: { message?: unknown }; message?: unknown; error?: unknown; name?: unknown };
    for (const candidate of [body.data?.message, body.message, body.error, body.name]) {
      if (typeof candidate === 'string' && candidate) return candidate;
    }
  }
  return response ? `OpenCode answered ${response.status} ${response.statusText}`.trim() : 'OpenCode is unreachable';
}

/** The data of an SDK call, or an Error with OpenCode's (or Chamber's) message. */
export async function unwrap<T>(pending: Promise<SdkResult<T>>): Promise<T> {
  const result = await pending;
  if (result.error !== undefined || (result.response && !result.response.ok)) {
    throw new Error(sdkErrorMessage(result.error, result.response));
  }
  return result.data as T;
}

/** One OpenCode call through `attempt`: a failure is toasted with `context`, the caller gets undefined. */
export function callOpenCode<T>(
  context: string,
  call: (sdk: OpencodeClient) => Promise<SdkResult<T>>,
): Promise<T | undefined> {
  return attempt(context, () => unwrap(call(opencode())));
}
