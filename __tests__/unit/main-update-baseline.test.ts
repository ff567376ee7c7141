import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeCore } from '../fixtures/core.js';
import { FIXTURES, nodeCommand } from '../helpers/servers.js';

/** `update-baseline: true` writes the surface snapshot and publishes nothing: no annotations, outputs, summary or comment. */
const directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-update-baseline-'));
const file = path.join(directory, 'surface.json');
const core = fakeCore({ command: nodeCommand(path.join(FIXTURES, 'surface/server.mjs')), 'update-baseline': 'true', baseline: file, comment: 'always' });
const github = jest.fn();
jest.unstable_mockModule('@actions/core', () => core);
jest.unstable_mockModule('@actions/github', () => ({
  get context() {
    return github();
  },
}));
const { run } = await import('../../src/main.js');

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('update-baseline: true', () => {
  it('writes the snapshot at the baseline path and uploads nothing', async () => {
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 1, eras: { legacy: { serverInfo: { name: 'surface-fixture' } } } });
    expect(core.info).toHaveBeenCalledWith(`Surface snapshot written to ${file}`);
    for (const publish of [core.setOutput, core.error, core.warning, core.notice, core.summary.addRaw, github]) expect(publish).not.toHaveBeenCalled();
  }, 60_000);
});
