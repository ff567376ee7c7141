import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { runPreflight } from '../../src/engine.js';
import { readServerTargets } from '../../src/servers-config/targets.js';
import { Masker } from '../../src/util/masker.js';
import { uniqueTag } from '../fixtures/gate.js';
import { FIXTURES, processesMatching, ROOT } from '../helpers/servers.js';
import { CATALOGUE } from '../../src/checks/index.js';

const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const LOOPBACK_PRELOAD = path.join(ROOT, '__tests__/helpers/loopback-only.mjs');

/** A Claude Desktop configuration as a user writes it: absolute paths, no shell, the key missing from one entry. */
function writeDesktopConfig(directory: string, tags: { everything: string; weather: string }): string {
  const file = path.join(directory, 'claude_desktop_config.json');
  const config = {
    mcpServers: {
      everything: { command: process.execPath, args: ['--import', LOOPBACK_PRELOAD, EVERYTHING, 'stdio', tags.everything] },
      weather: { command: process.execPath, args: [path.join(FIXTURES, 'missing-api-key.mjs'), tags.weather], env: { UNITS: 'metric' } },
    },
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** Runs the CLI in-process, returning its exit code and what it printed. */
async function cli(args: string[]): Promise<{ code: number; printed: string }> {
  const printed: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
  const error = jest.spyOn(console, 'error').mockImplementation((text: string) => void printed.push(text));
  try {
    const { main } = await import('../../src/command-line.js');
    return { code: await main(args), printed: printed.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('servers-config: servers launched from a client configuration', () => {
  let directory: string;
  let file: string;
  const tags = { everything: uniqueTag('config-everything'), weather: uniqueTag('config-weather') };

  beforeAll(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-servers-config-'));
    file = writeDesktopConfig(directory, tags);
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('verifies server-everything started as command + args without a shell, and passes', async () => {
    const [target] = readServerTargets({ 'servers-config': file, server: 'everything', 'startup-timeout': '30' }, CATALOGUE, ROOT).targets;
    const report = await runPreflight(target.settings!, { masker: new Masker() });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.checks.filter((c) => c.id.startsWith('config.')).map((c) => [c.id, c.status])).toEqual(
      expect.arrayContaining([
        ['config.invalid-json', 'pass'],
        ['config.windows-npx', 'pass'],
      ]),
    );
    expect(processesMatching(tags.everything)).toEqual([]);
  });

  it('names the variable the broken entry lacks, at its line in the file, as the root cause', async () => {
    const [target] = readServerTargets({ 'servers-config': file, server: 'weather', 'startup-timeout': '30' }, CATALOGUE, ROOT).targets;
    const report = await runPreflight(target.settings!, { masker: new Masker() });
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.id)).toEqual(['config.missing-env']);
    expect(errors[0].message).toContain('missing the environment variable WEATHER_API_KEY, which the entry\'s "env" does not set');
    const envLine =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((line) => line.includes('"env"')) + 1;
    expect(errors[0].location).toEqual({ file: path.relative(ROOT, file), startLine: envLine });
    expect(errors[0].hint).toContain('"env": {"WEATHER_API_KEY":"…"}');
    expect(processesMatching(tags.weather)).toEqual([]);
  });

  it('the CLI runs the selected servers together, with a row and a section each, and fails for the broken one', async () => {
    const { code, printed } = await cli(['--servers-config', file, '--server', 'weather', '--server', 'everything', '--startup-timeout', '30']);
    expect(code).toBe(1);
    expect(printed).toMatch(/^\s+everything\s+stdio\s+.*✓ PASS/m);
    expect(printed).toMatch(/^\s+weather\s+stdio\s+.*✗ FAIL\s+1\s/m);
    expect(printed).toContain('=== weather ===');
    expect(printed).toContain('config.missing-env');
    expect(processesMatching(tags.everything)).toEqual([]);
    expect(processesMatching(tags.weather)).toEqual([]);
  });

  it('list --json prints the targets as a strategy.matrix', async () => {
    const { code, printed } = await cli(['list', '--servers-config', file, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(printed)).toEqual([
      { name: 'everything', server: 'everything', transport: 'stdio', config: file, client: 'Claude Desktop' },
      { name: 'weather', server: 'weather', transport: 'stdio', config: file, client: 'Claude Desktop' },
    ]);
    const narrowed = await cli(['list', '--servers-config', file, '--server', 'weather', '--json']);
    expect(JSON.parse(narrowed.printed)).toEqual([expect.objectContaining({ server: 'weather' })]);
  });

  it('refuses a max-parallel that is not a whole number from 1 to 64, before starting anything', async () => {
    const { code, printed } = await cli(['--servers-config', file, '--max-parallel', 'many']);
    expect(code).toBe(2);
    expect(printed).toContain('Invalid input "max-parallel": got "many"; expected a number');
  });
});
