import { countBySeverity, newFindings, type Report } from './report.js';

export interface OutputSpec {
  name: string;
  description: string;
}

/**
 * Every step output of the action: the one list `npm run docs` writes action.yml's `outputs` and the
 * README's outputs table from. `formatOutputs` must set each of them but `comment-url`, which main.ts
 * sets once the comment is posted; the types hold both to this list.
 */
export const OUTPUTS = [
  { name: 'result', description: '`pass` or `fail`; with several servers, `fail` when any failed.' },
  { name: 'errors', description: 'Number of new error findings (accepted ones do not count), summed over the servers.' },
  { name: 'warnings', description: 'Number of new warning findings (accepted ones do not count), summed over the servers.' },
  {
    name: 'era',
    description:
      'The protocol eras the server speaks: `legacy` (2025-11-25 and earlier, the initialize handshake), `modern` (2026-07-28, server/discover) or `dual` (both); empty when it did not connect.',
  },
  {
    name: 'protocol-version',
    description: "Protocol version the server negotiated (empty when the handshake failed); with several servers, each one's, comma-separated in their order.",
  },
  { name: 'server-name', description: "The server's `serverInfo.name`; with several servers, each one's, comma-separated in their order." },
  { name: 'server-version', description: "The server's `serverInfo.version`; with several servers, each one's, comma-separated in their order." },
  { name: 'tools', description: 'Number of tools the server lists, summed over the servers.' },
  { name: 'resources', description: 'Number of resources the server lists, summed over the servers.' },
  { name: 'prompts', description: 'Number of prompts the server lists, summed over the servers.' },
  { name: 'report', description: 'Absolute path of the JSON report, when `report` was set.' },
  { name: 'sarif', description: 'Absolute path of the SARIF file, when `sarif` was set.' },
  { name: 'junit', description: 'Absolute path of the JUnit XML file, when `junit` was set.' },
  { name: 'comment-url', description: 'URL of the pull-request comment, when one was created or updated.' },
] as const satisfies readonly OutputSpec[];

export type OutputName = (typeof OUTPUTS)[number]['name'];

/** The output main.ts sets after posting the pull-request comment; every other one comes from the report. */
export const COMMENT_URL_OUTPUT = 'comment-url' satisfies OutputName;

export type ReportOutputName = Exclude<OutputName, typeof COMMENT_URL_OUTPUT>;

/** The step outputs later steps read, as strings (the form `core.setOutput` writes). */
export function formatOutputs(report: Report, files: { report?: string; sarif?: string; junit?: string } = {}): Record<ReportOutputName, string> {
  // Accepted findings do not count: a later step that fails on `errors` agrees with the verdict.
  const counts = countBySeverity(newFindings(report.findings));
  return {
    result: report.verdict,
    errors: String(counts.error),
    warnings: String(counts.warning),
    'protocol-version': fromServer(report.server?.protocolVersion),
    era: report.server?.era ?? '',
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
export function formatServersOutputs(
  reports: readonly Report[],
  files: { report?: string; sarif?: string; junit?: string } = {},
): Record<ReportOutputName, string> {
  const sum = (count: (report: Report) => number) => String(reports.reduce((total, report) => total + count(report), 0));
  const list = (value: (report: Report) => string | undefined) => reports.map((report) => fromServer(value(report)).replace(/,/g, '_')).join(',');
  return {
    result: reports.some((r) => r.verdict === 'fail') ? 'fail' : 'pass',
    errors: sum((r) => countBySeverity(newFindings(r.findings)).error),
    warnings: sum((r) => countBySeverity(newFindings(r.findings)).warning),
    era: list((r) => r.server?.era),
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
