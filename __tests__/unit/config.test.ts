import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG, loadConfig, parseConfig } from '../../src/config.js';
import { parseSettings, SettingsError } from '../../src/settings.js';
import { valueAt } from '../../src/util/json-path.js';
import { revisionsToProbe } from '../../src/session/version-probe.js';
import { CATALOGUE } from '../../src/checks/index.js';

function directoryWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'preflight-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error('expected a SettingsError');
}

describe('configuration file', () => {
  it('uses the defaults when there is no file', () => {
    expect(loadConfig(undefined, directoryWith({}), CATALOGUE)).toBe(DEFAULT_CONFIG);
  });

  it('finds mcp-preflight.config.yaml in the working directory and fills in defaults', () => {
    const dir = directoryWith({
      'mcp-preflight.config.yaml': [
        'severity:',
        '  startup.slow: error',
        '  tools.pagination: "off"',
        'skip: [ping.response]',
        'calls:',
        '  - tool: echo',
        '    arguments: { text: hi }',
        '    expect: { textContains: hi }',
        'thresholds:',
        '  slowStartupMs: 2000',
      ].join('\n'),
    });
    const config = loadConfig(undefined, dir, CATALOGUE);
    expect(config.severity).toEqual({ 'startup.slow': 'error', 'tools.pagination': 'off' });
    expect(config.skip).toEqual(['ping.response']);
    expect(config.calls).toEqual([{ tool: 'echo', arguments: { text: 'hi' }, expect: { textContains: 'hi' } }]);
    expect(config.thresholds).toEqual({ ...DEFAULT_CONFIG.thresholds, slowStartupMs: 2000 });
  });

  it('chooses the version matrix by transport unless the file names one', () => {
    expect(DEFAULT_CONFIG.versionMatrix).toBe('auto');
    expect(parseConfig('{"versionMatrix": "full"}', '/repo/mcp-preflight.config.json', CATALOGUE).versionMatrix).toBe('full');
    expect(parseConfig('{"versionMatrix": "latest"}', '/repo/mcp-preflight.config.json', CATALOGUE).versionMatrix).toBe('latest');
    expect(parseConfig('{}', '/repo/mcp-preflight.config.json', CATALOGUE).versionMatrix).toBe('auto');
  });

  it('probes no copies of a stdio server unless asked, and the oldest and an unknown revision over HTTP', () => {
    expect(revisionsToProbe('auto', 'stdio')).toEqual([]);
    expect(revisionsToProbe('auto', 'streamable-http')).toEqual(['2024-11-05', '1999-01-01']);
    expect(revisionsToProbe('minimal', 'stdio')).toEqual(['2024-11-05', '1999-01-01']);
    expect(revisionsToProbe('latest', 'sse')).toEqual([]);
    expect(revisionsToProbe('full', 'stdio')).toEqual(['2024-11-05', '2025-03-26', '2025-06-18', '1999-01-01']);
  });

  it('lets the max-pages input win over the file', () => {
    const dir = directoryWith({ 'mcp-preflight.config.json': '{"maxPages": 7}' });
    expect(parseSettings({ command: 'x', 'working-directory': dir }, CATALOGUE).maxPages).toBe(7);
    expect(parseSettings({ command: 'x', 'working-directory': dir, 'max-pages': '3' }, CATALOGUE).maxPages).toBe(3);
  });

  it.each([
    ['{"severty": {}}', 'unknown key "severty"'],
    ['{"severity": {"startup.slow": "fatal"}}', 'severity.startup.slow: must be equal to one of the allowed values'],
    ['{"skip": ["tools.lsit"]}', 'skip: unknown check id "tools.lsit"; tools checks are tools.list'],
    ['{"calls": [{"arguments": {}}]}', "calls.0: must have required property 'tool'"],
    ['{"thresholds": {"slowStartupMs": -1}}', 'thresholds.slowStartupMs: must be >= 1'],
    ['{"versionMatrix": "all"}', 'versionMatrix: must be equal to one of the allowed values'],
    ['{not json', 'is not valid JSON'],
    ['{"limits": {"maxDepth": 2}}', 'limits.maxDepth: must be >= 8'],
  ])('rejects %s naming the key', (text, expected) => {
    expect(messageOf(() => parseConfig(text, '/repo/mcp-preflight.config.json', CATALOGUE))).toContain(expected);
  });

  it('names a missing explicit file', () => {
    expect(messageOf(() => loadConfig('nope.yaml', '/tmp', CATALOGUE))).toContain('Invalid input "config": /tmp/nope.yaml does not exist');
  });
});

/** Paths come from a file any pull request can change: they select values, and never run code in the gate. */
describe('JSON paths of smoke-call expectations', () => {
  const EXIT_PATH = "$[?(@.constructor.constructor('return process')().exit())]";
  const probe = globalThis as { pathRan?: boolean };

  afterEach(() => {
    delete probe.pathRan;
  });

  it.each([EXIT_PATH, '$..[?(@.unit)]', '$.days[(@.length-1)]'])('rejects the path %s as a configuration error, naming it', (jsonPath) => {
    const text = JSON.stringify({ calls: [{ tool: 'get_forecast', expect: { json: { [jsonPath]: 'celsius' } } }] });
    const message = messageOf(() => parseConfig(text, 'mcp-preflight.config.json', CATALOGUE));
    expect(message).toContain(`mcp-preflight.config.json: calls.0.expect.json: the path ${JSON.stringify(jsonPath)} has the expression`);
    expect(message).toContain('Name the value by its position instead');
  });

  it('never evaluates an expression that reaches the evaluation anyway: the expectation fails instead', () => {
    const result = valueAt('$[?(globalThis.pathRan = true)]', { days: [{ unit: 'celsius' }] });
    expect(result).toEqual({ error: expect.stringContaining('prevented in JSONPath expression') });
    expect(probe.pathRan).toBeUndefined();
    expect(valueAt(EXIT_PATH, { days: [{ unit: 'celsius' }] })).toEqual({ error: expect.stringContaining('prevented') });
  });

  it('follows plain paths: members, indexes, slices, wildcards and recursive descent', () => {
    const forecast = {
      city: 'Paris',
      days: [
        { unit: 'celsius', high: 21 },
        { unit: 'celsius', high: 19 },
      ],
    };
    expect(valueAt('$.days[0].unit', forecast)).toEqual({ value: 'celsius' });
    expect(valueAt('$.days[-1:].high', forecast)).toEqual({ value: [19] });
    expect(valueAt('$.days[*].high', forecast)).toEqual({ value: [21, 19] });
    expect(valueAt('$..unit', forecast)).toEqual({ value: ['celsius', 'celsius'] });
    expect(parseConfig(JSON.stringify({ calls: [{ tool: 't', expect: { json: { '$..unit': 'celsius' } } }] }), 'c.json', CATALOGUE).calls).toHaveLength(1);
  });
});
