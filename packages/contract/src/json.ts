/**
 * Limits on JSON accepted from clients, shared by the HTTP body parser and the IPC host so both
 * transports reject the same input with the same message.
 */
export const JSON_MAX_DEPTH = 64;
export const JSON_TOO_DEEP_MESSAGE = `JSON is nested too deeply (limit ${JSON_MAX_DEPTH})`;

/**
 * True when arrays/objects in `text` nest deeper than `limit`. A linear scan of the raw text, so
 * it runs before `JSON.parse` and a 100k-deep `[[[[…` never reaches recursive code.
 */
export function exceedsJsonDepth(text: string, limit = JSON_MAX_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}
