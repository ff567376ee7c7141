import { countBySeverity, type Report } from './report.js';

/** The step outputs later steps read, as strings (the form `core.setOutput` writes). */
export function formatOutputs(report: Report, files: { report?: string; sarif?: string; junit?: string } = {}): Record<string, string> {
  const counts = countBySeverity(report.findings);
  return {
    result: report.verdict,
    errors: String(counts.error),
    warnings: String(counts.warning),
    'protocol-version': report.server?.protocolVersion ?? '',
    'server-name': report.server?.name ?? '',
    'server-version': report.server?.version ?? '',
    tools: String(report.surface.tools.length),
    resources: String(report.surface.resources.length),
    prompts: String(report.surface.prompts.length),
    report: files.report ?? '',
    sarif: files.sarif ?? '',
    junit: files.junit ?? '',
  };
}
