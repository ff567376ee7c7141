import { createHash } from 'node:crypto';
import type { Finding } from '../checks/types.js';

/**
 * A finding's identity across runs: the check, its subject, and the stable part of its evidence.
 *
 * The evidence is the check's `fingerprintKey` when it gives one, else the first line of the (masked)
 * message with whatever changes from run to run on the same server normalised away: timestamps, random
 * ids, URL hosts and ports, process ids, temporary paths, durations, sizes and other numbers. The lines
 * below the first quote logs and answers (stderr tails, stdout noise) and are left out. A secret is
 * never an input: findings are masked before they are fingerprinted, and only the hash is compared.
 *
 * Erring towards "the same finding" is deliberate: a finding that looks new on a re-run of an unchanged
 * server would fail the gate falsely, which is worse than an accepted finding that changed its numbers.
 */

/** Bumped when the hashed fields change, so an old accepted file reports its entries as fixed instead of mismatching silently. */
export const FINGERPRINT_VERSION = 1;

/** The evidence kept in an accepted file, for the reader; the hash is what is compared. */
export const MAX_EVIDENCE_LENGTH = 200;

/** Replacements applied in order: the specific shapes first, so the general number rule never sees their digits. */
const RULES: [RegExp, string | ((...groups: string[]) => string)][] = [
  // ISO date-times and clock times (log lines, Date headers).
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<time>'],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, '<time>'],
  // Temporary files and directories: os.tmpdir(), a runner's _temp, macOS's per-user folders.
  [/(?:[A-Za-z]:)?[\\/](?:[^\s"'`\\/]+[\\/])*?(?:tmp|temp|_temp|T)[\\/][^\s"'`)\]]*/gi, '<tmp>'],
  // UUIDs, long hex runs (session ids, hashes) and long random-looking tokens.
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>'],
  [/\b[0-9a-f]{16,}\b/gi, '<id>'],
  [/[A-Za-z0-9_-]{24,}/g, (token) => (/\d/.test(token) && /[a-z]/.test(token) && /[A-Z]/.test(token) ? '<id>' : token)],
  // A URL's authority: the port a test or a runner picked, the host of a preview deployment.
  [/\b([a-z][a-z0-9+.-]*):\/\/[^\s/?#"'`<>()[\]]+/gi, (_url, scheme) => `${scheme.toLowerCase()}://<host>`],
  [/\b(?:localhost|\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:.]+\]):\d{1,5}\b/gi, '<host>:<port>'],
  [/\b(pid|port)\b[\s:=#]*\d+/gi, (_match, word) => `${word.toLowerCase()} <n>`],
  [/\b\d+(?:\.\d+)?\s?(?:ms|milliseconds?|s|secs?|seconds?|min|minutes?)\b/g, '<duration>'],
  [/\b\d+(?:\.\d+)?\s?(?:bytes?|B|KiB|MiB|GiB|kB|KB|MB|GB)\b/g, '<size>'],
  // Other numbers (counts, versions, exit codes), except protocol revisions (2025-11-25), JSON-RPC error
  // codes and HTTP statuses, which tell one problem from another.
  [
    /(\b\d{4}-\d{2}-\d{2}\b)|(-32\d{3}\b)|(?<![\p{L}\p{N}_])\d+(?:\.\d+)*(?![\p{L}\p{N}_])/gu,
    (number, revision, code) => revision ?? code ?? (/^[1-5]\d\d$/.test(number) ? number : '#'),
  ],
];

/** The stable part of a text: run-varying parts replaced by placeholders, whitespace collapsed. */
export function normaliseEvidence(text: string): string {
  let normalised = text;
  for (const [pattern, replacement] of RULES) {
    normalised = normalised.replace(pattern, replacement as (substring: string, ...args: string[]) => string);
  }
  return normalised.replace(/\s+/g, ' ').trim();
}

/** What a finding's fingerprint is computed from, readable: the accepted file shows it beside the hash. */
export function evidenceOf(finding: Pick<Finding, 'message' | 'fingerprintKey'>): string {
  const source = finding.fingerprintKey ?? finding.message.split('\n')[0];
  const normalised = normaliseEvidence(source);
  return normalised.length > MAX_EVIDENCE_LENGTH ? `${normalised.slice(0, MAX_EVIDENCE_LENGTH)}…` : normalised;
}

/** "tool:get_weather", or "" for a finding about the server as a whole. */
export function subjectLabel(finding: Pick<Finding, 'subject'>): string {
  return finding.subject ? `${finding.subject.kind}:${finding.subject.name}` : '';
}

/** 16 hex digits: check id, subject and evidence, hashed. The hash of the full normalised text, not the clipped one. */
export function fingerprintOf(finding: Pick<Finding, 'id' | 'subject' | 'message' | 'fingerprintKey'>): string {
  const evidence = normaliseEvidence(finding.fingerprintKey ?? finding.message.split('\n')[0]);
  return createHash('sha256')
    .update([`v${FINGERPRINT_VERSION}`, finding.id, subjectLabel(finding), evidence].join('\0'))
    .digest('hex')
    .slice(0, 16);
}
