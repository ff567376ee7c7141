import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { CHECKS } from '../../src/checks/index.js';
import type { Check, Finding, Location } from '../../src/checks/types.js';
import type { Report } from '../../src/report/report.js';
import { checkPagePath, checkPageUrl } from '../../src/report/check-pages.js';
import { FINGERPRINT_KEY, INFORMATION_URI, SARIF_SCHEMA, formatSarif } from '../../src/report/sarif.js';
import { reportWith as baseReport } from '../helpers/reports.js';
import { ROOT } from '../helpers/servers.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives one level down.
const addFormats = addFormatsModule.default;

const schema = JSON.parse(readFileSync(path.join(ROOT, '__tests__/fixtures/schemas/sarif-2.1.0.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

const WORKFLOW: Location = { file: '.github/workflows/mcp.yml' };

function finding(id: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding {
  return { id, severity, title: id, message: `${id} went wrong`, hint: `fix ${id}`, ...extra };
}

function reportWith(findings: Finding[]): Report {
  return baseReport(findings, {
    checks: CHECKS.map(({ meta }) => ({ id: meta.id, title: meta.title, status: 'pass', durationMs: 1 })),
    timings: { totalMs: 1500 },
  });
}

function sarifOf(findings: Finding[], checks: readonly Check[] = CHECKS): Log {
  return formatSarif(reportWith(findings), checks, { fallbackLocation: WORKFLOW });
}

function resultsOf(log: Log): Result[] {
  return log.runs[0].results ?? [];
}

function rulesOf(log: Log): ReportingDescriptor[] {
  return log.runs[0].tool.driver.rules ?? [];
}

const MIXED = [
  finding('tools.list', 'error', { message: 'tools/list failed: boom\nstack line 1', location: { file: 'src/server.ts', startLine: 12, endLine: 14 } }),
  finding('launch.exited', 'error'),
  finding('tools.list', 'warning', { message: 'Hostile <script>alert(1)</script> ]]> & "quotes" \u0000\u001b 🚀', hint: undefined }),
  finding('startup.unknown', 'notice', { title: 'A check the registry does not know' }),
];

describe('SARIF', () => {
  it('is a valid SARIF 2.1.0 log', () => {
    const log = sarifOf(MIXED);
    const valid = validateSarif(log);
    expect(validateSarif.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log).toMatchObject({ $schema: SARIF_SCHEMA, version: '2.1.0' });
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'mcp-preflight', version: '0.1.0', informationUri: expect.stringMatching(/^https:\/\//) });
  });

  it('is checked by a schema that rejects what code scanning rejects', () => {
    const log = sarifOf(MIXED);
    const region = resultsOf(log)[0].locations?.[0].physicalLocation?.region;
    if (region) region.startLine = 0;
    expect(validateSarif(log)).toBe(false);
  });

  it('survives a JSON round trip unchanged', () => {
    const log = sarifOf(MIXED);
    expect(JSON.parse(JSON.stringify(log))).toEqual(log);
  });

  it('gives every result a physical location with a URI and a start line of at least 1', () => {
    const log = sarifOf([...MIXED, finding('tools.list', 'error', { location: { file: 'a.ts', startLine: 0 } })]);
    for (const result of resultsOf(log)) {
      const physical = result.locations?.[0]?.physicalLocation;
      expect(physical?.artifactLocation?.uri).toEqual(expect.any(String));
      expect(physical?.region?.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  it("keeps a finding's own location and points the others at the fallback", () => {
    const [located, unlocated] = resultsOf(sarifOf(MIXED));
    expect(located.locations?.[0].physicalLocation).toEqual({ artifactLocation: { uri: 'src/server.ts' }, region: { startLine: 12, endLine: 14 } });
    expect(unlocated.locations?.[0].physicalLocation).toEqual({ artifactLocation: { uri: '.github/workflows/mcp.yml' }, region: { startLine: 1 } });
  });

  it('writes locations as relative URIs with forward slashes and sane lines', () => {
    const log = sarifOf([
      finding('a.b', 'error', { location: { file: '.\\src\\my server#1.ts', startLine: 3, endLine: 2 } }),
      finding('a.b', 'error', { location: { file: './x.ts', startLine: -4, endLine: 9 } }),
    ]);
    const [first, second] = resultsOf(log).map((r) => r.locations?.[0].physicalLocation);
    expect(first).toEqual({ artifactLocation: { uri: 'src/my%20server%231.ts' }, region: { startLine: 3 } });
    expect(second).toEqual({ artifactLocation: { uri: 'x.ts' }, region: { startLine: 1, endLine: 9 } });
    expect(validateSarif(log)).toBe(true);
  });

  it('has one rule per check, in registry order, with the metadata mapped', () => {
    const rules = rulesOf(sarifOf([]));
    expect(rules.map((r) => r.id)).toEqual(CHECKS.map((c) => c.meta.id));
    const level = { error: 'error', warning: 'warning', notice: 'note' } as const;
    for (const [i, { meta }] of CHECKS.entries()) {
      expect(rules[i]).toMatchObject({
        shortDescription: { text: meta.title },
        fullDescription: { text: meta.description },
        defaultConfiguration: { level: level[meta.severity] },
        properties: { tags: expect.arrayContaining([meta.id.split('.')[0]]) },
      });
      expect(rules[i].name).toMatch(/^[A-Za-z0-9]+$/);
      expect(rules[i].help?.text).toContain(meta.why);
      expect(rules[i].help?.markdown).toContain(meta.fix);
      expect(rules[i].helpUri).toBe(checkPageUrl(meta.id));
      expect(rules[i].help?.markdown).toContain(meta.specUrl ?? '');
      expect(rules[i].properties?.since).toBe(meta.since);
    }
  });

  it('gives every rule a help link: the generated page of its check, which exists in the repository', () => {
    for (const rule of rulesOf(sarifOf([]))) {
      expect(rule.helpUri).toBe(`${INFORMATION_URI}/blob/main/docs/checks/${rule.id}.md`);
      expect(existsSync(path.join(ROOT, checkPagePath(rule.id)))).toBe(true);
    }
  });

  it('maps every severity to its SARIF level, on rules and on results', () => {
    const check = (id: string, severity: Finding['severity']): Check => ({
      meta: { id, title: id, severity, description: 'd', why: 'w', fix: 'f', since: '2025-11-25', specUrl: 'https://example.com/spec' },
      stage: 'session',
      run: () => [],
    });
    const log = sarifOf(
      [finding('x.notice', 'notice'), finding('x.notice', 'error')],
      [check('x.error', 'error'), check('x.warning', 'warning'), check('x.notice', 'notice')],
    );
    expect(rulesOf(log).map((r) => r.defaultConfiguration?.level)).toEqual(['error', 'warning', 'note']);
    expect(rulesOf(log)[2]).toMatchObject({ name: 'XNotice', helpUri: checkPageUrl('x.notice'), properties: { since: '2025-11-25' } });
    expect(rulesOf(log)[2].help?.text).toBe('w\n\nFix: f\n\nSpecification: https://example.com/spec');
    expect(resultsOf(log).map((r) => [r.level, r.ruleIndex])).toEqual([
      ['note', 2],
      ['error', 2],
    ]);
  });

  it('points each result at its rule and adds the fix to the message', () => {
    const log = sarifOf(MIXED);
    const rules = rulesOf(log);
    for (const result of resultsOf(log)) expect(rules[result.ruleIndex ?? -1].id).toBe(result.ruleId);
    expect(resultsOf(log)[1].message.text).toBe('launch.exited went wrong\n\nFix: fix launch.exited');
    expect(resultsOf(log)[2].message.text).toContain('<script>');
  });

  it('still reports a finding whose check is not registered, under a rule made from its title', () => {
    const log = sarifOf(MIXED);
    const rules = rulesOf(log);
    expect(rules).toHaveLength(CHECKS.length + 1);
    expect(rules.at(-1)).toMatchObject({
      id: 'startup.unknown',
      shortDescription: { text: 'A check the registry does not know' },
      defaultConfiguration: { level: 'note' },
    });
    expect(resultsOf(log)[3]).toMatchObject({ ruleId: 'startup.unknown', ruleIndex: CHECKS.length, level: 'note' });
  });

  it('fingerprints the same problem at the same place identically across runs', () => {
    const fingerprintOf = (f: Finding) => resultsOf(sarifOf([f]))[0].partialFingerprints?.[FINGERPRINT_KEY];
    const base = finding('tools.list', 'error', { message: 'tools/list failed\nat 10:01' });
    expect(fingerprintOf(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprintOf(base)).toBe(fingerprintOf({ ...base, message: 'tools/list failed\nat 10:02', hint: 'another hint' }));
    expect(fingerprintOf(base)).not.toBe(fingerprintOf({ ...base, message: 'tools/list timed out' }));
    expect(fingerprintOf(base)).not.toBe(fingerprintOf({ ...base, id: 'prompts.list' }));
    expect(fingerprintOf(base)).not.toBe(fingerprintOf({ ...base, location: { file: 'other.yml' } }));
  });
});
