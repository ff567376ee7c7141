import { runPreflight } from '../../src/engine.js';
import { Masker } from '../../src/util/masker.js';
import { everythingCommand, freePort, processesMatching, settingsFor } from '../helpers/servers.js';

/** The real reference server over each transport, started by the gate itself. */
describe('server-everything over every transport', () => {
  it('passes over stdio, recording the negotiated version and the surface', async () => {
    const report = await runPreflight(settingsFor({ command: everythingCommand('stdio') }), { masker: new Masker() });
    expect(report.findings).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.target.transport).toBe('stdio');
    expect(report.server).toMatchObject({ name: 'mcp-servers/everything', protocolVersion: '2025-11-25' });
    expect(report.surface.tools.length).toBeGreaterThan(5);
    expect(report.surface.prompts.length).toBeGreaterThan(0);
    expect(report.surface.resources.length).toBeGreaterThan(0);
    expect(report.checks.find((c) => c.id === 'ping.response')?.status).toBe('pass');
    expect(processesMatching('server-everything/dist/index.js stdio')).toEqual([]);
  });

  it('passes over Streamable HTTP on /mcp, waiting for the port to open', async () => {
    const port = await freePort();
    const report = await runPreflight(
      settingsFor({ start: everythingCommand('streamableHttp', port), url: `http://localhost:${port}/mcp` }),
      { masker: new Masker() },
    );
    expect(report.findings).toEqual([]);
    expect(report.target).toMatchObject({ transport: 'streamable-http', url: `http://127.0.0.1:${port}/mcp` });
    expect(report.server?.protocolVersion).toBe('2025-11-25');
    expect(report.timings.startupMs).toBeGreaterThan(0);
    expect(processesMatching(`PORT=${port}`)).toEqual([]);
    expect(processesMatching('server-everything/dist/index.js streamableHttp')).toEqual([]);
  });

  it('falls back to the legacy HTTP+SSE transport on /sse when the transport is auto', async () => {
    const port = await freePort();
    const report = await runPreflight(settingsFor({ start: everythingCommand('sse', port), url: `http://127.0.0.1:${port}/sse` }), {
      masker: new Masker(),
    });
    expect(report.findings).toEqual([]);
    expect(report.target.transport).toBe('sse');
    expect(report.triage.join(' ')).toContain('streamable-http failed, sse ok');
    expect(report.surface.tools.length).toBeGreaterThan(5);
    expect(processesMatching('server-everything/dist/index.js sse')).toEqual([]);
  });
});
