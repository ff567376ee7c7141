import path from 'node:path';
import { jest } from '@jest/globals';
import type { Report } from '../../src/report/report.js';
import type { Settings } from '../../src/settings.js';
import { fakeCore } from '../fixtures/core.js';
import { findingOf, reportWith } from '../helpers/reports.js';
import { ROOT } from '../helpers/servers.js';

/** The action with servers-config: the selected servers in one step, with one table and one verdict. */

const inputs: Record<string, string> = {
  'servers-config': path.join(ROOT, '__tests__/fixtures/configs/claude-desktop/claude_desktop_config.json'),
  comment: 'never',
};
const state: Record<string, string> = {};
const core = fakeCore(inputs, state);
const runPreflight = jest.fn<(settings: Settings) => Promise<Report>>();
jest.unstable_mockModule('@actions/core', () => core);
jest.unstable_mockModule('../../src/engine.js', () => ({ runPreflight }));
const { run } = await import('../../src/main.js');

beforeEach(() => {
  jest.clearAllMocks();
  delete inputs.server;
  // Each run is a main step: the first one's state would make the next the post step.
  for (const key of Object.keys(state)) delete state[key];
  runPreflight.mockResolvedValue(reportWith([]));
});

describe('the action with servers-config', () => {
  it('verifies every selected server in one step: one table, summed outputs, and one failure naming the broken server', async () => {
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    process.env.GITHUB_STEP_SUMMARY = '/dev/null';
    runPreflight.mockImplementation(async (settings) => {
      const name = settings.serverConfig?.name;
      const findings =
        name === 'weather' ? [findingOf('config.missing-env', 'error', { message: 'missing WEATHER_API_KEY' })] : [findingOf('tools.list', 'warning')];
      return reportWith(findings, { target: { name, transport: 'stdio' } });
    });
    try {
      await run();
    } finally {
      if (summaryFile === undefined) delete process.env.GITHUB_STEP_SUMMARY;
      else process.env.GITHUB_STEP_SUMMARY = summaryFile;
    }
    expect(runPreflight.mock.calls.map(([settings]) => settings.serverConfig?.name).sort()).toEqual(['filesystem', 'weather']);
    expect(core.setFailed).toHaveBeenCalledTimes(1);
    expect(core.setFailed).toHaveBeenCalledWith('1 of 2 servers failed (weather); weather: config.missing-env: missing WEATHER_API_KEY');
    const outputs = Object.fromEntries(core.setOutput.mock.calls as [string, string][]);
    expect(outputs).toMatchObject({ result: 'fail', errors: '1', warnings: '1', tools: '4', 'server-name': 'demo,demo' });
    const summary = (core.summary.addRaw.mock.calls as unknown as [string][])[0][0];
    expect(summary).toContain('| Server | Transport | Era | Verdict | Errors | Warnings | Time |');
    expect(summary).toMatch(/\| filesystem \| stdio \| {2}\| ✅ pass \| 0 \| 1 \|/);
    expect(summary).toMatch(/\| weather \| stdio \| {2}\| ❌ fail \| 1 \| 0 \|/);
    expect(core.error).toHaveBeenCalledWith(
      expect.stringContaining('missing WEATHER_API_KEY'),
      expect.objectContaining({ title: 'weather: config.missing-env' }),
    );
  });

  it('refuses a max-parallel that is not a whole number from 1 to 64, before starting anything', async () => {
    inputs['max-parallel'] = '0';
    try {
      await run();
    } finally {
      delete inputs['max-parallel'];
    }
    expect(runPreflight).not.toHaveBeenCalled();
    expect(core.setFailed).toHaveBeenCalledWith('Invalid input "max-parallel": got 0; expected a whole number from 1 to 64');
  });

  it("verifies the one server named, launched from its entry, and masks the entry's key", async () => {
    inputs.server = 'weather';
    await run();
    expect(core.setFailed.mock.calls).toEqual([]);
    expect(runPreflight).toHaveBeenCalledTimes(1);
    const settings = runPreflight.mock.calls[0][0];
    expect(settings.serverConfig).toMatchObject({ name: 'weather', command: '/usr/local/bin/node' });
    expect(core.setSecret).toHaveBeenCalledWith('wk-123456');
  });
});
