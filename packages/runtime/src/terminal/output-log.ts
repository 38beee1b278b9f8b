/**
 * A session's recent output: a bounded buffer addressed by stream position. Position `p` is the
 * number of UTF-16 code units the session has produced before a given character, so positions
 * only grow and a client that has seen everything up to `p` resumes with `read(p)`: no loss and
 * no duplication while `p` is still inside the buffer.
 */

/** Chunks shorter than this are merged with the next one, so keystroke echoes do not fill an array. */
const MERGE_BELOW = 4096;

export class OutputLog {
  readonly #capacity: number;
  readonly #chunks: string[] = [];
  #start = 0;
  #end = 0;

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  /** Position of the oldest character still kept. */
  get start(): number {
    return this.#start;
  }

  /** Position after the newest character. */
  get end(): number {
    return this.#end;
  }

  get size(): number {
    return this.#end - this.#start;
  }

  append(text: string): void {
    if (text.length === 0) return;
    const last = this.#chunks.length - 1;
    if (last >= 0 && (this.#chunks[last] as string).length < MERGE_BELOW) this.#chunks[last] += text;
    else this.#chunks.push(text);
    this.#end += text.length;
    this.#evict();
  }

  /**
   * Up to `maxLength` code units from position `from` (clamped to what is kept). Never ends
   * between the two halves of a surrogate pair, so every piece is valid text on its own.
   */
  read(from: number, maxLength = Number.POSITIVE_INFINITY): string {
    let position = Math.max(from, this.#start);
    if (position >= this.#end) return '';
    const pieces: string[] = [];
    let wanted = Math.min(maxLength, this.#end - position);
    let chunkStart = this.#start;
    for (const chunk of this.#chunks) {
      const chunkEnd = chunkStart + chunk.length;
      if (chunkEnd > position) {
        const piece = chunk.slice(position - chunkStart, position - chunkStart + wanted);
        pieces.push(piece);
        wanted -= piece.length;
        position += piece.length;
        if (wanted <= 0) break;
      }
      chunkStart = chunkEnd;
    }
    const text = pieces.join('');
    const lastCode = text.charCodeAt(text.length - 1);
    if (text.length > 1 && position < this.#end && lastCode >= 0xd800 && lastCode <= 0xdbff) return text.slice(0, -1);
    return text;
  }

  #evict(): void {
    let excess = this.size - this.#capacity;
    while (excess > 0) {
      const first = this.#chunks[0] as string;
      if (first.length <= excess) {
        this.#chunks.shift();
        this.#start += first.length;
        excess -= first.length;
        continue;
      }
      let cut = excess;
      // Do not keep the low half of a pair whose high half is gone.
      const code = first.charCodeAt(cut);
      if (code >= 0xdc00 && code <= 0xdfff) cut++;
      this.#chunks[0] = first.slice(cut);
      this.#start += cut;
      excess = 0;
    }
  }
}
