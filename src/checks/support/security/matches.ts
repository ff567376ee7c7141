import type { IgnoreEntry } from '../../../config.js';
import type { Severity, Subject } from '../../types.js';
import { isIgnored } from './ignore.js';

/** One rule's evidence in one field of one tool, prompt or resource (or of the instructions, or a log). */
export interface Match {
  rule: string;
  severity: Severity;
  evidence: string;
  field: string;
  subject?: Subject;
  /** The credential a secrets match found, for the masker only: never quoted. */
  credential?: string;
}

/** Matches per subject, in the order found, without those the configuration file ignores. */
export function groupBySubject(matches: Match[], id: string, ignore: readonly IgnoreEntry[]): Match[][] {
  const groups = new Map<string, Match[]>();
  for (const match of matches) {
    if (isIgnored(ignore, id, match.subject, match.rule)) continue;
    const key = match.subject ? `${match.subject.kind}:${match.subject.name}` : match.field;
    const group = groups.get(key);
    if (group) group.push(match);
    else groups.set(key, [match]);
  }
  return [...groups.values()];
}

/** `tool "send_email"`, `the server's instructions`: what a finding is about, mid-sentence. */
export function ownerOf(match: Pick<Match, 'subject' | 'field'>): string {
  if (match.subject) return `${match.subject.kind} "${match.subject.name}"`;
  return `the server's ${match.field}`;
}

export function worstOf(matches: Match[]): Severity {
  return matches.some((m) => m.severity === 'error') ? 'error' : matches.some((m) => m.severity === 'warning') ? 'warning' : 'notice';
}
