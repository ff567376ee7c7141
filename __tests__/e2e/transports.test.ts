import { runPreflight } from '../../src/engine.js';
import type { Report } from '../../src/report/report.js';
import { Masker } from '../../src/util/masker.js';
import { everythingCommand, freePort, processesMatching, settingsFor, uniqueTag } from '../helpers/servers.js';

/**
 * The reference server's real deviations from the specification. Its SDK (McpServer) answers an unknown
 * tool with an isError result rather than -32602 on every transport: nothing in the server's code can
 * change that, so it is a notice naming the SDK. Over Streamable HTTP its own code accepts a foreign
 * Origin and answers an ended session with 400: warnings, and nothing worse.
 */
const EVERYWHERE_NOTICES = ['jsonrpc.invalid-params'];
const STREAMABLE_HTTP_ONLY = ['http.origin', 'http.session'];

function idsOf(report: Report, severity: string): string[] {
  return report.findings
    .filter((f) => f.severity === severity)
    .map((f) => f.id)
    .sort();
}

function expectOnlyKnownDeviations(report: Report, warnings: string[]): void {
  expect(idsOf(report, 'error')).toEqual([]);
  expect(idsOf(report, 'warning')).toEqual([...warnings].sort());
  expect(idsOf(report, 'notice').filter((id) => EVERYWHERE_NOTICES.includes(id))).toEqual(EVERYWHERE_NOTICES);
  expect(report.findings.find((f) => f.id === 'jsonrpc.invalid-params')?.message).toContain("the default answer of the TypeScript SDK's McpServer");
  expect(report.verdict).toBe('pass');
}

/** The real reference server over each transport, started by the gate itself. */
describe('server-everything over every transport', () => {
  it('passes over stdio, recording the negotiated version and the surface', async () => {
    const tag = uniqueTag('everything-stdio');
    const report = await runPreflight(settingsFor({ command: everythingCommand('stdio', tag) }), { masker: new Masker() });
    expectOnlyKnownDeviations(report, []);
    // Over stdio each probed revision is another start of the server: by default only the gate's own connection.
    expect(report.observations.versionMatrix?.map((p) => `${p.requested}->${p.answered}`)).toEqual(['2025-11-25->2025-11-25']);
    expect(report.target.transport).toBe('stdio');
    expect(report.server).toMatchObject({ name: 'mcp-servers/everything', protocolVersion: '2025-11-25' });
    expect(report.surface.tools.length).toBeGreaterThan(5);
    expect(report.surface.prompts.length).toBeGreaterThan(0);
    expect(report.surface.resources.length).toBeGreaterThan(0);
    expect(report.checks.find((c) => c.id === 'ping.response')?.status).toBe('pass');
    expect(processesMatching(tag)).toEqual([]);
  });

  it('passes over Streamable HTTP on /mcp, waiting for the port to open', async () => {
    const port = await freePort();
    const tag = uniqueTag('everything-streamable-http');
    const report = await runPreflight(settingsFor({ start: everythingCommand('streamableHttp', tag, port), url: `http://localhost:${port}/mcp` }), {
      masker: new Masker(),
    });
    expectOnlyKnownDeviations(report, STREAMABLE_HTTP_ONLY);
    expect(report.checks.filter((c) => c.id.startsWith('http.')).map((c) => `${c.id}:${c.status}`)).toEqual([
      'http.accept:pass',
      'http.notification-accepted:pass',
      'http.get-stream:pass',
      'http.session:warn',
      'http.protocol-version-header:pass',
      'http.origin:warn',
      // A legacy-only server: the 2026-07-28 standard headers are not its to honour.
      'http.standard-headers:skip',
    ]);
    expect(report.target).toMatchObject({ transport: 'streamable-http', url: `http://localhost:${port}/mcp` });
    expect(report.server?.protocolVersion).toBe('2025-11-25');
    expect(report.timings.startupMs).toBeGreaterThan(0);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('falls back to the legacy HTTP+SSE transport on /sse when the transport is auto', async () => {
    const port = await freePort();
    const tag = uniqueTag('everything-sse');
    const report = await runPreflight(settingsFor({ start: everythingCommand('sse', tag, port), url: `http://127.0.0.1:${port}/sse` }), {
      masker: new Masker(),
    });
    expectOnlyKnownDeviations(report, []);
    expect(report.target.transport).toBe('sse');
    expect(report.triage.join(' ')).toContain('streamable-http failed, sse ok');
    expect(report.surface.tools.length).toBeGreaterThan(5);
    expect(processesMatching(tag)).toEqual([]);
  });
});
