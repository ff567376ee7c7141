/**
 * The vocabulary every layer speaks about a finding: what checks produce, what the accepted-findings file and
 * the configuration name, what reporters format. It lives below them all (see __tests__/unit/layers.test.ts),
 * so the settings can name a severity without reaching up to the checks.
 */

export type Severity = 'error' | 'warning' | 'notice';

export interface Location {
  file: string;
  startLine?: number;
  endLine?: number;
}

/** The tool, prompt or resource a finding is about, so reporters can point at its definition. */
export type SubjectKind = 'tool' | 'prompt' | 'resource';

export interface Subject {
  kind: SubjectKind;
  name: string;
}

export interface Finding {
  id: string;
  severity: Severity;
  title: string;
  message: string;
  hint?: string;
  subject?: Subject;
  location?: Location;
  /**
   * What tells this finding from others of its check across runs, when the message's first line does not
   * (see report/fingerprint.ts): e.g. the method a latency finding is about, without its figures.
   */
  fingerprintKey?: string;
}
