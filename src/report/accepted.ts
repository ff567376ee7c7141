import type { AcceptedEntry, AcceptedFindings } from '../accepted-file.js';
import type { FailOn } from '../settings.js';
import { evidenceOf, fingerprintOf, subjectLabel } from './fingerprint.js';
import { newFindings, reachesThreshold, statusOf, type Report, type ReportedFinding } from './report.js';

/**
 * Compares a masked report with the accepted-findings file: each finding gets its fingerprint and is
 * `accepted` when the file lists it, else `new`; entries that match nothing are `fixed`. Only new
 * findings decide the verdict and the checks' statuses. Without a file every finding is new.
 *
 * An entry accepts one finding: two identical findings need two entries, so a second copy of an accepted
 * problem is still new.
 */
export function applyAccepted(report: Report, accepted: AcceptedFindings | undefined, failOn: FailOn): Report {
  const remaining = new Map<string, AcceptedEntry[]>();
  for (const entry of accepted?.entries ?? []) remaining.set(entry.fingerprint, [...(remaining.get(entry.fingerprint) ?? []), entry]);
  const findings: ReportedFinding[] = report.findings.map((f) => {
    const fingerprint = fingerprintOf(f);
    const matches = remaining.get(fingerprint);
    return { ...f, fingerprint, state: matches?.shift() ? 'accepted' : 'new' };
  });
  const counted = newFindings(findings);
  const checks = report.checks.map((c) => {
    const own = findings.filter((f) => f.id === c.id);
    return own.length && c.status !== 'skip' ? { ...c, status: statusOf(counted.filter((f) => f.id === c.id)) } : c;
  });
  const unmatched = [...remaining.values()].flat();
  const ran = (entry: AcceptedEntry) => report.server !== undefined || checks.some((c) => c.id === entry.check && c.status !== 'skip');
  return {
    ...report,
    verdict: counted.some((f) => reachesThreshold(f.severity, failOn)) ? 'fail' : 'pass',
    checks,
    findings,
    ...(accepted && {
      accepted: {
        file: accepted.source,
        accepted: findings.length - counted.length,
        fixed: unmatched.filter(ran),
        unchecked: unmatched.filter((e) => !ran(e)).length,
      },
    }),
  };
}

/**
 * The accepted-findings file for every finding of this run, for `--accept-current`. Notes written in the
 * previous file are kept for the findings that are still there.
 */
export function acceptedEntriesOf(report: Report, previous?: AcceptedFindings): AcceptedEntry[] {
  const notes = new Map((previous?.entries ?? []).filter((e) => e.note).map((e) => [e.fingerprint, e.note]));
  return report.findings.map((f) => {
    const fingerprint = f.fingerprint ?? fingerprintOf(f);
    const subject = subjectLabel(f);
    const note = notes.get(fingerprint);
    return { fingerprint, check: f.id, ...(subject && { subject }), severity: f.severity, evidence: evidenceOf(f), ...(note && { note }) };
  });
}
