import { runPreflight } from '../../src/engine.js';
import type { Check, CheckMeta } from '../../src/checks/types.js';
import type { Listing } from '../../src/session/session.js';
import { Masker } from '../../src/util/masker.js';
import { everythingCommand, processesMatching, settingsFor, uniqueTag } from '../helpers/servers.js';

/**
 * The engine's three phases of session checks against a real server (server-everything over stdio): the
 * pool, then the late checks side by side sharing one re-read of a list, then the alone ones by themselves.
 * The checks here only record when they ran; what the real late and alone checks judge is tested
 * with them.
 */
const events: string[] = [];
const relisted: Listing<unknown>[] = [];
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recorder(id: string, options: Pick<Check, 'runs'>, work: Check['run']): Check {
  const meta: CheckMeta = { id, title: id, severity: 'warning', description: id, why: id, fix: id };
  return {
    meta,
    stage: 'session',
    ...options,
    async run(context, observe) {
      events.push(`${id} start`);
      const findings = await work(context, observe);
      events.push(`${id} end`);
      return findings;
    },
  };
}

const relist: Check['run'] = async ({ session }) => {
  if (session) relisted.push(await session.listLater('tools'));
  await pause(50);
  return [];
};

const CHECKS: Check[] = [
  recorder('test.alone', { runs: 'alone' }, async () => []),
  recorder('test.late-a', { runs: 'late' }, relist),
  recorder('test.pool', {}, async () => {
    await pause(50);
    return [];
  }),
  recorder('test.late-b', { runs: 'late' }, relist),
];

describe('session check phases', () => {
  it('runs the pool, then the late checks together on one re-read, then the alone ones by themselves', async () => {
    const tag = uniqueTag('session-phases');
    const report = await runPreflight(settingsFor({ command: everythingCommand('stdio', tag) }), { masker: new Masker(), checks: CHECKS });
    expect(processesMatching(tag)).toEqual([]);
    expect(report.checks.map((check) => [check.id, check.status])).toEqual(
      expect.arrayContaining([
        ['test.pool', 'pass'],
        ['test.late-a', 'pass'],
        ['test.late-b', 'pass'],
        ['test.alone', 'pass'],
      ]),
    );
    const at = (event: string) => events.indexOf(event);
    expect(at('test.pool end')).toBeLessThan(Math.min(at('test.late-a start'), at('test.late-b start')));
    // Side by side: each started before the other ended.
    expect(at('test.late-a start')).toBeLessThan(at('test.late-b end'));
    expect(at('test.late-b start')).toBeLessThan(at('test.late-a end'));
    expect(at('test.alone start')).toBeGreaterThan(Math.max(at('test.late-a end'), at('test.late-b end')));
    // One read of the list served both.
    expect(relisted).toHaveLength(2);
    expect(relisted[0]).toBe(relisted[1]);
    expect(relisted[0].items.length).toBeGreaterThan(0);
  });
});
