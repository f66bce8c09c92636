/** The tail of a process's interleaved output, and a bounded copy of one stream. */

/** Last `maxBytes` UTF-8 bytes of `text` (never splitting a character). */
export function tailBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  return bytes
    .subarray(bytes.length - maxBytes)
    .toString('utf8')
    .replace(/^\uFFFD+/, '');
}

export class OutputTail {
  #text = '';
  constructor(private readonly maxBytes: number) {}
  push(chunk: string): void {
    this.#text += chunk;
    // Trim lazily: at most ~4× the budget is kept between trims (chars ≤ bytes).
    if (this.#text.length > 4 * this.maxBytes) this.#text = tailBytes(this.#text, this.maxBytes);
  }
  toString(): string {
    return tailBytes(this.#text, this.maxBytes);
  }
}

/** Keeps a stream whole up to `maxChars`; past that it is marked overflowed and dropped. */
export class BoundedCapture {
  #parts: string[] = [];
  #length = 0;
  overflowed = false;
  constructor(private readonly maxChars: number) {}
  push(chunk: string): void {
    if (this.overflowed) return;
    this.#length += chunk.length;
    if (this.#length > this.maxChars) {
      this.overflowed = true;
      this.#parts = [];
      return;
    }
    this.#parts.push(chunk);
  }
  toString(): string {
    return this.#parts.join('');
  }
}
