import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawInputs } from '../../src/inputs.js';
import type { Report } from '../../src/report/report.js';
import { fixtureWith, runGate, uniqueTag, WAITED_TIMEOUT_S } from '../fixtures/gate.js';
import { findingsOf, statusOf, writeConfig } from '../helpers/checklist.js';
import { durationOf, runMisbehaving } from '../helpers/misbehaving.js';
import { processesMatching } from '../helpers/servers.js';

/**
 * The lifecycle, capability, ping and JSON-RPC checks against misbehaving-lifecycle.mjs; server-everything
 * passing them is in transports.test.ts. One run per group of faults that can coexist.
 */
const FIXTURE = 'misbehaving-lifecycle.mjs';
const WAITED_MS = WAITED_TIMEOUT_S * 1000;
/** A check that waited out the time-out twice (a retry, or silent requests asked one after another) takes this long. */
const TWO_TIMEOUTS_MS = 2 * WAITED_MS;

describe('the lifecycle fixture without faults', () => {
  it('passes every check the faults break', async () => {
    const report = await runMisbehaving(FIXTURE, []);
    for (const id of ['lifecycle.server-info', 'lifecycle.version-negotiation', 'capabilities.consistency', 'ping.response', 'jsonrpc.unknown-method']) {
      expect([id, statusOf(report, id)]).toEqual([id, 'pass']);
    }
    expect(report.findings.filter((f) => f.severity !== 'notice')).toEqual([]);
    expect(report.verdict).toBe('pass');
  });
});

describe('a server with a draft version, a blank serverInfo, a chatty ping and an undeclared tools/list', () => {
  let report: Report;

  beforeAll(async () => {
    const config = writeConfig({ versionMatrix: 'full' });
    try {
      report = await runMisbehaving(FIXTURE, ['versions', 'blank-server-info', 'ping-result', 'unadvertised-tools'], { config: config.file });
    } finally {
      config.remove();
    }
  });

  it('lifecycle.version-negotiation: reports, over the full matrix, each revision refused or answered with a version clients do not know', () => {
    expect(statusOf(report, 'lifecycle.version-negotiation')).toBe('fail');
    const findings = findingsOf(report, 'lifecycle.version-negotiation');
    expect(findings.map((f) => f.severity)).toEqual(['error', 'error', 'error']);
    expect(findings[0].message).toMatch(/^initialize requesting 2024-11-05 failed: error -32602: .*Unsupported protocol version: 2024-11-05/);
    expect(findings[1].message).toBe('initialize requesting 2025-03-26 was answered with "DRAFT-2026-v1", a version clients do not know.');
    expect(findings[2].message).toBe('initialize requesting an unknown version (1999-01-01) was answered with "DRAFT-2026-v1", a version clients do not know.');
    expect(findings[0].hint).toContain('Upgrading the MCP SDK usually fixes this');
    expect(report.observations.versionMatrix?.map((p) => `${p.requested}->${p.answered ?? 'error'}`)).toEqual([
      '2024-11-05->error',
      '2025-03-26->DRAFT-2026-v1',
      '2025-06-18->2025-06-18',
      '2025-11-25->2025-11-25',
      '1999-01-01->DRAFT-2026-v1',
    ]);
  });

  it('lifecycle.server-info: warns about a blank name and version, quoting them', () => {
    expect(statusOf(report, 'lifecycle.server-info')).toBe('warn');
    const warnings = findingsOf(report, 'lifecycle.server-info').filter((f) => f.severity === 'warning');
    expect(warnings.map((f) => f.message)).toEqual([
      'serverInfo.name is blank (""); clients show it to users and in their logs, where this server cannot be told apart.',
      'serverInfo.version is blank (" "); clients show it to users and in their logs, where this server cannot be told apart.',
    ]);
  });

  it('ping.response: warns about a non-empty result, quoting it', () => {
    expect(statusOf(report, 'ping.response')).toBe('warn');
    const [warning] = findingsOf(report, 'ping.response');
    expect(warning.severity).toBe('warning');
    expect(warning.message).toContain('ping was answered with {"status":"ok"}; the result must be empty ({})');
  });

  it('capabilities.consistency: warns about a tools/list that answers while tools are not advertised', () => {
    expect(statusOf(report, 'capabilities.consistency')).toBe('warn');
    expect(findingsOf(report, 'capabilities.consistency')).toEqual([
      expect.objectContaining({
        severity: 'warning',
        message: 'tools/list answered with 1 item(s): "get_weather", but the server does not advertise the "tools" capability, so clients will never call it.',
      }),
    ]);
    expect(statusOf(report, 'tools.list')).toBe('skip');
  });
});

