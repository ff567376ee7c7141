import { readFileSync } from 'node:fs';
import type { Report } from './report/report.js';

/** A file `merge` cannot use: the message names the file and what is wrong with it. */
export class MergeError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'MergeError';
  }
}

/** Reading a JSON report is reading a file someone uploaded: a report far larger than any real one is refused. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;

const HOW_TO_WRITE = 'write one per server with --report PATH (the report input of the action)';

/**
 * The per-server reports of the given JSON files, in the order given: each file holds one server's
 * report, or `{"servers": [...]}` from a many-server run.
 */
export function readReports(files: readonly string[]): Report[] {
  if (!files.length) throw new MergeError('merge', `no report files given; ${HOW_TO_WRITE}, then run merge reports/*.json`);
  return files.flatMap(readReportFile);
}

function readReportFile(file: string): Report[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MergeError(file, code === 'ENOENT' ? `no such file; did the download step put the reports there? (${HOW_TO_WRITE})` : (error as Error).message);
  }
  if (text.length > MAX_REPORT_BYTES) throw new MergeError(file, `is ${text.length} bytes; a JSON report is far smaller, so this is not one`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MergeError(file, `is not JSON (${(error as Error).message}); ${HOW_TO_WRITE}`);
  }
  if (isObject(value) && Array.isArray(value.servers)) {
    if (!value.servers.length) throw new MergeError(file, '"servers" is empty: the run that wrote it verified no server');
    return value.servers.map((server, index) => checkReport(server, file, `servers[${index}]`));
  }
  return [checkReport(value, file, '')];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SEVERITIES = new Set(['error', 'warning', 'notice']);

/** The fields every reporter reads, checked so a wrong file fails here with its name, not later in a formatter. */
function checkReport(value: unknown, file: string, at: string): Report {
  const where = (field: string) => (at ? `${at}.${field}` : field);
  if (!isObject(value)) throw new MergeError(file, `${at || 'the file'} is not a JSON object; ${HOW_TO_WRITE}`);
  const problems: string[] = [];
  const expect = (ok: boolean, field: string, what: string) => {
    if (!ok) problems.push(`"${where(field)}" ${what}`);
  };
  const tool = value.tool;
  expect(isObject(tool) && typeof tool.name === 'string' && typeof tool.version === 'string', 'tool', 'is not {name, version}');
  expect(value.verdict === 'pass' || value.verdict === 'fail', 'verdict', 'is not "pass" or "fail"');
  expect(isObject(value.target), 'target', 'is not an object');
  expect(
    isObject(value.surface) &&
      ['tools', 'resources', 'resourceTemplates', 'prompts'].every((k) => Array.isArray((value.surface as Record<string, unknown>)[k])),
    'surface',
    'is not {tools, resources, resourceTemplates, prompts} lists',
  );
  expect(
    Array.isArray(value.checks) && value.checks.every((c) => isObject(c) && typeof c.id === 'string' && typeof c.status === 'string'),
    'checks',
    'is not a list of {id, status}',
  );
  expect(
    Array.isArray(value.findings) &&
      value.findings.every((f) => isObject(f) && typeof f.id === 'string' && SEVERITIES.has(f.severity as string) && typeof f.message === 'string'),
    'findings',
    'is not a list of {id, severity, message}',
  );
  expect(isObject(value.timings) && typeof value.timings.totalMs === 'number', 'timings', 'has no totalMs');
  expect(isObject(value.observations), 'observations', 'is not an object');
  expect(Array.isArray(value.triage), 'triage', 'is not a list');
  expect(Array.isArray(value.logs), 'logs', 'is not a list');
  if (problems.length) throw new MergeError(file, `is not an mcp-preflight JSON report: ${problems.join(', ')}; ${HOW_TO_WRITE}`);
  return value as unknown as Report;
}
