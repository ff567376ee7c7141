import { jest } from '@jest/globals';
import type { Report } from '../../src/report/report.js';
import { fakeCore } from '../fixtures/core.js';

/**
 * The action's entry point turns any unexpected error into one `setFailed` line with the error's message
 * (in `post`, one warning): never an unhandled rejection whose stack is the minified bundle.
 */

const state: Record<string, string> = {};
const core = fakeCore({ command: 'node server.js' }, state);
const runPreflight = jest.fn<() => Promise<Report>>();
jest.unstable_mockModule('@actions/core', () => core);
jest.unstable_mockModule('../../src/engine.js', () => ({ runPreflight }));
const { run } = await import('../../src/main.js');

beforeEach(() => {
  jest.clearAllMocks();
  for (const key of Object.keys(state)) delete state[key];
});

describe('the action on an unexpected error', () => {
  it('fails the main step with one line that carries the message, and keeps the stack for the debug log', async () => {
    runPreflight.mockRejectedValue(new Error('spawn /bin/sh EMFILE: too many open files'));
    await expect(run()).resolves.toBeUndefined();
    expect(core.setFailed.mock.calls).toEqual([['mcp-preflight stopped on an unexpected error: spawn /bin/sh EMFILE: too many open files']]);
    expect(core.debug).toHaveBeenCalledWith(expect.stringContaining('at '));
  });

  it('fails the main step on an error no await caught, after ending the started processes', async () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(() => undefined as never);
    runPreflight.mockImplementation(() => new Promise(() => undefined));
    void run();
    await new Promise((resolve) => setTimeout(resolve, 100));
    // What Node does with a rejection nobody handles (a forgotten promise in an event handler) mid-run.
    process.emit('unhandledRejection', new Error('socket hang up'), Promise.resolve());
    expect(core.setFailed).toHaveBeenCalledWith('mcp-preflight stopped on an unexpected error: socket hang up');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exit).toHaveBeenCalledWith(1);
    exit.mockRestore();
  });

  it('only warns in the post step, which never fails a job', async () => {
    state.isPost = 'true';
    state.processGroups = 'not json';
    await run();
    expect(core.setFailed).not.toHaveBeenCalled();
    expect(core.warning).toHaveBeenCalledWith(expect.stringMatching(/^Clean-up: .*JSON/));
  });
});
