/**
 * Stream bindings: HTTP routes that carry one subscription as a dedicated SSE response (the
 * reference's `GET /api/terminal/:sessionId/stream`). The server mounts each from this table
 * like a command route; nothing in the server names what a stream carries.
 *
 * Each SSE frame is `data: <payload JSON>`; events of resumable families add `id: <position>`,
 * so a client may resume with `Last-Event-ID` or the binding's `since` argument.
 */
import { terminalStreams } from './commands/terminal.js';

export const streams = {
  ...terminalStreams,
} as const;

export type StreamName = keyof typeof streams;
export const streamNames = Object.keys(streams) as StreamName[];
