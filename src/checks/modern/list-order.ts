import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'modern.list-order',
  title: 'tools/list returns tools in the same order every time',
  severity: 'warning',
  since: '2026-07-28',
  description: 'Lists every page of tools twice in a row on the modern face, after the other checks, and expects the same tools in the same order.',
  why: "Clients and gateways cache and compare tool lists, and models are prompted with them: a list that reshuffles on every request defeats caches, changes the prompt (and the model's choices) and shows up as a change where nothing changed.",
  fix: 'Return tools in a stable order, e.g. the order they were registered or sorted by name; do not build the list from an unordered set or a map whose order varies.',
  specUrl: specUrl('2026-07-28', 'server/tools#listing-tools'),
};

function namesOf(items: unknown[]): string[] {
  return items.map((item) => String((item as { name?: unknown }).name));
}

/** The first position where the two orders differ, as a person reads it. */
function firstDifference(first: string[], second: string[]): string {
  const at = first.findIndex((name, i) => name !== second[i]);
  return `position ${at + 1} held "${first[at]}" the first time and "${second[at]}" the second`;
}

export const listOrder: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  // After the other checks: a tool call of theirs that changes the list between the two reads would look
  // like a reshuffle. The late checks beside it only read.
  runs: 'late',
  appliesTo: ({ session }) => session?.advertises('tools') === true,
  async run({ session }) {
    if (!session) return [];
    const first = await session.listLater('tools');
    const second = await session.listAgain('tools');
    if (first.error || second.error || first.truncated || second.truncated) return [];
    const [a, b] = [namesOf(first.items), namesOf(second.items)];
    // Another set of tools is a change of the list (security.definition-changed), not of its order.
    if (a.length !== b.length || [...a].sort().join('\n') !== [...b].sort().join('\n')) return [];
    if (a.every((name, i) => name === b[i])) return [];
    return [finding(meta, `Two tools/list requests in a row returned the same ${a.length} tools in different orders: ${firstDifference(a, b)}.`)];
  },
};
