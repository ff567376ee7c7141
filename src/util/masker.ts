/**
 * Replaces every registered secret with `***` in text the gate prints or writes.
 *
 * The runner masks what it is told about through `::add-mask::`, but the CLI has no runner, and files
 * (the JSON report) are never masked by anyone else, so the gate masks everything itself.
 */
export class Masker {
  private readonly secrets = new Set<string>();

  /** Secrets shorter than this would mask ordinary words; the runner applies the same idea. */
  static readonly MIN_SECRET_LENGTH = 4;

  add(secret: string | undefined): void {
    const trimmed = secret?.trim();
    if (trimmed && trimmed.length >= Masker.MIN_SECRET_LENGTH) this.secrets.add(trimmed);
  }

  list(): string[] {
    return [...this.secrets];
  }

  mask(text: string): string {
    let masked = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      masked = masked.split(secret).join('***');
    }
    return masked;
  }

  /** Masks every string inside a JSON-compatible value, for reports written to disk. */
  maskDeep<T>(value: T): T {
    return JSON.parse(this.mask(JSON.stringify(value))) as T;
  }
}
