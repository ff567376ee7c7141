import { countBySeverity, type Report } from './report.js';

/** The step outputs later steps read, as strings (the form `core.setOutput` writes). */
export function formatOutputs(report: Report, files: { report?: string; sarif?: string; junit?: string } = {}): Record<string, string> {
  const counts = countBySeverity(report.findings);
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
