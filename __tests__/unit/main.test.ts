import { jest } from '@jest/globals';
import type { Report } from '../../src/report/report.js';
import { fakeCore } from '../fixtures/core.js';
import { findingOf, reportWith } from '../helpers/reports.js';

/**
 * The action's entry point turns any unexpected error into one `setFailed` line with the error's message
 * (in `post`, one warning): never an unhandled rejection whose stack is the minified bundle.
 */

const state: Record<string, string> = {};
const core = fakeCore({ command: 'node server.js', comment: 'never' }, state);
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

describe('the action with accepted findings', () => {
  it('annotates only the new findings and fails on them alone, naming the new one', async () => {
    const accepted = {
      ...findingOf('tools.name', 'error', { message: 'The tool name "a b" has a space.' }),
      state: 'accepted' as const,
      fingerprint: '00000000000000aa',
    };
    const fresh = {
      ...findingOf('tools.description', 'error', { message: 'Tool "c" has no description.' }),
      state: 'new' as const,
      fingerprint: '00000000000000bb',
    };
    runPreflight.mockResolvedValue(
      reportWith([accepted, fresh], { verdict: 'fail', accepted: { file: 'mcp-preflight.accepted.json', accepted: 1, fixed: [], unchecked: 0 } }),
    );
    await run();
    expect(core.error.mock.calls.map(([message]) => String(message))).toEqual([expect.stringContaining('Tool "c" has no description.')]);
    expect(core.setFailed.mock.calls).toEqual([['1 error (new): tools.description: Tool "c" has no description.']]);
    expect(core.setOutput).toHaveBeenCalledWith('errors', '1');
  });
});
