import { fixtureWith, MARGIN_MS, rootCause, runGate, uniqueTag } from '../fixtures/gate.js';
import { processesMatching } from '../helpers/servers.js';

/**
 * The whole of the flood or of the 20 MB line must reach the gate before it gives up on initialize, even
 * with a server process per probed protocol revision competing for two cores.
 */
const TIMEOUT_S = 5;
const TIMEOUT_MS = TIMEOUT_S * 1000;
/** What the gate may keep of a hostile server's output: a report, not a copy of the flood. */
const REPORT_BYTES_LIMIT = 1024 * 1024;
const MEMORY_GROWTH_LIMIT = 200 * 1024 * 1024;

async function runHostile(fixture: string) {
  const tag = uniqueTag(fixture);
  const rssBefore = process.memoryUsage().rss;
  const run = await runGate({ command: fixtureWith(fixture, tag), 'request-timeout': String(TIMEOUT_S) });
  return { ...run, tag, rssGrowth: process.memoryUsage().rss - rssBefore };
}

/** Servers that try to exhaust the gate: it must still finish on time, with bounded memory, and say why. */
describe('hostile stdio servers', () => {
  it('survives 16 MB of non-JSON on stdout and 8 MB on stderr', async () => {
    const { report, wallMs, tag, rssGrowth } = await runHostile('floods-output.mjs');
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'stdio.stdout-pollution', severity: 'error' });
    expect(cause.message).toMatch(/^\d{4,} line\(s\) on stdout were not JSON-RPC messages, and the handshake failed:\n {2}line 1: DEBUG poll tick/);
    expect(wallMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(JSON.stringify(report).length).toBeLessThan(REPORT_BYTES_LIMIT);
    expect(rssGrowth).toBeLessThan(MEMORY_GROWTH_LIMIT);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('skips a single 20 MB line on stdout instead of holding it', async () => {
    const { report, wallMs, tag, rssGrowth } = await runHostile('giant-line.mjs');
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'stdio.stdout-pollution', severity: 'error' });
    expect(cause.message).toContain('1 line(s) on stdout were not JSON-RPC messages, and the handshake failed');
    expect(cause.message).toMatch(/line 1: x{300}… \[one line of more than \d+ characters, skipped\]/);
    expect(wallMs).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    expect(JSON.stringify(report).length).toBeLessThan(REPORT_BYTES_LIMIT);
    expect(rssGrowth).toBeLessThan(MEMORY_GROWTH_LIMIT);
    expect(processesMatching(tag)).toEqual([]);
  });
});
