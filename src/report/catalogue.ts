import { CHECKS } from '../checks/index.js';
import type { Check, CheckMeta } from '../checks/types.js';
import { INPUTS, type InputSpec } from '../inputs.js';
import { checkPagePath } from './check-pages.js';
import { OUTPUTS, type OutputSpec } from './outputs.js';

/**
 * The README's generated sections, by the name used in their markers. The checks', inputs' and outputs'
 * metadata is the only source: `npm run docs` writes these into README.md, and `npm run docs -- --check`
 * and a unit test fail when they drift.
 */
export const DOC_SECTIONS = {
  catalogue: () => formatCatalogue(CHECKS),
  troubleshooting: () => formatTroubleshooting(CHECKS),
  inputs: () => formatInputsTable(INPUTS),
  outputs: () => formatOutputsTable(OUTPUTS),
} as const satisfies Record<string, () => string>;

export type DocSection = keyof typeof DOC_SECTIONS;

/** One table per area (the id's prefix), areas and checks in registry order, which is the order they run in. */
export function formatCatalogue(checks: readonly Check[]): string {
  return groupByArea(checks)
    .map(([area, metas]) => [`### ${area}`, '', catalogueTable(metas)].join('\n'))
    .join('\n\n');
}

/**
 * The checks that explain a failed start or cleanup, which is what a reader hunting a red job needs: what
 * usually causes each (its `cause`, which the registry test requires of these checks) and the fix.
 */
export function formatTroubleshooting(checks: readonly Check[]): string {
  const rows = checks.filter(explainsFailedRun).map(({ meta }) => [linkId(meta), meta.cause ?? '—', meta.fix]);
  return formatTable(['Finding', 'Cause', 'Fix'], rows);
}

function explainsFailedRun(check: Check): boolean {
  return check.stage === 'startup' || check.stage === 'cleanup';
}

export function formatInputsTable(inputs: readonly InputSpec[]): string {
  const rows = inputs.map((input) => [code(input.name), input.description, input.default === undefined ? '—' : code(input.default)]);
  return formatTable(['Input', 'Description', 'Default'], rows);
}

export function formatOutputsTable(outputs: readonly OutputSpec[]): string {
  return formatTable(
    ['Output', 'Description'],
    outputs.map((output) => [code(output.name), output.description]),
  );
}

/** Rewrites every generated section of `markdown`; text outside the markers is left byte for byte. */
export function updateDocSections(markdown: string): string {
  return (Object.keys(DOC_SECTIONS) as DocSection[]).reduce((text, name) => replaceSection(text, name, DOC_SECTIONS[name]()), markdown);
}

/** Throws naming the marker, so a README edited by hand says exactly what it lost. */
export function replaceSection(markdown: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = findMarker(markdown, start);
  const to = findMarker(markdown, end);
  if (to < from) throw new Error(`README.md has "${end}" before "${start}"; the end marker must come after the start marker.`);
  // Blank lines around the body keep Markdown from gluing the table to the HTML comments.
  return `${markdown.slice(0, from + start.length)}\n\n${body}\n\n${markdown.slice(to)}`;
}

function findMarker(markdown: string, marker: string): number {
  const index = markdown.indexOf(marker);
  if (index === -1) throw new Error(`README.md is missing the marker "${marker}".`);
  if (markdown.indexOf(marker, index + 1) !== -1) throw new Error(`README.md has the marker "${marker}" more than once.`);
  return index;
}

function groupByArea(checks: readonly Check[]): [string, CheckMeta[]][] {
  const areas = new Map<string, CheckMeta[]>();
  for (const { meta } of checks) {
    const area = meta.id.split('.')[0];
    areas.set(area, [...(areas.get(area) ?? []), meta]);
  }
  return [...areas];
}

function catalogueTable(metas: readonly CheckMeta[]): string {
  const rows = metas.map((meta) => [linkId(meta), meta.severity, meta.since ?? '—', meta.description, meta.fix]);
  return formatTable(['Check', 'Severity', 'Since', 'What it checks', 'Fix'], rows);
}

/** To the check's generated page, which links the specification in turn. */
function linkId(meta: CheckMeta): string {
  return `[${code(meta.id)}](${checkPagePath(meta.id)})`;
}

function code(text: string): string {
  return `\`${text}\``;
}

function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** GitHub splits table cells on `|` even inside code spans, unless it is escaped; a newline would end the row. */
function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
