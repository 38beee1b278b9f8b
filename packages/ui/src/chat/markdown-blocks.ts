/**
 * A reply's Markdown cut into top-level blocks at blank lines, so each block is rendered (and
 * its HTML set) once: while a reply streams, only its last block changes, and re-rendering the
 * whole text on every frame would cost more as the reply grows (a 30 KB answer took tens of ms
 * a frame). Rendered block by block, the HTML is what the whole text gives, except that:
 *
 * - a blank line never splits a fenced code block or an indented continuation (list item text,
 *   indented code);
 * - a "loose" list (items separated by blank lines) becomes consecutive tight lists, which look
 *   the same;
 * - text with reference-style link definitions (`[x]: url`) is not cut at all, since a
 *   definition applies to the whole document.
 */

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:\s*\S/m;

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** `text` as consecutive blocks; joined they give `text` back. */
export function splitMarkdownBlocks(text: string): string[] {
  if (REFERENCE_DEFINITION.test(text)) return [text];
  const lines = text.split('\n');
  const blocks: string[] = [];
  let start = 0;
  let fence: { char: string; length: number } | null = null;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const marker = FENCE.exec(line);
    if (fence) {
      if (
        marker &&
        marker[1]![0] === fence.char &&
        marker[1]!.length >= fence.length &&
        isBlank(line.slice(marker[0].length))
      ) {
        fence = null;
      }
      continue;
    }
    if (marker) {
      fence = { char: marker[1]![0]!, length: marker[1]!.length };
      continue;
    }
    if (!isBlank(line)) continue;
    // The blank run ends the block if what follows starts a new one at the left margin.
    let next = index + 1;
    while (next < lines.length && isBlank(lines[next]!)) next += 1;
    if (next >= lines.length) break;
    const following = lines[next]!;
    if (/^[ \t]/.test(following)) continue;
    blocks.push(lines.slice(start, next).join('\n') + '\n');
    start = next;
    index = next - 1;
  }
  const rest = lines.slice(start).join('\n');
  if (rest || blocks.length === 0) blocks.push(rest);
  return blocks;
}
