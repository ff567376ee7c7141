import { runPreflight } from '../../src/engine.js';
import { Masker } from '../../src/util/masker.js';
import { processesMatching, settingsFor, uniqueTag } from '../helpers/servers.js';
import { pythonWithModernMcp, v2PythonStdio } from '../helpers/v2-servers.js';

// The gate on a server of the Python SDK (`mcp` 2.3, both eras by default), the other SDK most servers are
// built on. Skipped when no Python with it is at hand (MCP_PYTHON; .ci/run installs one from the machine's
// package mirror when there is one).
const python = pythonWithModernMcp();

(python ? describe : describe.skip)('the gate on a Python SDK server that speaks both eras', () => {
  it('passes it over stdio as dual-era, with no error and the surface of both faces read', async () => {
    const tag = uniqueTag('python-gate');
    const report = await runPreflight(settingsFor({ command: v2PythonStdio(python as string, tag).command }), { masker: new Masker() });
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(report.verdict).toBe('pass');
    expect(report.server).toMatchObject({ era: 'dual', protocolVersion: '2026-07-28' });
    expect(report.server?.versions?.legacy).toContain('2025-11-25');
    expect(report.surface.tools.length).toBeGreaterThan(0);
    // Legacy-only checks ran on the legacy face; none was skipped for want of a handshake.
    expect(report.checks.find((c) => c.id === 'ping.response')?.status).toBe('pass');
    expect(processesMatching(tag)).toEqual([]);
  }, 90_000);
});