describe('a server that answers its latest version to every revision and has a catch-all handler', () => {
  let report: Report;

  beforeAll(async () => {
    // Over stdio older revisions are probed only when asked: each is another start of the server.
    const config = writeConfig({ versionMatrix: 'minimal' });
    try {
      report = await runMisbehaving(FIXTURE, ['latest-only', 'catch-all-result'], { config: config.file });
    } finally {
      config.remove();
    }
  });

  it('lifecycle.version-negotiation: notes, without failing, which clients it leaves out', () => {
    expect(statusOf(report, 'lifecycle.version-negotiation')).toBe('pass');
    expect(findingsOf(report, 'lifecycle.version-negotiation')).toEqual([
      expect.objectContaining({
        severity: 'notice',
        message: 'Clients that speak only 2024-11-05 will disconnect: the server answered 2025-11-25. Works with clients speaking: 2025-11-25.',
      }),
    ]);
  });

  it('jsonrpc.unknown-method: warns about a result for an unknown method', () => {
    expect(statusOf(report, 'jsonrpc.unknown-method')).toBe('warn');
    const [warning] = findingsOf(report, 'jsonrpc.unknown-method');
    expect(warning.severity).toBe('warning');
    expect(warning.message).toContain('answered the unknown method "mcp-preflight/no-such-method" with the result {} instead of error -32601');
  });

  it('capabilities.consistency: does not take `{}` to tools/list for a list of tools', () => {
    expect(statusOf(report, 'capabilities.consistency')).toBe('pass');
  });
});

describe('a server that leaves ping and unknown methods unanswered', () => {
  let report: Report;

  beforeAll(async () => {
    // perf.latency's burst would wait out the silent ping once more.
    const config = writeConfig({ skip: ['perf.latency'] });
    try {
      report = await runMisbehaving(FIXTURE, ['ping-silent', 'catch-all-silent'], { 'request-timeout': String(WAITED_TIMEOUT_S), config: config.file });
    } finally {
      config.remove();
    }
  });

  it('ping.response: is an error after request-timeout, and no later', () => {
    expect(statusOf(report, 'ping.response')).toBe('fail');
    const [failure] = findingsOf(report, 'ping.response');
    expect(failure.severity).toBe('error');
    expect(failure.message).toContain(`ping got no answer within ${WAITED_MS} ms (Request timed out), although the handshake worked`);
    expect(durationOf(report, 'ping.response')).toBeGreaterThanOrEqual(WAITED_MS);
    expect(durationOf(report, 'ping.response')).toBeLessThan(TWO_TIMEOUTS_MS);
  });

  it('jsonrpc.unknown-method: is an error after request-timeout, and no later', () => {
    expect(statusOf(report, 'jsonrpc.unknown-method')).toBe('fail');
    const [failure] = findingsOf(report, 'jsonrpc.unknown-method');
    expect(failure.severity).toBe('error');
    expect(failure.message).toContain(`"mcp-preflight/no-such-method" got no answer within ${WAITED_MS} ms`);
    expect(durationOf(report, 'jsonrpc.unknown-method')).toBeLessThan(TWO_TIMEOUTS_MS);
  });

  it('capabilities.consistency: asks the unadvertised lists at once, so silence costs one time-out', () => {
    expect(statusOf(report, 'capabilities.consistency')).toBe('pass');
    expect(durationOf(report, 'capabilities.consistency')).toBeLessThan(TWO_TIMEOUTS_MS);
  });
});

