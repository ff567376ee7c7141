import { maskUrlCredentials } from './url-credentials.js';

/**
 * Replaces every registered secret with `***` in text the gate prints or writes, in every form a server
 * or a tool is likely to pass it on in, and the credentials of every URL in that text.
 *
 * The runner masks what it is told about through `::add-mask::`, but the CLI has no runner, and files
 * (the JSON report) are never masked by anyone else, so the gate masks everything itself. Each form is
 * also handed to `onForm` (the action passes `core.setSecret`), so the runner masks the same forms in
 * whatever else reaches the log.
 */
export class Masker {
  private readonly secrets = new Set<string>();
  /** The random-looking words of the secrets, whose fragments are masked too (see `maskFragments`). */
  private readonly tokens = new Set<string>();

  /** Secrets shorter than this would mask ordinary words; the runner applies the same idea. */
  static readonly MIN_SECRET_LENGTH = 4;
  /** Encoded forms shorter than this are skipped: a few base64 characters occur by chance in any blob. */
  static readonly MIN_ENCODED_LENGTH = 6;
  /** Any run this long of a token's characters is masked: what survives a clipped message is too little to use. */
  static readonly FRAGMENT_LENGTH = 8;
  /** Tokens shorter than this, or without both letters and digits, are words or numbers; only the whole is masked. */
  static readonly MIN_TOKEN_LENGTH = 12;

  constructor(private readonly onForm: (form: string) => void = () => undefined) {}

  add(secret: string | undefined): void {
    const trimmed = secret?.trim();
    if (!trimmed || trimmed.length < Masker.MIN_SECRET_LENGTH) return;
    for (const form of formsOf(trimmed)) {
      if (this.secrets.has(form)) continue;
      this.secrets.add(form);
      this.onForm(form);
    }
    // The encoded forms are as random as the secret, so a clipped copy of one is masked like a clipped token.
    for (const token of [...trimmed.split(/\s+/), ...encodedFormsOf(trimmed)]) {
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
    return maskUrlCredentials(masked);
  }

  /**
   * Masks every string, and every key, inside a JSON-compatible value, for reports written to disk.
   * Masking the serialised text instead would miss a secret JSON escapes (one with `"` or `\`), and could
   * break the JSON when a secret matches a number or a literal (`1000`, `null`).
   *
   * Only what masking changes is copied; the rest is shared with `value`. A report holds every listed
   * tool, and a copy of 100,000 of them (or of an 8 MB description) is what made a hostile server's
   * report cost more memory than its checks.
   */
  maskDeep<T>(value: T): T {
    const masked = this.maskJson(value);
    return (masked === undefined ? null : masked) as T;
  }

  /** `value` as JSON.stringify would see it, masked; the same object when nothing in it changed. */
  private maskJson(value: unknown): unknown {
    const json = typeof (value as { toJSON?: unknown } | null)?.toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
    if (typeof json === 'string') return this.mask(json);
    if (typeof json === 'function' || typeof json === 'symbol') return undefined;
    if (json === null || typeof json !== 'object') return json;
    if (Array.isArray(json)) {
      const items = json.map((item) => this.maskJson(item) ?? null);
      return items.every((item, index) => item === json[index]) ? json : items;
    }
    return this.maskObject(json as Record<string, unknown>);
  }

  private maskObject(json: Record<string, unknown>): Record<string, unknown> {
    const entries: [string, unknown][] = [];
    // A class instance (a Map, an Error) is not what JSON makes of it: only a plain object is kept as is.
    const prototype: unknown = Object.getPrototypeOf(json);
    let changed = prototype !== Object.prototype && prototype !== null;
    for (const [key, item] of Object.entries(json)) {
      const masked = this.maskJson(item);
      const maskedKey = this.mask(key);
      if (masked !== item || maskedKey !== key) changed = true;
      if (masked !== undefined) entries.push([maskedKey, masked]);
    }
    return changed ? Object.fromEntries(entries) : json;
  }
}

/**
 * The forms a server most often echoes a value in: as is, inside JSON, URL- and form-encoded, and
 * base64- and base64url-encoded wherever it sits in the encoded bytes (see `base64At`).
 */
function formsOf(secret: string): string[] {
  const plain = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)];
  return [...new Set([...plain, ...encodedFormsOf(secret)])];
}

function encodedFormsOf(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const encoded = [bytes.toString('base64')];
  for (const offset of [0, 1, 2]) {
    const base64 = base64At(bytes, offset);
    encoded.push(base64, base64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...new Set(encoded.filter((form) => form.length >= Masker.MIN_ENCODED_LENGTH))];
}

/**
 * The base64 characters that encode `bytes` and nothing else when they follow `offset` (0, 1 or 2)
 * other bytes in a longer text: `base64("Bearer " + token)` puts the token at offset 1, and
 * `base64(user + ":" + password)` puts the password wherever the user's length leaves it. Each character
 * holds 6 bits; the first and last characters that share bits with the unknown neighbours are dropped,
 * as the runner's masker does for the same reason.
 */
function base64At(bytes: Buffer, offset: number): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
  return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
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
