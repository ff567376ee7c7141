import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CHECKS } from '../../src/checks/index.js';
import type { Finding } from '../../src/checks/types.js';
import { formatJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/report/report.js';
import { registryResults, reportWith as baseReport } from '../helpers/reports.js';

type Attributes = Record<string, string | undefined>;
interface TestCase {
  name?: string;
  classname?: string;
  time?: string;
  skipped?: string;
  failure?: Attributes & { '#text'?: string };
  'system-out'?: string;
}
interface Parsed {
  testsuites: Attributes & { testsuite: Attributes & { properties?: { property: Attributes[] }; testcase: TestCase[] } };
}

// Strings as written (no number parsing), every testcase and property an array, and character references decoded.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  isArray: (name) => name === 'testcase' || name === 'property',
});

/** fast-xml-parser checks structure but lets these through; an XML 1.0 parser would reject the file. */
// eslint-disable-next-line no-control-regex -- the control characters are what the test looks for.
const INVALID_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function parseJunit(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  expect(xml).not.toMatch(INVALID_XML_CHAR);
  return parser.parse(xml) as Parsed;
}

function finding(id: string, severity: Finding['severity'], extra: Partial<Finding> = {}): Finding {
  return { id, severity, title: id, message: `${id} went wrong\nsecond line of ${id}`, hint: `fix ${id}`, ...extra };
}

function reportWith(findings: Finding[], skipped: string[] = [], overrides: Partial<Report> = {}): Report {
  return baseReport(findings, { checks: registryResults(findings, skipped), timings: { totalMs: 1500 }, triage: [], ...overrides });
}

function caseNamed(parsed: Parsed, id: string): TestCase {
  const found = parsed.testsuites.testsuite.testcase.find((c) => c.name === id);
  if (!found) throw new Error(`no testcase named ${id}`);
  return found;
}

describe('JUnit XML', () => {
  const findings = [finding('tools.list', 'error'), finding('tools.list', 'warning'), finding('launch.exited', 'warning'), finding('ping.response', 'notice')];
  const report = reportWith(findings, ['deploy.failed', 'deploy.no-url']);
  const parsed = parseJunit(formatJunit(report));

  it('starts with the XML declaration', () => {
    expect(formatJunit(report).startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
  });

  it('counts tests, failures and skips as the report does, on both levels', () => {
    const failures = report.checks.filter((c) => c.status === 'fail').length;
    const expected = { tests: String(CHECKS.length), failures: String(failures), errors: '0', skipped: '2', time: '1.500' };
    expect(failures).toBe(1);
    expect(parsed.testsuites).toMatchObject({ name: 'mcp-preflight', ...expected });
    expect(parsed.testsuites.testsuite).toMatchObject({ name: 'demo 1.2.3', ...expected });
    expect(parsed.testsuites.testsuite.testcase.filter((c) => c.failure !== undefined)).toHaveLength(failures);
    expect(parsed.testsuites.testsuite.testcase.filter((c) => c.skipped !== undefined)).toHaveLength(2);
  });

  it('has one testcase per check, named by its id and classed by its area, in report order', () => {
    const cases = parsed.testsuites.testsuite.testcase;
    expect(cases.map((c) => c.name)).toEqual(report.checks.map((c) => c.id));
    // The helper gives each check 10 ms per place in the registry: the time is its duration in seconds.
    const place = CHECKS.findIndex((c) => c.meta.id === 'launch.exited');
    expect(caseNamed(parsed, 'launch.exited')).toMatchObject({ classname: 'mcp-preflight.launch', time: ((10 * place) / 1000).toFixed(3) });
  });

  it('fails a failed check with its first line as the message and every finding in the body', () => {
    const { failure } = caseNamed(parsed, 'tools.list');
    expect(failure).toMatchObject({ message: 'tools.list went wrong', type: 'error' });
    expect(failure?.['#text']).toContain('ERROR [tools.list] tools.list went wrong\nsecond line of tools.list\nFix: fix tools.list');
    expect(failure?.['#text']).toContain('WARNING [tools.list]');
  });

  it('shows warnings and notices in system-out without failing the case', () => {
    const warned = caseNamed(parsed, 'launch.exited');
    expect(warned.failure).toBeUndefined();
    expect(warned['system-out']).toContain('WARNING [launch.exited] launch.exited went wrong');
    expect(caseNamed(parsed, 'ping.response')['system-out']).toContain('NOTICE [ping.response]');
  });

  it('records the transport and protocol version as properties', () => {
    const properties = parsed.testsuites.testsuite.properties?.property ?? [];
    expect(properties).toEqual(
      expect.arrayContaining([
        { name: 'transport', value: 'stdio' },
        { name: 'protocolVersion', value: '2025-11-25' },
      ]),
    );
  });

  it('names the suite after the target when no server answered, and stamps the start when given', () => {
    const noServer = reportWith([finding('launch.exited', 'error')], [], { server: undefined, target: { command: 'node broken.js' } });
    const xml = formatJunit(noServer, { timestamp: new Date('2026-01-02T03:04:05.678Z') });
    expect(parseJunit(xml).testsuites.testsuite).toMatchObject({ name: 'node broken.js', timestamp: '2026-01-02T03:04:05' });
  });

  it('gives a finding whose check is not in the report a case of its own', () => {
    const orphan = reportWith([finding('startup.unknown', 'error')]);
    const orphanParsed = parseJunit(formatJunit(orphan));
    expect(orphanParsed.testsuites.tests).toBe(String(CHECKS.length + 1));
    expect(caseNamed(orphanParsed, 'startup.unknown').failure).toMatchObject({ type: 'error' });
  });

  it('keeps hostile server text inert and the document well-formed', () => {
    const hostile = '<script>alert("x")</script> ]]> & &amp; \'quoted\' 🚀 <![CDATA[ </testcase>';
    // Lone surrogates: a high one without its low half, then a low one without its high half.
    const withControls = `${hostile}\u0000\u0007\uD800\u000B\uDFFF\u001B\uFFFE end`;
    const xml = formatJunit(
      reportWith([finding('tools.list', 'error', { message: `${withControls}\nline two`, hint: withControls })], [], {
        server: { name: withControls, version: '\tv1\n', protocolVersion: '2025-11-25', capabilities: {} },
      }),
    );
    expect(xml).not.toContain('<script>');
    const hostileParsed = parseJunit(xml);
    const stripped = `${hostile} end`;
    expect(hostileParsed.testsuites.testsuite.name).toBe(`${stripped} \tv1\n`);
    const { failure } = caseNamed(hostileParsed, 'tools.list');
    expect(failure?.message).toBe(stripped);
    expect(failure?.['#text']).toContain(`${stripped}\nline two\nFix: ${stripped}`);
  });
});
