import { MAX_SCAN_CHARS } from './poisoning-rules.js';
import { redact } from './text.js';

/** Credentials reported per text: a text made of nothing else needs no more to be revoked, and overlaps are checked pairwise. */
const MAX_MATCHES = 50;

/**
 * The credential formats security.secrets-exposed recognises. Each pattern's last capture group is the
 * secret; what precedes it in the match (`api_key = `, `Bearer `) is kept in the evidence for context.
 */
export interface SecretPattern {
  rule: string;
  /** What a person would call it: "GitHub token". */
  label: string;
  pattern: RegExp;
  /** For formats without a fixed prefix: whether the value looks like a real secret rather than prose. */
  plausible?: (value: string) => boolean;
  /** For the private-key header, which is a marker and not itself secret: quoted whole. */
  quoteWhole?: boolean;
}

export interface SecretMatch {
  rule: string;
  label: string;
  /** The match with the secret redacted to its first four characters: `api_key = abcd… (32 characters)`. */
  evidence: string;
  /** The credential itself, for the masker only, never quoted; absent where the match is a marker (a key's header). */
  value?: string;
}

/** Values written as placeholders in documentation: `AKIAIOSFODNN7EXAMPLE`, `sk-xxxxxxxx`, `<your-key>`. */
export function isPlaceholder(value: string): boolean {
  return /example|sample|dummy|placeholder|your[-_ ]?|redacted|changeme|x{6,}|\*{3,}|\.{3}|…|[<>{}]|(.)\1{7,}/i.test(value);
}

/** Bits of information per character, over the characters the value uses. */
export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}

/**
 * Random-looking: letters and digits mixed with high entropy. Random base62 of 16+ characters measures
 * about 3.7 bits or more; words and identifiers ("the_access_token_value") stay lower or lack digits.
 */
export function looksRandom(value: string): boolean {
  return value.length >= 16 && /\d/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= 3.5 && !isPlaceholder(value);
}

const notPlaceholder = (value: string) => !isPlaceholder(value);

/** Specific formats first: where two overlap (a JWT after `Bearer`), the more telling name is kept. */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  {
    rule: 'private-key',
    label: 'private key',
    // The header alone is how documentation names the format; key material after it is a key.
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?=\s*(?:[A-Za-z0-9+/=]{40,}|Proc-Type:))/g,
    quoteWhole: true,
  },
  { rule: 'aws-access-key', label: 'AWS access key id', pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b/g, plausible: notPlaceholder },
  {
    rule: 'github-token',
    label: 'GitHub token',
    pattern: /\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
    plausible: notPlaceholder,
  },
  { rule: 'stripe-key', label: 'Stripe live key', pattern: /\b((?:sk|rk)_live_[0-9A-Za-z]{16,})\b/g, plausible: notPlaceholder },
  { rule: 'slack-token', label: 'Slack token', pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,})/g, plausible: notPlaceholder },
  { rule: 'google-api-key', label: 'Google API key', pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g, plausible: notPlaceholder },
  {
    rule: 'openai-key',
    label: 'OpenAI-style secret key',
    pattern: /(?<![\w-])(sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d{2}-)?[A-Za-z0-9_-]{20,})/g,
    plausible: (value) => looksRandom(value.replace(/^sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\d{2}-)?/, '')),
  },
  { rule: 'jwt', label: 'JSON Web Token', pattern: /\b(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*)/g, plausible: notPlaceholder },
  {
    rule: 'generic-api-key',
    label: 'API key or secret',
    pattern:
      /\b(?:x-)?(?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|secret[_-]?key|client[_-]?secret|private[_-]?key|passw(?:or)?d)\b["']?\s*[:=]\s*["']?([A-Za-z0-9_\-+/.=]{16,})/gi,
    plausible: looksRandom,
  },
  { rule: 'bearer-token', label: 'bearer token', pattern: /\bBearer\s+([A-Za-z0-9\-._~+/]{20,}=*)/g, plausible: looksRandom },
];

/** Every credential in the first MAX_SCAN_CHARS characters of `whole`, each once, redacted. */
export function findSecrets(whole: string): SecretMatch[] {
  const text = whole.length > MAX_SCAN_CHARS ? whole.slice(0, MAX_SCAN_CHARS) : whole;
  const taken: [number, number][] = [];
  const matches: SecretMatch[] = [];
  for (const { rule, label, pattern, plausible, quoteWhole } of SECRET_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      if (matches.length >= MAX_MATCHES) return matches;
      const value = m[m.length - 1] ?? m[0];
      const start = (m.index ?? 0) + m[0].lastIndexOf(value);
      const end = start + value.length;
      if (taken.some(([s, e]) => start < e && end > s) || (plausible && !plausible(value))) continue;
      taken.push([start, end]);
      const context = m[0].slice(0, m[0].lastIndexOf(value)).replace(/\s+/g, ' ');
      const evidence = quoteWhole ? m[0] : `${context}${redact(value)} (${value.length} characters)`;
      matches.push({ rule, label, evidence, value: quoteWhole ? undefined : value });
    }
  }
  return matches;
}
