import { createHash } from 'node:crypto';
import type { Log, PhysicalLocation, ReportingDescriptor, Result, Run } from 'sarif';
import type { Check, CheckMeta, Finding, Location, Severity } from '../checks/types.js';
import { escapeSarifText } from './escape.js';
import { serverLabel, type Report } from './report.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where code scanning's "Tool" link points; follows the README's `OWNER/mcp-preflight` until the repository is named. */
export const INFORMATION_URI = 'https://github.com/OWNER/mcp-preflight';

/** Versioned so a change of the hashed fields starts a new series of alerts instead of mismatching old ones. */
export const FINGERPRINT_KEY = 'mcpPreflight/v1';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', notice: 'note' };

export interface SarifOptions {
  /** Where findings without a location of their own point, e.g. the workflow file that ran the gate. */
  fallbackLocation: Location;
}

/** A SARIF 2.1.0 log for GitHub code scanning: one rule per check, one result per finding. */
export function formatSarif(report: Report, checks: readonly Check[], options: SarifOptions): Log {
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [sarifRun(report, checks, options.fallbackLocation)] };
}

function sarifRun(report: Report, checks: readonly Check[], fallback: Location): Run {
  const rules = checks.map(({ meta }) => ruleFromMeta(meta));
  for (const f of report.findings) {
    if (!rules.some((rule) => rule.id === f.id)) rules.push(ruleFromFinding(f));
  }
  return {
    tool: { driver: { name: report.tool.name, version: report.tool.version, informationUri: INFORMATION_URI, rules } },
    results: report.findings.map((f) => toResult(f, rules.findIndex((rule) => rule.id === f.id), fallback)),
  };
}

/**
 * Several servers: a run each, told apart by `automationDetails.id` ("mcp-preflight/<server>/"), which
 * code scanning reads as the run's category, so each server's alerts are tracked and closed on their own.
 */
export function formatServersSarif(reports: readonly Report[], checks: readonly Check[], options: SarifOptions): Log {
  const ids = uniqueCategories(reports.map(serverLabel));
  const runs = reports.map((report, index) => ({ ...sarifRun(report, checks, options.fallbackLocation), automationDetails: { id: `${report.tool.name}/${ids[index]}/` } }));
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs };
}

/** A category per server, slashes taken out (they would split it) and a repeated name numbered. */
function uniqueCategories(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const base = name.replace(/[/\\\s]+/g, '-') || 'server';
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  });
}

function ruleFromMeta(meta: CheckMeta): ReportingDescriptor {
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: helpOf(meta),
    ...(meta.specUrl && { helpUri: meta.specUrl }),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { tags: tagsOf(meta.id), ...(meta.since && { since: meta.since }) },
  };
}

/** What code scanning shows under "Rule help": why it matters, what to do, where the specification says so. */
function helpOf(meta: CheckMeta): ReportingDescriptor['help'] {
  const text = [meta.why, `Fix: ${meta.fix}`];
  const markdown = [meta.why, `**Fix:** ${meta.fix}`];
  if (meta.specUrl) {
    text.push(`Specification: ${meta.specUrl}`);
    markdown.push(`[Specification](${meta.specUrl})`);
  }
  return { text: text.join('\n\n'), markdown: markdown.join('\n\n') };
}

/** Only for a finding whose check is not in the registry: its result still needs a rule to point at. */
function ruleFromFinding(f: Finding): ReportingDescriptor {
  return {
    id: f.id,
    name: ruleName(f.id),
    shortDescription: { text: f.title },
    defaultConfiguration: { level: LEVEL[f.severity] },
    properties: { tags: tagsOf(f.id) },
  };
}

/** SARIF wants an identifier-like name: "lifecycle.initialize-timeout" -> "LifecycleInitializeTimeout". */
function ruleName(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.length ? words.map((w) => w[0].toUpperCase() + w.slice(1)).join('') : id;
}

/** Code scanning filters alerts by tag; the area is the id's prefix, as in the README's catalogue. */
function tagsOf(id: string): string[] {
  return ['mcp', id.split('.')[0]];
}

function toResult(f: Finding, ruleIndex: number, fallback: Location): Result {
  const physicalLocation = toPhysicalLocation(f.location ?? fallback);
  const uri = physicalLocation.artifactLocation?.uri ?? '';
  return {
    ruleId: f.id,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: escapeSarifText(f.hint ? `${f.message}\n\nFix: ${f.hint}` : f.message) },
    // GitHub rejects the whole upload when a single result has no physical location.
    locations: [{ physicalLocation }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f, uri) },
  };
}

function toPhysicalLocation(location: Location): PhysicalLocation {
  const startLine = lineNumber(location.startLine) ?? 1;
  const endLine = lineNumber(location.endLine);
  return {
    artifactLocation: { uri: toRelativeUri(location.file) },
    region: { startLine, ...(endLine !== undefined && endLine >= startLine && { endLine }) },
  };
}

function lineNumber(line: number | undefined): number | undefined {
  return line !== undefined && Number.isInteger(line) && line >= 1 ? line : undefined;
}

/**
 * Code scanning matches a URI against the repository's paths: forward slashes, no "./", and each segment
 * percent-encoded so a space or "#" in a file name cannot turn into an invalid URI or a fragment.
 */
function toRelativeUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .split('/')
    .map(encodeURIComponent)
    .join('/');
}

/** Stable across runs for the same problem at the same place, so code scanning updates one alert instead of opening another. */
function fingerprint(f: Finding, uri: string): string {
  const firstLine = f.message.split('\n')[0];
  return createHash('sha256').update(`${f.id}\0${uri}\0${firstLine}`).digest('hex');
}
