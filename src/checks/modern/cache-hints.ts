import type { RawAnswer, RawModernConnection } from '../../session/modern-requests.js';
import { LIST_METHODS, type ListKind, type Listing, type Session } from '../../session/session.js';
import { describeRawFailure, rawList } from '../support/raw-answer.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'modern.cache-hints',
  title: 'Cacheable results carry ttlMs and cacheScope',
  severity: 'warning',
  since: '2026-07-28',
  description:
    "Reads, as the server sent them (before the SDK client's schema), the modern-era results of tools/list, prompts/list, resources/list and resources/templates/list that the modern face received (for the capabilities advertised), and a resources/read of the first listed resource, and expects `ttlMs` (an integer >= 0) and `cacheScope` (`public` or `private`) on each.",
  why: 'Clients and gateways cache these results by the hints: without them every client treats the answer as stale at once and asks again on every use, and a shared cache cannot tell whether a result may be served to other users.',
  fix: 'Return `ttlMs` and `cacheScope` on every cacheable result: the v2 TypeScript SDK does (set them per method with the server option `cacheHints`); a server written by hand or a proxy in front must add or keep them.',
  specUrl: specUrl('2026-07-28', 'server/utilities/caching#cacheable-results'),
};

const SCOPES = new Set(['public', 'private']);

/** What is wrong with the hints of one result, in words; empty when they are right. */
export function judgeHints(result: { ttlMs?: unknown; cacheScope?: unknown }): string[] {
  const problems: string[] = [];
  const { ttlMs, cacheScope } = result;
  if (ttlMs === undefined) problems.push('no ttlMs');
  else if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 0) problems.push(`ttlMs ${JSON.stringify(ttlMs)} (an integer >= 0 is required)`);
  if (cacheScope === undefined) problems.push('no cacheScope');
  else if (typeof cacheScope !== 'string' || !SCOPES.has(cacheScope)) problems.push(`cacheScope ${JSON.stringify(cacheScope)} (public or private)`);
  return problems;
}

/** The cacheable lists, in the order findings name them. */
const CACHEABLE_LISTS: readonly ListKind[] = ['tools', 'prompts', 'resources', 'resourceTemplates'];

/** The lists the server advertises, read by the session once for every check. */
function listsFor(session: Session): ListKind[] {
  return CACHEABLE_LISTS.filter((kind) => session.advertises(LIST_METHODS[kind].capability));
}

/** A result that needs more input (`input_required`) is not the cacheable answer itself. */
const isComplete = (answer: { resultType?: unknown }) => answer.resultType === undefined || answer.resultType === 'complete';

/**
 * The hints of a list method's results, as the face's recorded exchange saw them come (before the SDK
 * client's schema, which may reject a result without them): every page the session, and any other check,
 * received, so a page without hints is found wherever it is.
 */
function judgeList(session: Session, kind: ListKind, listing: Listing<unknown>): Finding[] {
  const { method } = LIST_METHODS[kind];
  const results = session.exchange.answers.filter((answer) => answer.method === method && !answer.error);
  const faulty = results.find((answer) => isComplete(answer) && judgeHints(answer).length > 0);
  if (faulty) return [finding(meta, `The ${method} result has ${judgeHints(faulty).join(' and ')}.`)];
  // No result at all: a failing list is the business of the list's own check (tools.list, resources.list…).
  if (results.length || listing.error) return [];
  // The exchange keeps its first answers only: past that, nothing the gate recorded shows the hints.
  return [finding(meta, `The gate recorded no ${method} result to judge (its log of answers was full).`, { severity: 'notice' })];
}

/** The first listed resource; read raw when the SDK client rejected the listing (it may for want of hints). */
async function firstResourceUri(connection: RawModernConnection, listing: Listing<unknown>): Promise<string | undefined> {
  const items = listing.error ? (await rawList(connection, 'resources/list', 'resources', 1)).items : listing.items;
  const uri = (items[0] as { uri?: unknown } | undefined)?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

function judgeRead(uri: string, answer: RawAnswer): Finding[] {
  if (!answer.result) return [];
  if (!isComplete(answer.result)) return [];
  const problems = judgeHints(answer.result);
  return problems.length ? [finding(meta, `The resources/read (${uri}) result has ${problems.join(' and ')}.`)] : [];
}

export const cacheHints: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  appliesTo: ({ session }) => session?.raw !== undefined && listsFor(session).length > 0,
  async run({ session }) {
    if (!session?.raw) return [];
    const kinds = listsFor(session);
    const listings = await Promise.all(kinds.map((kind) => session.list(kind)));
    const findings = kinds.flatMap((kind, i) => judgeList(session, kind, listings[i]));
    const connection = session.raw.shared();
    const uri = kinds.includes('resources') ? await firstResourceUri(connection, listings[kinds.indexOf('resources')]) : undefined;
    if (uri === undefined) return findings;
    // The gate's own read, as sent: the resources checks read through the client, which may not have run.
    const read = await connection.request('resources/read', { uri });
    if (!read.result && !read.error)
      return [
        ...findings,
        finding(meta, `The gate could not read the resources/read result to judge it: ${describeRawFailure(read)}.`, { severity: 'notice' }),
      ];
    return [...findings, ...judgeRead(uri, read)];
  },
};
