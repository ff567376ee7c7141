import { countBySeverity, type Report } from './report.js';

/** The step outputs later steps read, as strings (the form `core.setOutput` writes). */
export function formatOutputs(report: Report, files: { report?: string; sarif?: string; junit?: string } = {}): Record<string, string> {
  const counts = countBySeverity(report.findings);
  return {
    result: report.verdict,
    errors: String(counts.error),
    warnings: String(counts.warning),
    'protocol-version': fromServer(report.server?.protocolVersion),
    'server-name': fromServer(report.server?.name),
    'server-version': fromServer(report.server?.version),
    tools: String(report.surface.tools.length),
    resources: String(report.surface.resources.length),
    prompts: String(report.surface.prompts.length),
    report: files.report ?? '',
    sarif: files.sarif ?? '',
    junit: files.junit ?? '',
  };
}

/**
 * A value the server chose, for an output a workflow may paste into a `run:` script as
 * `${{ steps.gate.outputs.server-name }}`: quotes, `$`, backticks, `;`, `|`, `&`, redirections and
 * newlines there would be shell code the server wrote. Letters, digits, spaces and `._+@/:,=-` are
 * enough for any name or version; every other character becomes `_`.
 */
function fromServer(value: string | undefined): string {
  return (value ?? '').replace(/[^\p{L}\p{N}\p{M} ._+@/:,=-]/gu, '_');
}

/**
 * The same outputs for several servers, so a workflow written for one keeps working: `result` is the
 * worst verdict, the counts are summed over the servers, and `server-name`, `server-version` and
 * `protocol-version` list each server's value, comma-separated, in the order of the servers.
 */
export function formatServersOutputs(reports: readonly Report[], files: { report?: string; sarif?: string; junit?: string } = {}): Record<string, string> {
  const sum = (count: (report: Report) => number) => String(reports.reduce((total, report) => total + count(report), 0));
  const list = (value: (report: Report) => string | undefined) => reports.map((report) => fromServer(value(report)).replace(/,/g, '_')).join(',');
  return {
    result: reports.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    errors: sum((r) => countBySeverity(r.findings).error),
    warnings: sum((r) => countBySeverity(r.findings).warning),
    'protocol-version': list((r) => r.server?.protocolVersion),
    'server-name': list((r) => r.server?.name),
    'server-version': list((r) => r.server?.version),
    tools: sum((r) => r.surface.tools.length),
    resources: sum((r) => r.surface.resources.length),
    prompts: sum((r) => r.surface.prompts.length),
    report: files.report ?? '',
    sarif: files.sarif ?? '',
    junit: files.junit ?? '',
  };
}
