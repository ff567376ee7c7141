/**
 * Replaces every registered secret with `***` in text the gate prints or writes.
 *
 * The runner masks what it is told about through `::add-mask::`, but the CLI has no runner, and files
 * (the JSON report) are never masked by anyone else, so the gate masks everything itself.
 */
export class Masker {
  private readonly secrets = new Set<string>();
  /** The random-looking words of the secrets, whose fragments are masked too (see `maskFragments`). */
  private readonly tokens = new Set<string>();

  /** Secrets shorter than this would mask ordinary words; the runner applies the same idea. */
  static readonly MIN_SECRET_LENGTH = 4;
  /** Any run this long of a token's characters is masked: what survives a clipped message is too little to use. */
  static readonly FRAGMENT_LENGTH = 8;
  /** Tokens shorter than this, or without both letters and digits, are words or numbers; only the whole is masked. */
  static readonly MIN_TOKEN_LENGTH = 12;

  add(secret: string | undefined): void {
    const trimmed = secret?.trim();
    if (!trimmed || trimmed.length < Masker.MIN_SECRET_LENGTH) return;
    // The forms a server most often echoes a value in: inside JSON, in a URL, base64-encoded (as the runner's masker does).
    for (const form of [trimmed, JSON.stringify(trimmed).slice(1, -1), encodeURIComponent(trimmed), Buffer.from(trimmed).toString('base64')]) {
      this.secrets.add(form);
    }
    for (const token of trimmed.split(/\s+/)) {
      if (token.length >= Masker.MIN_TOKEN_LENGTH && /\d/.test(token) && /[A-Za-z]/.test(token)) this.tokens.add(token);
    }
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
    for (const token of this.tokens) masked = maskFragments(masked, token);
    return masked;
  }

  /**
   * Masks every string, and every key, inside a JSON-compatible value, for reports written to disk.
   * Masking the serialised text instead would miss a secret JSON escapes (one with `"` or `\`), and could
   * break the JSON when a secret matches a number or a literal (`1000`, `null`).
   */
  maskDeep<T>(value: T): T {
    return this.maskPlain(JSON.parse(JSON.stringify(value) ?? 'null')) as T;
  }

  private maskPlain(value: unknown): unknown {
    if (typeof value === 'string') return this.mask(value);
    if (Array.isArray(value)) return value.map((item) => this.maskPlain(item));
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [this.mask(key), this.maskPlain(item)]));
  }
}

/**
 * Masks each stretch of `text` that repeats FRAGMENT_LENGTH or more consecutive characters of `token`.
 * A message clipped before masking (`text.slice(0, 300)`) can end partway through a secret; the whole
 * secret no longer matches, and its first characters would otherwise be printed.
 */
function maskFragments(text: string, token: string): string {
  const size = Masker.FRAGMENT_LENGTH;
  if (text.length < size) return text;
  const spans: [number, number][] = [];
  for (let at = 0; at + size <= token.length; at++) {
    const gram = token.slice(at, at + size);
    for (let hit = text.indexOf(gram); hit !== -1; hit = text.indexOf(gram, hit + 1)) {
      let start = hit;
      let end = hit + size;
      for (let t = at - 1; start > 0 && t >= 0 && text[start - 1] === token[t]; t--) start--;
      for (let t = at + size; end < text.length && t < token.length && text[end] === token[t]; t++) end++;
      spans.push([start, end]);
    }
  }
  if (!spans.length) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let masked = '';
  let from = 0;
  for (const [start, end] of spans) {
    // Overlapping stretches are one masked stretch.
    if (start < from) {
      from = Math.max(from, end);
      continue;
    }
    masked += `${text.slice(from, start)}***`;
    from = end;
  }
  return masked + text.slice(from);
}
