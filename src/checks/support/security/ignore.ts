import type { IgnoreEntry } from '../../../config.js';
import type { Subject } from '../../types.js';

/**
 * Whether the configuration file silences `rule` of check `id` for this subject: a reviewed false
 * positive. Findings without a subject (the server's instructions, its logs) cannot be silenced this
 * way; the check's severity can.
 */
export function isIgnored(ignore: readonly IgnoreEntry[], id: string, subject: Subject | undefined, rule: string): boolean {
  if (!subject) return false;
  return ignore.some((entry) => entry.id === id && entry[subject.kind] === subject.name && (entry.rule === undefined || entry.rule === rule));
}
