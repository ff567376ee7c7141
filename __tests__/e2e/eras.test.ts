import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runPreflight } from '../../src/engine.js';
import { formatOutputs } from '../../src/report/outputs.js';
import type { Report } from '../../src/report/report.js';
import { Masker } from '../../src/util/masker.js';
import { expectPass, uniqueTag } from '../fixtures/gate.js';
import { FIXTURES, freePort, nodeCommand, processesMatching, settingsFor } from '../helpers/servers.js';

/**
 * The two protocol eras: servers on the v2 SDK that speak 2026-07-28 only or both eras, and a legacy
 * server that exits on any request before initialize, over stdio and Streamable HTTP.
 */
const ERAS = path.join(FIXTURES, 'v2-core/eras.mjs');
const EXITS_BEFORE_INITIALIZE = path.join(FIXTURES, 'v2-core/exits-before-initialize.mjs');

function statusOf(report: Report, id: string): string | undefined {
  return report.checks.find((c) => c.id === id)?.status;
}

async function runStdio(era: 'dual' | 'modern', tag: string): Promise<Report> {
  return runPreflight(settingsFor({ command: `ERA=${era} ${nodeCommand(ERAS, tag)}` }), { masker: new Masker() });
}

async function runHttp(era: 'dual' | 'modern', tag: string): Promise<Report> {
  const port = await freePort();
  const start = `ERA=${era} PORT=${port} ${nodeCommand(ERAS, tag)}`;
  return runPreflight(settingsFor({ start, url: `http://127.0.0.1:${port}/mcp` }), { masker: new Masker() });
}

describe('a modern-only server (2026-07-28, legacy rejected)', () => {
  it.each([
    ['stdio', runStdio],
    ['Streamable HTTP', runHttp],
  ])('passes over %s, checked on its modern face, with the legacy-only checks skipped', async (_, run) => {
    const tag = uniqueTag('modern-only');
    const report = await run('modern', tag);
    expectPass(report);
    expect(report.findings.map((f) => f.id)).not.toContain('lifecycle.initialize-failed');
    expect(report.server).toMatchObject({ name: 'v2-eras-fixture', protocolVersion: '2026-07-28', era: 'modern', versions: { modern: ['2026-07-28'] } });
    expect(report.surface.tools).toEqual([expect.objectContaining({ name: 'echo' })]);
    expect(report.surface.prompts).toEqual([expect.objectContaining({ name: 'greeting' })]);
    for (const id of ['ping.response', 'lifecycle.initialize', 'lifecycle.version-negotiation', 'logging.set-level']) expect(statusOf(report, id)).toBe('skip');
    expect(report.triage).toContain('era: modern (2026-07-28)');
    expect(formatOutputs(report).era).toBe('modern');
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('a dual-era server (the v2 SDK defaults)', () => {
  it.each([
    ['stdio', runStdio],
    ['Streamable HTTP', runHttp],
  ])('passes over %s with era dual, the legacy checks run on its legacy face', async (_, run) => {
    const tag = uniqueTag('dual');
    const report = await run('dual', tag);
    expectPass(report);
    expect(report.server).toMatchObject({ protocolVersion: '2026-07-28', era: 'dual', versions: { legacy: ['2025-11-25'], modern: ['2026-07-28'] } });
    expect(statusOf(report, 'ping.response')).toBe('pass');
    expect(statusOf(report, 'lifecycle.initialize')).toBe('pass');
    expect(statusOf(report, 'tools.list')).toBe('pass');
    expect(report.triage).toContain('initialized: yes (2025-11-25)');
    expect(report.triage).toContain('era: dual (2025-11-25; 2026-07-28)');
    expect(formatOutputs(report).era).toBe('dual');
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('a legacy stdio server that exits on any request before initialize', () => {
  it('is legacy, not crashed: the probe cost only its own process', async () => {
    const tag = uniqueTag('exits-before-initialize');
    const report = await runPreflight(settingsFor({ command: nodeCommand(EXITS_BEFORE_INITIALIZE, tag) }), { masker: new Masker() });
    expectPass(report);
    expect(report.server).toMatchObject({ name: 'exits-before-initialize', era: 'legacy', versions: { legacy: ['2025-11-25'] } });
    expect(report.findings.map((f) => f.id)).not.toContain('launch.exited');
    expect(report.triage).toContain('alive: yes');
    expect(report.triage).toContain('era: legacy (2025-11-25)');
    expect(statusOf(report, 'ping.response')).toBe('pass');
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('a modern server that crashes at start', () => {
  it('gets the same named finding as a legacy one', async () => {
    // Both the discover probe's process and the main one die before any answer: the diagnosis is the legacy one.
    const command = `ERA=modern MCP_FAIL=1 node -e "console.error('config missing'); process.exit(3)"`;
    const report = await runPreflight(settingsFor({ command }), { masker: new Masker() });
    expect(report.verdict).toBe('fail');
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual(['launch.exited']);
    expect(report.server).toBeUndefined();
    expect(formatOutputs(report).era).toBe('');
  });
});

describe('a stdio server that refuses to run beside a copy of itself', () => {
  it('passes: the copies start only once the main process answered, holding the lock', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'single-instance-'));
    const tag = uniqueTag('single-instance');
    try {
      const lock = path.join(directory, 'server.lock');
      const command = `LOCK_FILE=${JSON.stringify(lock)} ${nodeCommand(path.join(FIXTURES, 'v2/single-instance-stdio.mjs'), tag)}`;
      const report = await runPreflight(settingsFor({ command }), { masker: new Masker() });
      expectPass(report);
      expect(report.findings.filter((f) => f.severity !== 'notice' && (f.id.startsWith('launch.') || f.id.startsWith('lifecycle.')))).toEqual([]);
      // The main process holds the lock, so the copy that asks for the modern face exits: the era is legacy.
      expect(report.server?.era).toBe('legacy');
      expect(report.server?.name).toBe('single-instance-stdio');
      expect(processesMatching(tag)).toEqual([]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
