import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Report } from '../../src/report/report.js';
import { GRACE_MS } from '../../src/target/process.js';
import { expectPass, fixtureWith, MARGIN_MS, rootCause, runGate, uniqueTag } from '../fixtures/gate.js';
import { processesMatching } from '../helpers/servers.js';

/** `teardown` runs after the server is stopped, whatever the verdict, bounded by startup-timeout. */
describe('the teardown command', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'preflight-teardown-'));
  });

  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  function teardownFindings(report: Report) {
    return report.findings.filter((f) => f.id === 'teardown.failed');
  }

  it('runs after the server has been stopped, and passes when it exits 0', async () => {
    const serverTag = uniqueTag('teardown-server');
    const tag = uniqueTag('teardown-ok');
    const snapshot = path.join(scratch, 'processes-at-teardown.txt');
    const teardown = `ps -eo args > ${JSON.stringify(snapshot)}; echo "preview deleted" # ${tag}`;
    const { report } = await runGate({ command: fixtureWith('healthy.mjs', serverTag), teardown });
    expectPass(report);
    expect(teardownFindings(report)).toEqual([]);
    expect(report.checks.find((c) => c.id === 'teardown.failed')?.status).toBe('pass');
    // What ran at teardown time: the teardown itself, and no process of the server.
    const running = readFileSync(snapshot, 'utf8').split('\n');
    expect(running.some((line) => line.includes(tag))).toBe(true);
    expect(running.filter((line) => line.includes(serverTag))).toEqual([]);
    expect(report.logs.find((log) => log.role === 'teardown')?.stdout.join('\n')).toContain('preview deleted');
    expect(processesMatching(serverTag)).toEqual([]);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('runs when the server never came up, too', async () => {
    const serverTag = uniqueTag('teardown-crashed-server');
    const tag = uniqueTag('teardown-after-crash');
    const marker = path.join(scratch, 'torn-down');
    const { report } = await runGate({ command: fixtureWith('exits-at-start.mjs', serverTag), teardown: `touch ${JSON.stringify(marker)} # ${tag}` });
    expect(rootCause(report).id).toBe('launch.exited');
    expect(readFileSync(marker, 'utf8')).toBe('');
    expect(teardownFindings(report)).toEqual([]);
    expect(processesMatching(serverTag)).toEqual([]);
  });

  it('is a warning naming the exit code and quoting the output when it fails, and fails nothing else', async () => {
    const serverTag = uniqueTag('teardown-server');
    const tag = uniqueTag('teardown-fails');
    const teardown = `echo "deleting preview pr-42"; echo "error: preview pr-42 not found (HTTP 404)" >&2; exit 3 # ${tag}`;
    const { report } = await runGate({ command: fixtureWith('healthy.mjs', serverTag), teardown });
    const [failed, ...others] = teardownFindings(report);
    expect(others).toEqual([]);
    expect(failed.severity).toBe('warning');
    expect(failed.message).toContain('The teardown command exited with code 3.');
    expect(failed.message).toContain('deleting preview pr-42');
    expect(failed.message).toContain('error: preview pr-42 not found (HTTP 404)');
    // The server passed: a warning about the clean-up does not fail the gate under the default fail-on: error.
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(processesMatching(serverTag)).toEqual([]);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('is ended at startup-timeout and reported as not finished in time, leaving no process', async () => {
    const timeoutS = 1;
    const serverTag = uniqueTag('teardown-server');
    const tag = uniqueTag('teardown-hangs');
    const teardown = `echo "waiting for the preview to drain"; sleep 60 # ${tag}`;
    const { report } = await runGate({ command: fixtureWith('healthy.mjs', serverTag), teardown, 'startup-timeout': String(timeoutS) });
    const [failed] = teardownFindings(report);
    expect(failed.severity).toBe('warning');
    expect(failed.message).toContain('The teardown command did not finish in time.');
    expect(failed.message).toContain('waiting for the preview to drain');
    // Waited out the time-out, then ended by SIGTERM (or SIGKILL after the grace period), not left to sleep 60 s.
    expect(report.timings.cleanupMs).toBeGreaterThanOrEqual(timeoutS * 1000);
    expect(report.timings.cleanupMs).toBeLessThan(timeoutS * 1000 + GRACE_MS + MARGIN_MS);
    expect(processesMatching(serverTag)).toEqual([]);
    expect(processesMatching(tag)).toEqual([]);
  });
});
