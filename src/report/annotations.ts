import type { Finding, Severity } from '../checks/types.js';
import { showControls } from './escape.js';
import { serverLabel, type Report } from './report.js';

export interface Annotation {
  severity: Severity;
  title: string;
  message: string;
  file?: string;
  startLine?: number;
  endLine?: number;
}

/** GitHub shows at most this many annotations of each kind per step and silently drops the rest. */
export const ANNOTATIONS_PER_KIND = 10;

/**
 * One annotation per finding, titled by its check id. GitHub shows an annotation as plain text, so the
 * message needs no Markdown escaping; `@actions/core` encodes the newlines and `%` of the message, and
 * the `:` and `,` of the title and file, that would end the command. Control characters are shown as
 * escapes, as in the rest of the log. Past GitHub's limit, the last slot of each kind
 * summarises what did not fit, so nothing is lost without a trace.
 */
export function formatAnnotations(findings: Finding[]): Annotation[] {
  return budgeted(findings.map((finding) => ({ finding, title: finding.id })));
}

/**
 * Several servers share the one step's budget: each annotation's title names its server, and the
 * overflow note of a kind names the servers and checks that did not fit.
 */
export function formatServersAnnotations(reports: readonly Report[]): Annotation[] {
  return budgeted(
    reports.flatMap((report) => report.findings.map((finding) => ({ finding, title: `${serverLabel(report)}: ${finding.id}`, server: serverLabel(report) }))),
  );
}

interface Titled {
  finding: Finding;
  title: string;
  server?: string;
}

function budgeted(items: Titled[]): Annotation[] {
  const annotations: Annotation[] = [];
  for (const severity of ['error', 'warning', 'notice'] as const) {
    const ofKind = items.filter((item) => item.finding.severity === severity);
    const fits = ofKind.length <= ANNOTATIONS_PER_KIND ? ofKind : ofKind.slice(0, ANNOTATIONS_PER_KIND - 1);
    annotations.push(...fits.map(toAnnotation));
    const overflow = ofKind.slice(fits.length);
    if (overflow.length) {
      annotations.push({
        severity,
        title: `${overflow.length} more ${severity}s`,
        message: `GitHub shows ${ANNOTATIONS_PER_KIND} annotations of each kind; these are in the job summary and the report: ${[
          ...new Set(overflow.map(({ finding, server }) => (server ? `${server}: ${finding.id}` : finding.id))),
        ].join(', ')}`,
      });
    }
  }
  return annotations;
}

function toAnnotation({ finding, title }: Titled): Annotation {
  return {
    severity: finding.severity,
    title: showControls(title),
    message: showControls(finding.hint ? `${finding.message}\n\nFix: ${finding.hint}` : finding.message),
    file: finding.location?.file,
    startLine: finding.location?.startLine,
    endLine: finding.location?.endLine,
  };
}
