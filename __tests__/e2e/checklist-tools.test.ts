import type { Report } from '../../src/report/report.js';
import { WAITED_TIMEOUT_S } from '../fixtures/gate.js';
import { findingsOf, statusOf, writeConfig } from '../helpers/checklist.js';
import { durationOf, runMisbehaving } from '../helpers/misbehaving.js';

/**
 * The tools checks against misbehaving-tools.mjs, a weather server whose tools break the rules on demand;
 * server-everything passing them is in transports.test.ts. One run per group of faults that can coexist.
 */
const FIXTURE = 'misbehaving-tools.mjs';
const weather = { kind: 'tool', name: 'get_weather' };
const forecast = { kind: 'tool', name: 'get_forecast' };

const TOOLS_CHECKS = ['tools.list', 'tools.pagination', 'tools.name', 'tools.description', 'tools.input-schema', 'tools.output-schema', 'tools.call'];

/** Smoke calls the fixture's tools answer as declared, unless its faults say otherwise. */
const CALLS = [
  { tool: 'get_weather', arguments: { city: 'Lisbon' }, expect: { json: { '$.conditions': 'sunny' } } },
  { tool: 'get_forecast', arguments: { city: 'Lisbon', days: 2 }, expect: { textContains: '2 days of sun' } },
];

/** Runs the fixture with a configuration file that exists for that run only. */
async function runWithConfig(faults: string[], config: object): Promise<Report> {
  const { file, remove } = writeConfig(config);
  try {
    return await runMisbehaving(FIXTURE, faults, { config: file });
  } finally {
    remove();
  }
}

describe('the tools fixture without faults', () => {
  it('passes every tools check, its smoke calls and a stale cursor (answered -32602) included', async () => {
    const report = await runWithConfig([], { calls: CALLS });
    for (const id of [...TOOLS_CHECKS, 'jsonrpc.invalid-params']) expect([id, statusOf(report, id)]).toEqual([id, 'pass']);
    expect(report.surface.tools).toEqual([expect.objectContaining({ name: 'get_weather' }), expect.objectContaining({ name: 'get_forecast' })]);
    expect(report.verdict).toBe('pass');
  });
});

describe('a server with broken schemas, names and descriptions that runs unknown tools', () => {
  let report: Report;

  beforeAll(async () => {
    report = await runMisbehaving(FIXTURE, ['bad-input-schema', 'bad-output-schema', 'bad-names', 'descriptions', 'unknown-tool-result']);
  });

  it('tools.input-schema: names the tool whose inputSchema is not valid JSON Schema, quoting ajv', () => {
    expect(statusOf(report, 'tools.input-schema')).toBe('fail');
    expect(findingsOf(report, 'tools.input-schema')).toEqual([
      expect.objectContaining({
        severity: 'error',
        subject: forecast,
        message: 'Tool "get_forecast": inputSchema is not valid JSON Schema (2020-12): schema is invalid: data/properties/days/minimum must be number',
      }),
    ]);
  });

  it('tools.output-schema: names the tool whose outputSchema is not valid JSON Schema', () => {
    expect(statusOf(report, 'tools.output-schema')).toBe('fail');
    const findings = findingsOf(report, 'tools.output-schema');
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([['error', weather]]);
    expect(findings[0].message).toContain(
      'Tool "get_weather": outputSchema is not valid JSON Schema (2020-12): schema is invalid: data/properties/temperature/type',
    );
  });

  it('tools.name: is an error for a name listed twice across pages, a warning for characters outside [A-Za-z0-9_.-]', () => {
    expect(statusOf(report, 'tools.name')).toBe('fail');
    expect(findingsOf(report, 'tools.name')).toEqual([
      expect.objectContaining({
        severity: 'error',
        subject: weather,
        message: expect.stringContaining('The tool name "get_weather" is listed 2 times; clients keep only one of them'),
      }),
      expect.objectContaining({
        severity: 'warning',
        subject: { kind: 'tool', name: 'forecast (7 days)' },
        message: expect.stringContaining('The tool name "forecast (7 days)" has characters other than letters, digits, "_", "-" and ".": " " "(" ")"'),
      }),
    ]);
  });

  it('tools.description: warns about missing and blank descriptions, notes an overlong one', () => {
    expect(statusOf(report, 'tools.description')).toBe('warn');
    expect(findingsOf(report, 'tools.description')).toEqual([
      expect.objectContaining({ severity: 'warning', subject: weather, message: expect.stringContaining('Tool "get_weather" has no description') }),
      expect.objectContaining({ severity: 'warning', subject: forecast, message: expect.stringContaining('Tool "get_forecast" has an empty description') }),
      expect.objectContaining({
        severity: 'notice',
        subject: { kind: 'tool', name: 'get_alerts' },
        message: expect.stringContaining('Tool "get_alerts" has a description of 4599 characters (more than 4000)'),
      }),
    ]);
  });

  it('jsonrpc.invalid-params: is an error when calling a tool the server does not list succeeds', () => {
    expect(statusOf(report, 'jsonrpc.invalid-params')).toBe('fail');
    const [failure] = findingsOf(report, 'jsonrpc.invalid-params');
    expect(failure.severity).toBe('error');
    expect(failure.message).toContain('Calling the unknown tool "mcp-preflight-no-such-tool" succeeded');
    expect(failure.message).toContain('Ran mcp-preflight-no-such-tool');
  });
});

