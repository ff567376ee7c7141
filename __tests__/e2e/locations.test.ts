import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runPreflight } from '../../src/engine.js';
import { formatAnnotations } from '../../src/report/annotations.js';
import { Masker } from '../../src/util/masker.js';
import { fixtureWith, uniqueTag } from '../fixtures/gate.js';
import { FIXTURES, processesMatching, ROOT, settingsFor } from '../helpers/servers.js';

/** A pull request that breaks a tool's schema: the error lands on the line that defines that tool. */
describe('finding locations', () => {
  it("puts a tool's finding on its definition and the rest on the workflow step", async () => {
    const tag = uniqueTag('locations');
    const settings = settingsFor({
      command: fixtureWith('misbehaving-tools.mjs', tag, { MISBEHAVE: 'bad-input-schema' }),
      'source-root': path.relative(ROOT, FIXTURES),
    });
    const workflowStep = { file: '.github/workflows/ci.yml', startLine: 33, endLine: 33 };
    const report = await runPreflight(settings, { masker: new Masker(), fallbackLocation: workflowStep });

    const fixture = readFileSync(path.join(FIXTURES, 'misbehaving-tools.mjs'), 'utf8').split('\n');
    const definitionLine = fixture.findIndex((line) => line.includes("name: 'get_forecast'")) + 1;
    const schemaFinding = report.findings.find((f) => f.id === 'tools.input-schema');
    expect(schemaFinding?.subject).toEqual({ kind: 'tool', name: 'get_forecast' });
    expect(schemaFinding?.location).toMatchObject({ file: '__tests__/fixtures/servers/misbehaving-tools.mjs', startLine: definitionLine });

    const serverWide = report.findings.filter((f) => !f.subject);
    expect(serverWide.length).toBeGreaterThan(0);
    for (const finding of serverWide) expect(finding.location).toEqual(workflowStep);

    const [annotation] = formatAnnotations([schemaFinding!]);
    expect(annotation).toMatchObject({ title: 'tools.input-schema', file: '__tests__/fixtures/servers/misbehaving-tools.mjs', startLine: definitionLine });
    expect(processesMatching(tag)).toEqual([]);
  });
});
