// Careless schemas and expectations get clear verdicts, a server that asks before it answers gets its
// answer, and a tool redefined during the run is caught.
import type { Report } from '../../src/report/report.js';
import { runGate, uniqueTag, fixtureWith } from '../fixtures/gate.js';
import { findingsOf, statusOf, writeConfig } from '../helpers/checklist.js';

describe('careless tools', () => {
  let report: Report;
  beforeAll(async () => {
    const config = writeConfig({
      calls: [
        { tool: 'measure' },
        // The second item has no price: the expectation fails, with the path and what it found.
        { tool: 'items', expect: { json: { '$.items[1].price.amount': 3 } } },
      ],
    });
    try {
      ({ report } = await runGate({ command: fixtureWith('careless-tools.mjs', uniqueTag('careless')), config: config.file }));
    } finally {
      config.remove();
    }
  });

  it('tools.input-schema: passes two tools whose schemas share an $id', () => {
    expect(findingsOf(report, 'tools.input-schema')).toEqual([]);
    expect(statusOf(report, 'tools.input-schema')).toBe('pass');
  });

  it('tools.call: fails a result that breaks an outputSchema with an $id', () => {
    const messages = findingsOf(report, 'tools.call').map((f) => f.message);
    expect(messages.find((m) => m.includes('"measure"'))).toContain('structuredContent does not match the outputSchema');
  });

  it('tools.call: fails a JSON path into an item that lacks the property as an unmet expectation, not as a defect of the gate', () => {
    const message = findingsOf(report, 'tools.call').find((f) => f.message.includes('"items"'))?.message;
    expect(message).toContain('$.items[1].price.amount in structuredContent is');
    expect(report.findings.some((f) => f.message.includes('The check itself failed'))).toBe(false);
  });

  it('refuses a filter expression in the configuration before the run, naming the call and the path', async () => {
    const config = writeConfig({ calls: [{ tool: 'items', expect: { json: { '$.items[?(@.price.amount > 1)].name': 'x' } } }] });
    try {
      await expect(runGate({ command: fixtureWith('careless-tools.mjs', uniqueTag('filter')), config: config.file })).rejects.toThrow(
        /calls\.0\.expect\.json: the path "\$\.items\[\?\(@\.price\.amount > 1\)\]\.name" has the expression/,
      );
    } finally {
      config.remove();
    }
  });
});

describe('a server that pings the client before it answers initialize', () => {
  it('gets its ping answered by every version probe, which then get their answer', async () => {
    const config = writeConfig({ versionMatrix: 'minimal' });
    const { report } = await runGate({
      command: fixtureWith('asks-before-initialize.mjs', uniqueTag('asks')),
      'request-timeout': '5',
      config: config.file,
    }).finally(() => config.remove());
    const matrix = report.observations.versionMatrix ?? [];
    expect(matrix.length).toBeGreaterThan(1);
    expect(matrix.filter((p) => p.answered === undefined)).toEqual([]);
  });
});

describe('security.definition-changed', () => {
  it('is an error when a tool comes back with hidden instructions after list_changed', async () => {
    const { report } = await runGate({ command: fixtureWith('rug-pull.mjs', uniqueTag('rug-pull')) });
    const [finding] = findingsOf(report, 'security.definition-changed');
    expect(finding).toMatchObject({ severity: 'error', subject: { kind: 'tool', name: 'get_weather' } });
    expect(finding.message).toContain('after the server sent notifications/tools/list_changed (description)');
    expect(finding.message).toContain('[hidden-tag]');
    expect(finding.message).toContain('[sensitive-file]');
  });

  it('passes a server whose tools stay as they were listed', async () => {
    const { report } = await runGate({ command: fixtureWith('careless-tools.mjs', uniqueTag('stable')) });
    expect(statusOf(report, 'security.definition-changed')).toBe('pass');
  });
});
