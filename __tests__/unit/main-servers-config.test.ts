import path from 'node:path';
import { jest } from '@jest/globals';
import type { Report } from '../../src/report/report.js';
import type { Settings } from '../../src/settings.js';
import { fakeCore } from '../fixtures/core.js';
import { reportWith } from '../helpers/reports.js';
import { ROOT } from '../helpers/servers.js';

/** The action with servers-config: one selected server per step until the many-server run exists. */

const inputs: Record<string, string> = { 'servers-config': path.join(ROOT, '__tests__/fixtures/configs/claude-desktop/claude_desktop_config.json'), comment: 'never' };
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
  it('asks for the server input, naming the servers, when the file selects several', async () => {
    await run();
    expect(runPreflight).not.toHaveBeenCalled();
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining('has 2 servers (filesystem, weather); name one with the server input'));
  });

  it('verifies the one server named, launched from its entry, and masks the entry\'s key', async () => {
    inputs.server = 'weather';
    await run();
    expect(core.setFailed.mock.calls).toEqual([]);
    expect(runPreflight).toHaveBeenCalledTimes(1);
    const settings = runPreflight.mock.calls[0][0];
    expect(settings.serverConfig).toMatchObject({ name: 'weather', command: '/usr/local/bin/node' });
    expect(core.setSecret).toHaveBeenCalledWith('wk-123456');
  });
});
