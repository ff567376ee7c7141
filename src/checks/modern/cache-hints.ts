import type { RawAnswer } from '../../session/modern-requests.js';
import type { Session } from '../../session/session.js';
import { describeRawFailure } from '../support/raw-answer.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'modern.cache-hints',
  title: 'Cacheable results carry ttlMs and cacheScope',
  severity: 'warning',
  since: '2026-07-28',
  description:
    'Reads, as the server sends them (no SDK in between), the modern-era results of tools/list, prompts/list, resources/list, resources/templates/list (for the capabilities advertised) and resources/read of the first listed resource, and expects `ttlMs` (an integer >= 0) and `cacheScope` (`public` or `private`) on each.',
  why: 'Clients and gateways cache these results by the hints: without them every client treats the answer as stale at once and asks again on every use, and a shared cache cannot tell whether a result may be served to other users.',
  fix: 'Return `ttlMs` and `cacheScope` on every cacheable result: the v2 TypeScript SDK does (set them per method with the server option `cacheHints`); a server written by hand or a proxy in front must add or keep them.',
  specUrl: specUrl('2026-07-28', 'server/utilities/caching#cacheable-results'),
};

const SCOPES = new Set(['public', 'private']);

/** What is wrong with the hints of one result, in words; empty when they are right. */
export function judgeHints(result: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const { ttlMs, cacheScope } = result;
  if (ttlMs === undefined) problems.push('no ttlMs');
  else if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 0) problems.push(`ttlMs ${JSON.stringify(ttlMs)} (an integer >= 0 is required)`);
  if (cacheScope === undefined) problems.push('no cacheScope');
  else if (typeof cacheScope !== 'string' || !SCOPES.has(cacheScope)) problems.push(`cacheScope ${JSON.stringify(cacheScope)} (public or private)`);
  return problems;
}

function firstResourceUri(listed: RawAnswer | undefined): string | undefined {
  const resources = listed?.result?.resources;
  const first: unknown = Array.isArray(resources) ? resources[0] : undefined;
  const uri = (first as { uri?: unknown } | undefined)?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

function methodsFor(session: Session): string[] {
  return [
    ...(session.advertises('tools') ? ['tools/list'] : []),
    ...(session.advertises('prompts') ? ['prompts/list'] : []),
    ...(session.advertises('resources') ? ['resources/list', 'resources/templates/list'] : []),
  ];
}

function judge(method: string, answer: RawAnswer): Finding[] {
  // A failing request is the business of the method's own check (tools.list, resources.read…).
  if (!answer.result) return [];
  if (answer.result.resultType !== undefined && answer.result.resultType !== 'complete') return [];
  const problems = judgeHints(answer.result);
  return problems.length ? [finding(meta, `The ${method} result has ${problems.join(' and ')}.`)] : [];
}

export const cacheHints: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  appliesTo: ({ session }) => session?.raw !== undefined && methodsFor(session).length > 0,
  async run({ session }) {
    if (!session?.raw) return [];
    const connection = session.raw.shared();
    const methods = methodsFor(session);
    const answers = await Promise.all(methods.map((method) => connection.request(method)));
    const findings = methods.flatMap((method, i) => judge(method, answers[i]));
    const unanswered = answers.find((answer) => !answer.result && !answer.error);
    if (unanswered)
      return [...findings, finding(meta, `The gate could not read the results to judge them: ${describeRawFailure(unanswered)}.`, { severity: 'notice' })];
    const uri = firstResourceUri(answers[methods.indexOf('resources/list')]);
    if (uri === undefined) return findings;
    const read = await connection.request('resources/read', { uri });
    return [...findings, ...judge(`resources/read (${uri})`, read)];
  },
};
