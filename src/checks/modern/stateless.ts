import type { RawModernConnection } from '../../session/modern-requests.js';
import { LIST_METHODS, type Session } from '../../session/session.js';
import { rawList } from '../support/raw-answer.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'modern.stateless',
  title: 'The modern face keeps no sessions',
  severity: 'warning',
  since: '2026-07-28',
  description:
    "Over Streamable HTTP, looks for an `Mcp-Session-Id` header on the answers to modern-era requests; then compares the tools, prompts and resources the modern face's connection listed with the same lists read on a fresh connection (over stdio, another server process), and expects the same names; on a difference it reads both connections again side by side, so a list that changed during the run is not taken for one that varies per connection.",
  why: 'In 2026-07-28 every request stands alone: clients and gateways spread requests over instances and cache list results across connections. A server that mints session ids or lists differently per connection shows each user a different, unstable set of tools.',
  fix: "Drop the session layer from the modern face (the v2 SDK's createMcpHandler and serveStdio keep none) and build the lists from the server's configuration, not from per-connection state; keep state a tool needs in explicit handles passed as arguments.",
  specUrl: specUrl('2026-07-28', 'server/tools#listing-tools'),
};

/** The lists compared, and the field that names an item of each; method, field and capability from LIST_METHODS. */
const LISTS = [
  { kind: 'tools', key: 'name' },
  { kind: 'prompts', key: 'name' },
  { kind: 'resources', key: 'uri' },
] as const;
type ComparedList = (typeof LISTS)[number];

const advertised = (session: Session) => LISTS.filter((list) => session.advertises(LIST_METHODS[list.kind].capability));

type Surface = Map<string, string[] | undefined>;

const keysOf = (items: readonly unknown[], key: string) => items.map((item) => String((item as Record<string, unknown>)[key])).sort();

/** A list read raw on `connection`, with any session id its answers carried. */
async function rawKeys(connection: RawModernConnection, list: ComparedList, maxPages: number, sessionIds: string[]): Promise<string[] | undefined> {
  const { method, field } = LIST_METHODS[list.kind];
  const { items, failure, last } = await rawList(connection, method, field, maxPages);
  if (last?.http?.sessionId) sessionIds.push(last.http.sessionId);
  return failure ? undefined : keysOf(items, list.key);
}

/**
 * What the face's own connection listed: the session's listings, which every check shares, or the same
 * list read raw on that connection when the SDK client rejected it (it may for a detail another check
 * names). A list cut at the gate's limits is left out, as the fresh read would be cut elsewhere.
 */
async function faceSurface(session: Session, face: RawModernConnection, maxPages: number): Promise<{ surface: Surface; sessionIds: string[] }> {
  const surface: Surface = new Map();
  const sessionIds: string[] = [];
  for (const list of advertised(session)) {
    const { method } = LIST_METHODS[list.kind];
    const listing = await session.list(list.kind);
    if (listing.error) surface.set(method, await rawKeys(face, list, maxPages, sessionIds));
    else surface.set(method, listing.truncated || listing.stoppedBy ? undefined : keysOf(listing.items, list.key));
  }
  return { surface, sessionIds };
}

/** The same lists read raw on `connection`. */
async function rawSurface(connection: RawModernConnection, session: Session, maxPages: number): Promise<{ surface: Surface; sessionIds: string[] }> {
  const surface: Surface = new Map();
  const sessionIds: string[] = [];
  for (const list of advertised(session)) surface.set(LIST_METHODS[list.kind].method, await rawKeys(connection, list, maxPages, sessionIds));
  return { surface, sessionIds };
}

function compare(first: Surface, second: Surface, where: string): Finding[] {
  const findings: Finding[] = [];
  for (const [method, a] of first) {
    const b = second.get(method);
    // A list that failed on either connection is the list check's finding, not a difference.
    if (!a || !b) continue;
    const onlyFirst = a.filter((name) => !b.includes(name));
    const onlySecond = b.filter((name) => !a.includes(name));
    if (!onlyFirst.length && !onlySecond.length) continue;
    const quote = (names: string[]) =>
      names
        .slice(0, 5)
        .map((n) => `"${n}"`)
        .join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    const parts = [
      onlyFirst.length ? `only the first had ${quote(onlyFirst)}` : '',
      onlySecond.length ? `only the second had ${quote(onlySecond)}` : '',
    ].filter(Boolean);
    findings.push(
      finding(meta, `${method} differed between two connections (${where}): ${parts.join('; ')}. Modern list results must not vary per connection.`),
    );
  }
  return findings;
}

function sessionIdFindings(ids: string[]): Finding[] {
  if (!ids.length) return [];
  return [
    finding(
      meta,
      `Answers to modern-era (2026-07-28) requests carried an Mcp-Session-Id header (e.g. "${ids[0].slice(0, 40)}"). The revision has no sessions: a server must neither mint nor echo session ids, and clients ignore them, so any state tied to one is lost.`,
    ),
  ];
}

export const stateless: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  appliesTo: ({ session }) => session?.raw !== undefined,
  async run({ session, settings }) {
    if (!session?.raw) return [];
    // The face's lists were read on its own connection; the second reading gets one of its own.
    const fresh = session.raw.fresh();
    const face = session.raw.shared();
    const { maxPages } = settings;
    try {
      const [first, second] = await Promise.all([faceSurface(session, face, maxPages), rawSurface(fresh, session, maxPages)]);
      const ids = [...session.exchange.http.flatMap((entry) => (entry.sessionId ? [entry.sessionId] : [])), ...first.sessionIds, ...second.sessionIds];
      const where = session.transportName === 'stdio' ? "the modern face's server process and another one" : 'two sets of requests';
      let differences = compare(first.surface, second.surface, where);
      if (differences.length) {
        // The face's lists are from the start of the run: a list that changed since (after a tool call, say)
        // is not one that varies per connection. Both connections are read again side by side to tell.
        const [again, freshAgain] = await Promise.all([rawSurface(face, session, maxPages), rawSurface(fresh, session, maxPages)]);
        ids.push(...again.sessionIds, ...freshAgain.sessionIds);
        differences = compare(again.surface, freshAgain.surface, where);
      }
      return [...sessionIdFindings(ids), ...differences];
    } finally {
      await fresh.close();
    }
  },
};
