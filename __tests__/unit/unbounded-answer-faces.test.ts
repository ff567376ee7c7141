import { unboundedAnswer } from '../../src/checks/security/unbounded-answer.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { LimitHit } from '../../src/session/exchange.js';

const hit: LimitHit = { limit: 'maxItems', value: 10, where: 'the tools/list answers' };

function contextWith(legacy: LimitHit[], modern: LimitHit[]): CheckContext {
  const connect = { exchange: { limitHits: legacy }, modern: { exchange: { limitHits: modern } } };
  return { settings: {}, observations: {}, connect } as unknown as CheckContext;
}

describe('security.unbounded-answer on a server that speaks the modern era', () => {
  it("reports a limit hit on the modern face, whose exchange is its own connection, not the legacy handshake's", async () => {
    const context = contextWith([], [hit]);
    expect(await unboundedAnswer.appliesTo?.(context)).toBe(true);
    const findings = await unboundedAnswer.run(context);
    expect(findings.map((f) => f.message)).toEqual(['The tools/list answers went past 10 items, so the gate kept the first 10 (limits.maxItems).']);
  });
});
