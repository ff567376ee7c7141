import type { Severity } from './findings.js';

/**
 * The accepted-findings file (`mcp-preflight.accepted.json`): the findings a team has looked at and
 * chosen to live with for now, by fingerprint (see report/fingerprint.ts). Written by
 * `mcp-preflight --accept-current`, read through the `accepted` input. Sorted and free of anything that
 * changes between runs, so that it reviews well in a pull request and only changes when findings do.
 *
 * {
 *   "format": 1,
 *   "accepted": [
 *     { "fingerprint": "3f0c…", "check": "tools.description", "subject": "tool:search", "severity": "warning",
 *       "evidence": "The tool \"search\" has no description…", "note": "why we live with it (optional)" }
 *   ]
 * }
 *
 * Only `fingerprint` is compared; `check`, `subject`, `severity` and `evidence` say what it stands for.
 */
export const ACCEPTED_FORMAT = 1;

export const ACCEPTED_FILE_NAME = 'mcp-preflight.accepted.json';

export interface AcceptedEntry {
  fingerprint: string;
  check: string;
  /** "tool:name", "prompt:name" or "resource:name"; absent for a finding about the server as a whole. */
  subject?: string;
  severity?: Severity;
  /** The normalised first line of the finding the fingerprint was taken from. */
  evidence?: string;
  /** Why the team accepted it; kept when the file is written again. */
  note?: string;
}

export interface AcceptedFindings {
  /** The file, as given, for messages. */
  source: string;
  entries: AcceptedEntry[];
}

const FINGERPRINT = /^[0-9a-f]{16}$/;
const SEVERITIES: readonly string[] = ['error', 'warning', 'notice'];
const ENTRY_KEYS: readonly string[] = ['fingerprint', 'check', 'subject', 'severity', 'evidence', 'note'];

/** Thrown with a message that names the entry and the field; the caller names the file and the input. */
export class AcceptedFileError extends Error {}

export function parseAcceptedFile(text: string): AcceptedEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new AcceptedFileError(`is not JSON (${(error as Error).message})`);
  }
  if (!isObject(data)) throw new AcceptedFileError('must be a JSON object with "format" and "accepted"');
  if (data.format !== ACCEPTED_FORMAT) {
    throw new AcceptedFileError(
      `has "format": ${JSON.stringify(data.format)}; this version of mcp-preflight reads format ${ACCEPTED_FORMAT}. Write it again with --accept-current`,
    );
  }
  if (!Array.isArray(data.accepted)) throw new AcceptedFileError('needs "accepted": a list of entries (an empty list accepts nothing)');
  return data.accepted.map((entry, index) => parseEntry(entry, index));
}

function parseEntry(entry: unknown, index: number): AcceptedEntry {
  const where = `accepted[${index}]`;
  if (!isObject(entry)) throw new AcceptedFileError(`${where} must be an object with "fingerprint" and "check"`);
  const unknown = Object.keys(entry).filter((key) => !ENTRY_KEYS.includes(key));
  if (unknown.length)
    throw new AcceptedFileError(`${where} has unknown field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; known fields are ${ENTRY_KEYS.join(', ')}`);
  const { fingerprint, check, subject, severity, evidence, note } = entry;
  if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint)) {
    throw new AcceptedFileError(`${where}.fingerprint must be 16 lowercase hex digits, as --accept-current writes it; got ${JSON.stringify(fingerprint)}`);
  }
  if (typeof check !== 'string' || !check) throw new AcceptedFileError(`${where}.check must be the id of a check, e.g. "tools.description"`);
  for (const [name, value] of Object.entries({ subject, evidence, note })) {
    if (value !== undefined && typeof value !== 'string') throw new AcceptedFileError(`${where}.${name} must be a string`);
  }
  if (severity !== undefined && !SEVERITIES.includes(severity as string)) {
    throw new AcceptedFileError(`${where}.severity must be one of ${SEVERITIES.join(', ')}; got ${JSON.stringify(severity)}`);
  }
  return {
    fingerprint,
    check,
    ...(subject !== undefined && { subject: subject as string }),
    ...(severity !== undefined && { severity: severity as Severity }),
    ...(evidence !== undefined && { evidence: evidence as string }),
    ...(note !== undefined && { note: note as string }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's text: entries sorted by check, subject and fingerprint, fields in one order, a final newline. */
export function formatAcceptedFile(entries: readonly AcceptedEntry[]): string {
  const sorted = [...entries].sort(
    (a, b) =>
      compare(a.check, b.check) ||
      compare(a.subject ?? '', b.subject ?? '') ||
      compare(a.fingerprint, b.fingerprint) ||
      compare(a.evidence ?? '', b.evidence ?? ''),
  );
  const ordered = sorted.map((entry) => {
    const fields: [string, unknown][] = ENTRY_KEYS.map((key) => [key, entry[key as keyof AcceptedEntry]]);
    return Object.fromEntries(fields.filter(([, value]) => value !== undefined));
  });
  return `${JSON.stringify({ format: ACCEPTED_FORMAT, accepted: ordered }, null, 2)}\n`;
}

/** Code-point order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
