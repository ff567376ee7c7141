import { runPreflight } from '../../src/engine.js';
import { formatConsole } from '../../src/report/console.js';
import type { Report } from '../../src/report/report.js';
import { formatSummary } from '../../src/report/summary.js';
import { Masker } from '../../src/util/masker.js';
import { writeConfig } from '../helpers/checklist.js';
import { processesMatching, settingsFor, uniqueTag } from '../helpers/servers.js';
import { v2HttpCommand, v2StdioCommand, type V2Fixture } from '../helpers/v2-servers.js';

/** The compatibility matrix of v2 servers: per era and version asked, what was answered, and who can connect. */
function rows(report: Report): string[] {
  return (report.observations.versionMatrix ?? []).map((p) => `${p.era} ${p.requested}->${p.answered ?? `error ${p.code ?? ''}`.trim()}`);
}

async function runStdio(fixture: V2Fixture, tag: string, config?: object): Promise<Report> {
  const file = config && writeConfig(config);
  try {
    const settings = settingsFor({ command: `${v2StdioCommand(fixture)} ${JSON.stringify(tag)}`, ...(file && { config: file.file }) });
    return await runPreflight(settings, { masker: new Masker() });
  } finally {
    file?.remove();
  }
}

async function runHttp(fixture: V2Fixture, tag: string): Promise<Report> {
  const { command, url } = await v2HttpCommand(fixture);
  return runPreflight(settingsFor({ start: `${command} ${JSON.stringify(tag)}`, url }), { masker: new Masker() });
}

describe('the compatibility matrix', () => {
  it('of a dual-era HTTP server: both eras by default, an unknown modern version refused with -32022 naming the supported ones', async () => {
    const tag = uniqueTag('matrix-dual-http');
    const report = await runHttp('dual-http', tag);
    expect(rows(report)).toEqual([
      'legacy 2024-11-05->2024-11-05',
      'legacy 2025-11-25->2025-11-25',
      'legacy 1999-01-01->2025-11-25',
      'modern 2026-07-28->2026-07-28',
      'modern 2099-01-01->error -32022',
    ]);
    const refusal = report.observations.versionMatrix?.at(-1);
    expect(refusal).toMatchObject({ status: 400, supported: expect.arrayContaining(['2026-07-28']) });
    expect(report.compatibility?.summary).toBe('legacy clients: yes (2024-11-05…2025-11-25); 2026-07-28 clients: yes');
    expect(formatSummary(report)).toContain('Legacy clients: yes (2024-11-05…2025-11-25); 2026-07-28 clients: yes');
    expect(formatSummary(report)).toContain('| modern | 2099-01-01 | HTTP 400, error -32022');
    expect(formatConsole(report)).toContain('Clients: legacy clients: yes (2024-11-05…2025-11-25); 2026-07-28 clients: yes');
    expect(report.checks.find((c) => c.id === 'lifecycle.version-negotiation')?.status).toBe('pass');
    expect(processesMatching(tag)).toEqual([]);
  });

  it('of a dual-era stdio server: by default no legacy copies; the unknown modern version from the probe modern.unsupported-version makes', async () => {
    const tag = uniqueTag('matrix-dual-stdio');
    const report = await runStdio('dual-stdio', tag);
    expect(rows(report)).toEqual(['legacy 2025-11-25->2025-11-25', 'modern 2026-07-28->2026-07-28', 'modern 2099-01-01->error -32022']);
    expect(report.compatibility?.summary).toBe('legacy clients: yes (2025-11-25); 2026-07-28 clients: yes');
    expect(processesMatching(tag)).toEqual([]);
  });

  it('of a dual-era stdio server with versionMatrix: minimal: the unknown modern version as the first request of a process of its own', async () => {
    const tag = uniqueTag('matrix-dual-stdio-minimal');
    const report = await runStdio('dual-stdio', tag, { versionMatrix: 'minimal' });
    expect(rows(report)).toEqual([
      'legacy 2024-11-05->2024-11-05',
      'legacy 2025-11-25->2025-11-25',
      'legacy 1999-01-01->2025-11-25',
      'modern 2026-07-28->2026-07-28',
      'modern 2099-01-01->error -32022',
    ]);
    expect(report.observations.versionMatrix?.at(-1)?.supported).toEqual(expect.arrayContaining(['2026-07-28']));
    expect(processesMatching(tag)).toEqual([]);
  });

  it('of a modern-only stdio server: legacy clients cannot connect, 2026-07-28 clients can', async () => {
    const tag = uniqueTag('matrix-modern-stdio');
    const report = await runStdio('modern-stdio', tag);
    expect(rows(report)).toEqual(['legacy 2025-11-25->error', 'modern 2026-07-28->2026-07-28', 'modern 2099-01-01->error -32022']);
    expect(report.compatibility?.summary).toBe('legacy clients: no; 2026-07-28 clients: yes');
    expect(report.checks.find((c) => c.id === 'lifecycle.version-negotiation')?.status).toBe('skip');
    expect(processesMatching(tag)).toEqual([]);
  });
});
