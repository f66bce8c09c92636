/**
 * A command's output as run events: chunks are gathered and sent as whole lines, at most every
 * `maxChars` or when flushed, so a chatty installer makes a few hundred events, not thousands.
 */
export class OutputStream {
  private buffered = '';
  private stream: 'stdout' | 'stderr' = 'stdout';

  constructor(
    private readonly emit: (text: string, stream: 'stdout' | 'stderr') => void,
    private readonly maxChars = 4096,
  ) {}

  push(chunk: string, stream: 'stdout' | 'stderr'): void {
    if (stream !== this.stream) this.flush();
    this.stream = stream;
    this.buffered += chunk;
    if (this.buffered.length < this.maxChars) return;
    const cut = this.buffered.lastIndexOf('\n', this.maxChars * 2) + 1 || this.buffered.length;
    const text = this.buffered.slice(0, cut);
    this.buffered = this.buffered.slice(cut);
    this.emit(text, this.stream);
  }

  flush(): void {
    if (this.buffered) this.emit(this.buffered, this.stream);
    this.buffered = '';
  }
}
