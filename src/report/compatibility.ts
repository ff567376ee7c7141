import { FIRST_MODERN_REVISION } from '../session/session.js';
import { UNKNOWN_MODERN_REVISION, UNKNOWN_REVISION, type VersionProbe } from '../session/version-probe.js';

/** Which clients can use the server, per era, in words and as data. */
export interface Compatibility {
  /** "legacy clients: yes (2024-11-05…2025-11-25); 2026-07-28 clients: yes" */
  summary: string;
  legacy: ClientSupport;
  /** One per modern revision asked for that the server may serve; a single "no" when it speaks none. */
  modern: ClientSupport[];
}

export interface ClientSupport {
  /** Who: "legacy clients", "2026-07-28 clients". */
  clients: string;
  usable: boolean;
  /** The revisions that got their own version back. */
  versions: string[];
  /** The revisions asked for that did not. */
  refused: string[];
}

const UNKNOWN = [UNKNOWN_REVISION, UNKNOWN_MODERN_REVISION];

/**
 * Reads the matrix as a client would: a revision is usable when the server answered it with that same
 * version (a client of that revision disconnects on any other). The unknown versions asked only show how
 * the server refuses; they say nothing about who can connect. Revisions between two that work are not
 * asked by the default matrix: a server that answers the oldest and the latest is read as serving the range.
 */
export function describeCompatibility(matrix: readonly VersionProbe[]): Compatibility {
  const asked = (era: VersionProbe['era']) => matrix.filter((p) => p.era === era && !UNKNOWN.includes(p.requested));
  const legacy = supportOf('legacy clients', asked('legacy'));
  const modernRows = asked('modern');
  const modern = modernRows.length
    ? modernRows.map((row) => supportOf(`${row.requested} clients`, [row]))
    : [{ clients: `${FIRST_MODERN_REVISION} clients`, usable: false, versions: [], refused: [FIRST_MODERN_REVISION] }];
  return { summary: [legacy, ...modern].map(describeSupport).join('; '), legacy, modern };
}

function supportOf(clients: string, rows: readonly VersionProbe[]): ClientSupport {
  const sorted = [...rows].sort((a, b) => a.requested.localeCompare(b.requested));
  const versions = sorted.filter((p) => p.answered === p.requested).map((p) => p.requested);
  const refused = sorted.filter((p) => p.answered !== p.requested).map((p) => p.requested);
  return { clients, usable: versions.length > 0, versions, refused };
}

/** "legacy clients: yes (2024-11-05…2025-11-25)", "legacy clients: partly (2025-11-25; not 2024-11-05)", "2026-07-28 clients: no". */
export function describeSupport(support: ClientSupport): string {
  if (!support.usable) return `${support.clients}: no`;
  const isModern = support.clients.startsWith(support.versions[0]);
  if (!support.refused.length) return isModern ? `${support.clients}: yes` : `${support.clients}: yes (${range(support.versions)})`;
  return `${support.clients}: partly (${support.versions.join(', ')}; not ${support.refused.join(', ')})`;
}

function range(versions: readonly string[]): string {
  return versions.length === 1 ? versions[0] : `${versions[0]}…${versions.at(-1)}`;
}

/** What the server answered, for a table cell: the version, or the refusal with the versions it names. */
export function describeAnswer(probe: VersionProbe): string {
  if (probe.answered) return probe.answered;
  const supported = probe.supported?.length ? ` (supports ${probe.supported.join(', ')})` : '';
  const status = probe.status !== undefined ? `HTTP ${probe.status}, ` : '';
  return `${status}${probe.error ?? 'no answer'}${supported}`;
}