interface StartEvent {
  event: string;
  pid: number;
  at: number;
}

/** Runs the gate on logs-starts.mjs and reads back what each server process it started logged. */
async function runLoggingStarts(env: Record<string, string>, raw: RawInputs = {}): Promise<{ report: Report; events: StartEvent[] }> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'preflight-starts-'));
  const tag = uniqueTag('logs-starts');
  try {
    const log = path.join(directory, 'starts.log');
    const { report } = await runGate({ command: fixtureWith('logs-starts.mjs', tag, { START_LOG: log, ...env }), ...raw });
    expect(processesMatching(tag)).toEqual([]);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const events = lines.map((line) => line.split(' ')).map(([event, pid, at]) => ({ event, pid: Number(pid), at: Number(at) }));
    return { report, events };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The most processes other than `except` alive at one time, from their start and exit lines. */
function mostAtOnce(events: StartEvent[], except: number): number {
  let alive = 0;
  let most = 0;
  for (const { event, pid } of [...events].sort((a, b) => a.at - b.at)) {
    if (pid === except) continue;
    if (event === 'start') most = Math.max(most, ++alive);
    if (event === 'exit') alive -= 1;
  }
  return most;
}

describe("the version matrix's copies of a stdio server", () => {
  // Beside them, once the server answered its first handshake, one process asks server/discover (the
  // spec's era probe, which over stdio must not spend the gate's own connection) and one sends the
  // request stamped with an unknown modern version; it starts before the era is known, so a legacy server
  // pays for it too.
  it('are not started by default: the gate judges its own connection, and starts the server twice more only for the modern era', async () => {
    const { report, events } = await runLoggingStarts({});
    expect(events.filter((e) => e.event === 'start')).toHaveLength(3);
    expect(report.observations.versionMatrix?.map((p) => `${p.requested}->${p.answered ?? 'error'}`)).toEqual(['2025-11-25->2025-11-25']);
    expect(report.verdict).toBe('pass');
  });

  it('with versionMatrix: minimal, start only once the server answered its first handshake, one for the oldest and one for an unknown revision', async () => {
    const config = writeConfig({ versionMatrix: 'minimal' });
    const { report, events } = await runLoggingStarts({}, { config: config.file }).finally(() => config.remove());
    const starts = events.filter((e) => e.event === 'start');
    expect(starts).toHaveLength(5);
    const first = events.find((e) => e.event.startsWith('initialize:'));
    expect(first?.event).toBe('initialize:2025-11-25');
    expect(starts.filter((e) => e.pid !== first?.pid).every((e) => e.at >= (first?.at ?? Infinity))).toBe(true);
    expect(report.observations.versionMatrix?.map((p) => `${p.requested}->${p.answered ?? 'error'}`)).toEqual([
      '2024-11-05->2024-11-05',
      '2025-11-25->2025-11-25',
      '1999-01-01->2025-11-25',
    ]);
    expect(report.verdict).toBe('pass');
  });

  it('with versionMatrix: full, ask for every revision, never more at once than the runner has cores', async () => {
    const config = writeConfig({ versionMatrix: 'full' });
    try {
      const { report, events } = await runLoggingStarts({}, { config: config.file });
      expect(events.filter((e) => e.event === 'start')).toHaveLength(7);
      const main = events.find((e) => e.event === 'initialize:2025-11-25')?.pid ?? 0;
      expect(mostAtOnce(events, main)).toBeLessThanOrEqual(os.availableParallelism());
      expect(report.observations.versionMatrix?.map((p) => p.requested)).toEqual(['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', '1999-01-01']);
    } finally {
      config.remove();
    }
  });

  it('are never started for a server that crashes on its first handshake', async () => {
    const { report, events } = await runLoggingStarts({ CRASH_ON_INITIALIZE: '1' });
    expect(events.filter((e) => e.event === 'start')).toHaveLength(1);
    const errors = report.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.id)).toEqual(['launch.exited']);
    expect(errors[0].message).toContain('The server exited with code 3 during initialize.');
    expect(report.observations.versionMatrix).toBeUndefined();
  });
});
