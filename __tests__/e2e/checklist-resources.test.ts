import type { Report } from '../../src/report/report.js';
import { findingsOf, soleFinding, statusOf, writeConfig } from '../helpers/checklist.js';
import { runMisbehaving } from '../helpers/misbehaving.js';

/**
 * The resource, prompt, logging, completion and latency checks against feature-faults.mjs, a stdio
 * server that breaks each of them on demand; server-everything passing them is in transports.test.ts.
 * One run per group of faults that can coexist: a list that fails leaves nothing to read or get.
 */
const FIXTURE = 'feature-faults.mjs';

/** How long the fixture's tools/list takes with `slow-tools-list`. */
const SLOW_LIST_MS = 200;

describe('a server whose lists are malformed', () => {
  let report: Report;

  beforeAll(async () => {
    report = await runMisbehaving(FIXTURE, ['resource-without-uri', 'no-templates-list', 'prompt-without-name']);
  });

  it('names the resource field the SDK rejects, since clients then drop the whole list', () => {
    const problem = soleFinding(report, 'resources.list', 'fail');
    expect(problem.message).toContain('resources/list');
    expect(problem.message).toContain('resources[1].uri: Invalid input: expected string, received undefined');
  });

  it('warns that resources/templates/list is missing although resources are advertised: clients read -32601 as "no templates"', () => {
    const problem = soleFinding(report, 'resources.templates', 'warn');
    expect(problem.message).toContain('resources/templates/list failed: MCP error -32601: Method not found');
    expect(problem.message).toContain('"resources" capability');
  });

  it('names the prompt field the SDK rejects', () => {
    const problem = soleFinding(report, 'prompts.list', 'fail');
    expect(problem.message).toContain('prompts[1].name: Invalid input: expected string, received undefined');
  });

  it('reports each broken list once, and skips the checks left with nothing to read, get or complete', () => {
    // A pass would claim the resources and prompts were read; nothing was listed to read.
    for (const id of ['resources.read', 'prompts.get', 'completions.complete'])
      expect([id, statusOf(report, id), findingsOf(report, id)]).toEqual([id, 'skip', []]);
  });
});

describe('a server whose listed items break', () => {
  let report: Report;

  beforeAll(async () => {
    const faults = ['unreadable-resource', 'huge-resource', 'failing-prompt', 'logging-not-implemented', 'completions-not-implemented', 'slow-tools-list'];
    const config = writeConfig({ resources: { maxBytes: 10_000 }, thresholds: { latencyP95Ms: 100, latencyBurst: 3 } });
    try {
      report = await runMisbehaving(FIXTURE, faults, { config: config.file });
    } finally {
      config.remove();
    }
  });

  it("reports a listed resource whose read fails, with the server's error, on that resource", () => {
    expect(statusOf(report, 'resources.read')).toBe('fail');
    const failed = findingsOf(report, 'resources.read').filter((f) => f.severity === 'error');
    expect(failed).toEqual([expect.objectContaining({ subject: { kind: 'resource', name: 'radar-latest' } })]);
    expect(failed[0].message).toContain('resources/list returns "radar-latest" (weather://radar/latest), but reading it failed');
    expect(failed[0].message).toContain('MCP error -32603: radar feed unavailable: connect ECONNREFUSED 10.0.0.7:8080');
  });

  it('warns about a resource larger than resources.maxBytes from the configuration file', () => {
    const large = findingsOf(report, 'resources.read').filter((f) => f.severity === 'warning');
    expect(large).toEqual([expect.objectContaining({ subject: { kind: 'resource', name: 'archive-1990' } })]);
    expect(large[0].message).toContain('Reading "archive-1990" (weather://archive/1990) returned 50,000 bytes in 1 item(s)');
    expect(large[0].message).toContain('more than resources.maxBytes (10,000 bytes)');
  });

  it('reports a prompt without required arguments whose get throws, on that prompt', () => {
    const problem = soleFinding(report, 'prompts.get', 'fail');
    expect(problem.subject).toEqual({ kind: 'prompt', name: 'daily-briefing' });
    expect(problem.message).toContain('Getting the prompt "daily-briefing" without arguments failed');
    expect(problem.message).toContain("MCP error -32603: Cannot read properties of undefined (reading 'city')");
  });

  it('warns when logging is advertised but logging/setLevel is not handled', () => {
    const problem = soleFinding(report, 'logging.set-level', 'warn');
    expect(problem.message).toContain(
      'logging/setLevel {"level":"info"} failed: MCP error -32601: Method not found (the server has no handler for this method)',
    );
  });

  it('warns when completions are advertised but completion/complete is not handled', () => {
    const problem = soleFinding(report, 'completions.complete', 'warn');
    expect(problem.message).toContain('completion/complete for the argument "city" of the prompt "forecast" failed: MCP error -32601: Method not found');
  });

  it('warns about a slow tools/list against the configured threshold, after a burst of the configured size', () => {
    expect(statusOf(report, 'perf.latency')).toBe('warn');
    // On a busy runner ping may cross the low threshold too; tools/list always does.
    const slow = findingsOf(report, 'perf.latency').filter((f) => f.message.startsWith('tools/list'));
    expect(slow).toEqual([expect.objectContaining({ severity: 'warning' })]);
    expect(slow[0].message).toContain('over 3 requests sent one at a time');
    expect(slow[0].message).toContain('above thresholds.latencyP95Ms (100 ms)');
    const measured = report.observations.latency?.find((l) => l.method === 'tools/list');
    expect(measured?.count).toBe(3);
    expect(measured?.p95Ms).toBeGreaterThanOrEqual(SLOW_LIST_MS);
  });
});
