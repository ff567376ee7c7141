import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG, loadConfig, parseConfig } from '../../src/config.js';
import { parseSettings, SettingsError } from '../../src/settings.js';

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
    expect(loadConfig(undefined, directoryWith({}))).toBe(DEFAULT_CONFIG);
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
    const config = loadConfig(undefined, dir);
    expect(config.severity).toEqual({ 'startup.slow': 'error', 'tools.pagination': 'off' });
    expect(config.skip).toEqual(['ping.response']);
    expect(config.calls).toEqual([{ tool: 'echo', arguments: { text: 'hi' }, expect: { textContains: 'hi' } }]);
    expect(config.thresholds).toEqual({ ...DEFAULT_CONFIG.thresholds, slowStartupMs: 2000 });
  });

  it('lets the max-pages input win over the file', () => {
    const dir = directoryWith({ 'mcp-preflight.config.json': '{"maxPages": 7}' });
    expect(parseSettings({ command: 'x', 'working-directory': dir }).maxPages).toBe(7);
    expect(parseSettings({ command: 'x', 'working-directory': dir, 'max-pages': '3' }).maxPages).toBe(3);
  });

  it.each([
    ['{"severty": {}}', 'unknown key "severty"'],
    ['{"severity": {"startup.slow": "fatal"}}', 'severity.startup.slow: must be equal to one of the allowed values'],
    ['{"skip": ["tools.lsit"]}', 'skip: unknown check id "tools.lsit"; tools checks are tools.list'],
    ['{"calls": [{"arguments": {}}]}', "calls.0: must have required property 'tool'"],
    ['{"thresholds": {"slowStartupMs": -1}}', 'thresholds.slowStartupMs: must be >= 1'],
    ['{not json', 'is not valid JSON'],
    ['{"limits": {"maxDepth": 2}}', 'limits.maxDepth: must be >= 8'],
  ])('rejects %s naming the key', (text, expected) => {
    expect(messageOf(() => parseConfig(text, '/repo/mcp-preflight.config.json'))).toContain(expected);
  });

  it('names a missing explicit file', () => {
    expect(messageOf(() => loadConfig('nope.yaml', '/tmp'))).toContain('Invalid input "config": /tmp/nope.yaml does not exist');
  });
});
