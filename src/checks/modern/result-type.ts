import { finding, specUrl, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'modern.result-type',
  title: 'Every result of the modern era carries resultType',
  severity: 'error',
  since: '2026-07-28',
  description:
    "Reads every result the server sent to the gate's requests in the modern era, as it came on the wire (the SDK client's validation hides it), and expects a `resultType` string in each; names the methods whose results lack it.",
  why: 'Results of the 2026-07-28 revision are polymorphic: `resultType` tells a finished answer ("complete") from one that needs more input ("input_required"). The v2 SDK client rejects a result without it, so every call of that method fails for its users.',
  fix: 'Add `resultType: "complete"` to every result (or `"input_required"` for a multi-round-trip answer); the v2 SDK (`@modelcontextprotocol/server` 2.x) does this for you, so look for a hand-built result or a proxy that rewrites answers.',
  specUrl: specUrl('2026-07-28', 'basic#resulttype'),
};

export const resultType: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  // After the other checks, so the exchange it judges holds the answers to all their requests.
  runs: 'alone',
  run({ session }) {
    if (!session) return [];
    const lacking = new Map<string, number>();
    let results = 0;
    for (const answer of session.exchange.answers) {
      if (answer.error) continue;
      results += 1;
      if (typeof answer.resultType !== 'string') lacking.set(answer.method, (lacking.get(answer.method) ?? 0) + 1);
    }
    if (!lacking.size) return [];
    const methods = [...lacking].map(([method, count]) => `${method} (${count})`).join(', ');
    const total = [...lacking.values()].reduce((sum, count) => sum + count, 0);
    return [
      finding(
        meta,
        `${total} of the ${results} result(s) the server sent in the modern era carry no resultType: ${methods}. Clients on the v2 SDK reject these results, so those requests fail for them.`,
      ),
    ];
  },
};