describe('a tool whose inputSchema has no "type": "object"', () => {
  it('is named by tools.input-schema, though SDK clients reject the whole list for it (tools.list)', async () => {
    const report = await runMisbehaving(FIXTURE, ['untyped-input-schema']);
    expect(statusOf(report, 'tools.input-schema')).toBe('fail');
    const [failure] = findingsOf(report, 'tools.input-schema');
    expect(failure).toMatchObject({ severity: 'error', subject: { kind: 'tool', name: 'list_cities' } });
    expect(failure.message).toContain('Tool "list_cities": inputSchema must have "type": "object"; it has no "type".');
    const [list] = findingsOf(report, 'tools.list');
    expect(list.severity).toBe('error');
    expect(list.message).toContain('tools/list on page 2 was answered, but clients built on the MCP SDK reject the answer');
    expect(list.message).toContain('tools[1].inputSchema.type: Invalid input: expected "object"');
    // Reported once, by tools.list, not again as a pagination problem.
    expect(findingsOf(report, 'tools.pagination')).toEqual([]);
  });
});

describe('tools.pagination', () => {
  describe('on a server whose cursor loops and that leaves a stale cursor unanswered', () => {
    let report: Report;

    beforeAll(async () => {
      report = await runMisbehaving(FIXTURE, ['cursor-loop', 'invalid-cursor-silent'], { 'request-timeout': String(WAITED_TIMEOUT_S) });
    });

    it('stops at a cursor returned a second time', () => {
      expect(statusOf(report, 'tools.pagination')).toBe('fail');
      const [loop] = findingsOf(report, 'tools.pagination');
      expect(loop.severity).toBe('error');
      expect(loop.message).toBe(
        'tools/list returned the cursor "page-1" a second time, so a client following nextCursor would loop forever. 2 item(s) were read before the gate stopped.',
      );
    });

    it('is an error when a cursor the server never issued goes unanswered, after request-timeout and no later', () => {
      const [, stale] = findingsOf(report, 'tools.pagination');
      expect(stale.severity).toBe('error');
      expect(stale.message).toContain(
        `tools/list with a cursor the server never issued ("mcp-preflight-invalid-cursor") got no answer within ${WAITED_TIMEOUT_S * 1000} ms`,
      );
      expect(stale.hint).toContain('error -32602');
      // One time-out, not two: the stale-cursor request is not retried.
      expect(durationOf(report, 'tools.pagination')).toBeLessThan(2 * WAITED_TIMEOUT_S * 1000);
      expect(report.surface.tools).toHaveLength(2);
    });
  });

  it('stops at max-pages when every page has a nextCursor', async () => {
    const report = await runMisbehaving(FIXTURE, ['endless-pages'], { 'max-pages': '3' });
    expect(statusOf(report, 'tools.pagination')).toBe('fail');
    const [endless] = findingsOf(report, 'tools.pagination');
    expect(endless.severity).toBe('error');
    expect(endless.message).toContain('tools/list still returned a nextCursor after 3 pages (the max-pages setting)');
  });
});

describe('declared smoke calls and the configuration file', () => {
  let report: Report;

  beforeAll(async () => {
    const calls = [CALLS[0], { ...CALLS[1], expect: { textContains: 'rain' } }, { tool: 'get_tides', arguments: { port: 'Lisbon' } }];
    const config = { calls, severity: { 'tools.description': 'error' }, skip: ['tools.name'] };
    report = await runWithConfig(['wrong-structured-content', 'descriptions', 'bad-names'], config);
  });

  it('tools.call: checks structuredContent against the outputSchema, the expectations, and that the tool exists', () => {
    expect(statusOf(report, 'tools.call')).toBe('fail');
    const findings = findingsOf(report, 'tools.call');
    expect(findings.map((f) => [f.severity, f.subject])).toEqual([
      ['error', weather],
      ['error', forecast],
      ['error', { kind: 'tool', name: 'get_tides' }],
    ]);
    expect(findings[0].message).toBe(
      'Calling "get_weather" with {"city":"Lisbon"}: structuredContent does not match the outputSchema, so clients reject the result: must be number at /temperature (is "21 °C").',
    );
    expect(findings[1].message).toBe('Calling "get_forecast" with {"city":"Lisbon","days":2}: no text content contains "rain".');
    expect(findings[2].message).toBe(
      'The configuration declares a call to "get_tides", but the server lists no such tool. It lists: get_weather, forecast (7 days), get_forecast, get_alerts.',
    );
  });

  it('severity: raises every tools.description finding to an error, which fails the run', () => {
    expect(statusOf(report, 'tools.description')).toBe('fail');
    expect(findingsOf(report, 'tools.description').map((f) => f.severity)).toEqual(['error', 'error', 'error']);
    expect(report.verdict).toBe('fail');
  });

  it('skip: tools.name is skipped, its duplicate and malformed names unreported', () => {
    expect(statusOf(report, 'tools.name')).toBe('skip');
    expect(findingsOf(report, 'tools.name')).toEqual([]);
  });
});
