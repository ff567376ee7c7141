import type { RawModernConnection } from '../../session/modern-requests.js';
import type { Session } from '../../session/session.js';
import { rawList } from '../support/raw-answer.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'modern.stateless',
  title: 'The modern face keeps no sessions',
  severity: 'warning',
  since: '2026-07-28',
  description:
    "Over Streamable HTTP, looks for an `Mcp-Session-Id` header on the answers to modern-era requests; then lists tools, prompts and resources on the modern face's connection and, at the same time, on a fresh one (over stdio, another server process), and expects the same lists.",
  why: 'In 2026-07-28 every request stands alone: clients and gateways spread requests over instances and cache list results across connections. A server that mints session ids or lists differently per connection shows each user a different, unstable set of tools.',
  fix: "Drop the session layer from the modern face (the v2 SDK's createMcpHandler and serveStdio keep none) and build the lists from the server's configuration, not from per-connection state; keep state a tool needs in explicit handles passed as arguments.",
  specUrl: specUrl('2026-07-28', 'server/tools#listing-tools'),
};

const LISTS = [
  { capability: 'tools', method: 'tools/list', field: 'tools', key: 'name' },
  { capability: 'prompts', method: 'prompts/list', field: 'prompts', key: 'name' },
  { capability: 'resources', method: 'resources/list', field: 'resources', key: 'uri' },
] as const;

type Surface = Map<string, string[] | undefined>;

async function surfaceOf(connection: RawModernConnection, session: Session, maxPages: number): Promise<{ surface: Surface; sessionIds: string[] }> {
  const surface: Surface = new Map();
  const sessionIds: string[] = [];
  for (const list of LISTS.filter((l) => session.advertises(l.capability))) {
    const { items, failure, last } = await rawList(connection, list.method, list.field, maxPages);
    if (last?.http?.sessionId) sessionIds.push(last.http.sessionId);
    surface.set(list.method, failure ? undefined : items.map((item) => String(item[list.key])).sort());
  }
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
      finding(
        meta,
        `${method} differed between two connections listed at the same time (${where}): ${parts.join('; ')}. Modern list results must not vary per connection.`,
      ),
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
    // The face's connection was fresh too, when the face connected; the engine closes it.
    const fresh = session.raw.fresh();
    try {
      const [first, second] = await Promise.all([surfaceOf(session.raw.shared(), session, settings.maxPages), surfaceOf(fresh, session, settings.maxPages)]);
      const ids = [...session.exchange.http.flatMap((entry) => (entry.sessionId ? [entry.sessionId] : [])), ...first.sessionIds, ...second.sessionIds];
      const where = session.transportName === 'stdio' ? "the modern face's server process and another one" : 'two sets of requests';
      return [...sessionIdFindings(ids), ...compare(first.surface, second.surface, where)];
    } finally {
      await fresh.close();
    }
  },
};
