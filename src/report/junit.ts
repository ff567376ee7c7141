import { newFindings, serverLabel, statusOf, type CheckResult, type Report, type ReportedFinding } from './report.js';

export interface JunitOptions {
  /** When the run started; the Report carries no clock, and a pure formatter must not read one. */
  timestamp?: Date;
}

interface TestCase {
  result: CheckResult;
  findings: ReportedFinding[];
}

/**
 * JUnit XML for test-report viewers: one suite for the server, one case per check. A check that failed
 * is a <failure>; warnings and notices go to <system-out> and do not fail the case, matching the check's
 * status ("warn" is not "fail"), so a viewer's red count equals the checks that failed. Accepted findings
 * (the `accepted` file) never fail a case: they are listed in <system-out>, marked as accepted.
 */
export function formatJunit(report: Report, options: JunitOptions = {}): string {
  return formatSuites([report], report.timings.totalMs, options);
}

/** Several servers: a testsuite each, named by its entry in servers-config. */
export function formatServersJunit(reports: readonly Report[], totalMs: number, options: JunitOptions = {}): string {
  return formatSuites(reports, totalMs, options, (report) => `${serverLabel(report)}: ${suiteName(report)}`);
}

function formatSuites(reports: readonly Report[], totalMs: number, options: JunitOptions, nameOf = suiteName): string {
  const suites = reports.map((report) => {
    const cases = testCases(report);
    const counts = countCases(cases);
    const open = attributes({
      name: nameOf(report),
      ...counts,
      time: seconds(report.timings.totalMs),
      timestamp: options.timestamp && isoSeconds(options.timestamp),
    });
    return { counts, lines: [`  <testsuite ${open}>`, propertiesOf(report), ...cases.map(formatCase), '  </testsuite>'].filter(Boolean) };
  });
  const total = (key: keyof ReturnType<typeof countCases>) => suites.reduce((sum, suite) => sum + suite.counts[key], 0);
  const counts = { tests: total('tests'), failures: total('failures'), errors: total('errors'), skipped: total('skipped') };
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({ name: reports[0]?.tool.name ?? 'mcp-preflight', ...counts, time: seconds(totalMs) })}>`,
    ...suites.flatMap((suite) => suite.lines),
    '</testsuites>',
    '',
  ].join('\n');
}

/** One case per check, plus one per finding id that matches no check, so no finding goes unreported. */
function testCases(report: Report): TestCase[] {
  const cases = report.checks.map((result) => ({ result, findings: report.findings.filter((f) => f.id === result.id) }));
  const known = new Set(report.checks.map((c) => c.id));
  const orphanIds = [...new Set(report.findings.map((f) => f.id))].filter((id) => !known.has(id));
  for (const id of orphanIds) {
    const findings = report.findings.filter((f) => f.id === id);
    cases.push({ result: { id, title: findings[0].title, status: statusOf(newFindings(findings)), durationMs: 0 }, findings });
  }
  return cases;
}

function countCases(cases: TestCase[]): { tests: number; failures: number; errors: number; skipped: number } {
  const count = (status: CheckResult['status']) => cases.filter((c) => c.result.status === status).length;
  return { tests: cases.length, failures: count('fail'), errors: 0, skipped: count('skip') };
}

function suiteName(report: Report): string {
  const { server, target } = report;
  return server ? `${server.name} ${server.version}` : (target.url ?? target.command ?? 'MCP server');
}

function propertiesOf(report: Report): string {
  const properties = [
    ['transport', report.target.transport],
    ['protocolVersion', report.server?.protocolVersion],
    ['target', report.target.url ?? report.target.command],
    ['verdict', report.verdict],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  if (!properties.length) return '';
  const lines = properties.map(([name, value]) => `      <property ${attributes({ name, value })}/>`);
  return ['    <properties>', ...lines, '    </properties>'].join('\n');
}

function formatCase({ result, findings }: TestCase): string {
  const open = `    <testcase ${attributes({ classname: `mcp-preflight.${result.id.split('.')[0]}`, name: result.id, time: seconds(result.durationMs) })}`;
  if (result.status === 'skip') return `${open}>\n      <skipped/>\n    </testcase>`;
  if (!findings.length) return `${open}/>`;
  return `${open}>\n      ${result.status === 'fail' ? failure(findings) : systemOut(findings)}\n    </testcase>`;
}

/** The attribute is what one-line viewers show, so it is the first line of the most severe finding. */
function failure(findings: ReportedFinding[]): string {
  const counted = newFindings(findings);
  const lead = counted.find((f) => f.severity === 'error') ?? counted[0] ?? findings[0];
  const message = lead.message.split('\n')[0];
  return `<failure ${attributes({ message, type: lead.severity })}>${escapeText(describeAll(findings))}</failure>`;
}

function systemOut(findings: ReportedFinding[]): string {
  return `<system-out>${escapeText(describeAll(findings))}</system-out>`;
}

function describeAll(findings: ReportedFinding[]): string {
  return findings
    .map((f) => `${f.state === 'accepted' ? 'ACCEPTED ' : ''}${f.severity.toUpperCase()} [${f.id}] ${f.message}${f.hint ? `\nFix: ${f.hint}` : ''}`)
    .join('\n\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** JUnit's schema wants a local date-time without a zone; UTC keeps it unambiguous. */
function isoSeconds(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function attributes(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${name}="${escapeAttribute(String(value))}"`)
    .join(' ');
}

/**
 * XML 1.0 cannot carry these at all, not even as character references, and server-controlled text may
 * contain them: C0 controls other than tab, newline and carriage return, lone surrogates, U+FFFE, U+FFFF.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point of this pattern.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' };

function escapeText(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"'\r]/g, (c) => ENTITIES[c]);
}

/** A parser turns raw tabs and newlines in an attribute into spaces; references keep them. */
function escapeAttribute(text: string): string {
  return escapeText(text).replace(/[\t\n]/g, (c) => (c === '\t' ? '&#9;' : '&#10;'));
}
