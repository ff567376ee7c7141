/**
 * Keeps the last lines of a process's output within a byte budget.
 *
 * A hostile or chatty server may print without end or emit one enormous line; the gate must keep
 * enough to explain a failure without holding all of it in memory.
 */
export class LineBuffer {
  private lines: string[] = [];
  private bytes = 0;
  private partial = '';
  /** The current line was already stored clipped; the rest of it, up to its newline, is dropped. */
  private skippingRestOfLine = false;
  private totalLines = 0;
  private droppedLines = 0;
  private readonly listeners: ((line: string) => void)[] = [];

  constructor(
    private readonly maxBytes = 64 * 1024,
    private readonly maxLineLength = 4096,
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      if (this.skippingRestOfLine) this.skippingRestOfLine = false;
      else this.store(line);
    }
    if (this.skippingRestOfLine) {
      this.partial = '';
    } else if (this.partial.length > this.maxLineLength) {
      this.store(this.partial);
      this.partial = '';
      this.skippingRestOfLine = true;
    }
  }

  /** Flushes an unterminated last line, e.g. when the process has exited. */
  end(): void {
    if (this.partial && !this.skippingRestOfLine) this.store(this.partial);
    this.partial = '';
    this.skippingRestOfLine = false;
  }

  /** Told each complete line as it is stored (clipped like the stored one), e.g. to act on a line at once. */
  onLine(listener: (line: string) => void): void {
    this.listeners.push(listener);
  }

  tail(count: number): string[] {
    const pending = this.partial ? [this.clip(this.partial)] : [];
    return [...this.lines, ...pending].slice(-count);
  }

  get lineCount(): number {
    return this.totalLines;
  }

  get dropped(): number {
    return this.droppedLines;
  }

  private store(line: string): void {
    const clipped = this.clip(line);
    this.lines.push(clipped);
    this.bytes += clipped.length + 1;
    this.totalLines += 1;
    for (const listener of this.listeners) listener(clipped);
    while (this.bytes > this.maxBytes && this.lines.length > 1) {
      const removed = this.lines.shift() ?? '';
      this.bytes -= removed.length + 1;
      this.droppedLines += 1;
    }
  }

  private clip(line: string): string {
    if (line.length <= this.maxLineLength) return line;
    return `${line.slice(0, this.maxLineLength)} … [${line.length - this.maxLineLength} more characters]`;
  }
}
