import { createHash } from 'node:crypto';
import type { Log, PhysicalLocation, ReportingDescriptor, Result, Run } from 'sarif';
import type { Check, CheckMeta, Finding, Location, Severity } from '../checks/types.js';
import type { AcceptedEntry } from '../accepted-file.js';
import { checkPageUrl, REPOSITORY_URL } from './check-pages.js';
import { escapeSarifText } from './escape.js';
import { fingerprintOf } from './fingerprint.js';
import { serverLabel, type Report, type ReportedFinding } from './report.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** Where code scanning's "Tool" link points: the repository. */
export const INFORMATION_URI = REPOSITORY_URL;

/**
 * Versioned so a change of the hashed fields starts a new series of alerts instead of mismatching old ones.
 * v2 hashes the finding's fingerprint (report/fingerprint.ts: no ports, durations or pids) with its file.
 */
export const FINGERPRINT_KEY = 'mcpPreflight/v2';
/** The finding's fingerprint alone, as the accepted-findings file records it. */
export const FINDING_FINGERPRINT_KEY = 'mcpPreflightFinding/v1';

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
    results: [
      ...report.findings.map((f) =>
        withBaselineState(
          report,
          f,
          toResult(
            f,
            rules.findIndex((rule) => rule.id === f.id),
            fallback,
          ),
        ),
      ),
      ...(report.accepted?.fixed ?? []).map((entry) => fixedResult(entry, report.accepted?.file ?? '', rules, fallback)),
    ],
  };
}

/**
 * Several servers: a run each, told apart by `automationDetails.id` ("mcp-preflight/<server>/"), which
 * code scanning reads as the run's category, so each server's alerts are tracked and closed on their own.
 */
export function formatServersSarif(reports: readonly Report[], checks: readonly Check[], options: SarifOptions): Log {
  const ids = uniqueCategories(reports.map(serverLabel));
  const runs = reports.map((report, index) => ({
    ...sarifRun(report, checks, options.fallbackLocation),
    automationDetails: { id: `${report.tool.name}/${ids[index]}/` },
  }));
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
    // The check's generated page (docs/checks/<id>.md): every check has one, the specification link is on it.
    helpUri: checkPageUrl(meta.id),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: { tags: tagsOf(meta.id), ...(meta.since && { since: meta.since }) },
  };
}

/** What code scanning shows under "Rule help": why it matters, what usually causes it, what to do, where the specification says so. */
function helpOf(meta: CheckMeta): ReportingDescriptor['help'] {
  const text = [meta.why, ...(meta.cause ? [`Usual cause: ${meta.cause}`] : []), `Fix: ${meta.fix}`];
  const markdown = [meta.why, ...(meta.cause ? [`**Usual cause:** ${meta.cause}`] : []), `**Fix:** ${meta.fix}`];
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

/**
 * With an accepted-findings file, each result says whether it is new or was accepted ("unchanged"); an
 * accepted one is also suppressed externally, as the team decided to live with it.
 */
function withBaselineState(report: Report, f: ReportedFinding, result: Result): Result {
  if (!report.accepted) return result;
  if (f.state !== 'accepted') return { ...result, baselineState: 'new' };
  return { ...result, baselineState: 'unchanged', suppressions: [{ kind: 'external', justification: `Accepted in ${report.accepted.file}` }] };
}

/** An accepted entry that matched nothing: "absent", a pass, so the accepted file can lose it. */
function fixedResult(entry: AcceptedEntry, file: string, rules: ReportingDescriptor[], fallback: Location): Result {
  const ruleIndex = rules.findIndex((rule) => rule.id === entry.check);
  const message = `Fixed since accepted: ${entry.evidence ?? entry.check}. Remove the entry ${entry.fingerprint} from ${file}.`;
  return {
    ruleId: entry.check,
    ...(ruleIndex >= 0 && { ruleIndex }),
    kind: 'pass',
    level: 'none',
    baselineState: 'absent',
    message: { text: escapeSarifText(message) },
    locations: [{ physicalLocation: toPhysicalLocation(fallback) }],
    partialFingerprints: { [FINDING_FINGERPRINT_KEY]: entry.fingerprint },
  };
}

function toResult(f: ReportedFinding, ruleIndex: number, fallback: Location): Result {
  const physicalLocation = toPhysicalLocation(f.location ?? fallback);
  const uri = physicalLocation.artifactLocation?.uri ?? '';
  const findingFingerprint = f.fingerprint ?? fingerprintOf(f);
  return {
    ruleId: f.id,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: escapeSarifText(f.hint ? `${f.message}\n\nFix: ${f.hint}` : f.message) },
    // GitHub rejects the whole upload when a single result has no physical location.
    locations: [{ physicalLocation }],
    partialFingerprints: { [FINGERPRINT_KEY]: locatedFingerprint(findingFingerprint, uri), [FINDING_FINGERPRINT_KEY]: findingFingerprint },
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
function locatedFingerprint(findingFingerprint: string, uri: string): string {
  return createHash('sha256').update(`${findingFingerprint}\0${uri}`).digest('hex');
}
