import type { Report } from '../../src/report/report.js';
import { GRACE_MS } from '../../src/target/process.js';
import { fixtureWith, MARGIN_MS, QUICK_RUN_MS, runGate, uniqueTag } from '../fixtures/gate.js';
import { findingsOf, soleFinding, statusOf, writeConfig } from '../helpers/checklist.js';
import { freePort, processesMatching } from '../helpers/servers.js';

/**
 * The Streamable HTTP, health and shutdown checks against http-faults.mjs: the SDK's transport behind a
 * handler that breaks each rule on demand, and the same server with no faults, which must pass them all.
 */

const HTTP_CHECKS = ['http.accept', 'http.notification-accepted', 'http.get-stream', 'http.session', 'http.protocol-version-header', 'http.origin'];

async function runOn(faults: string[]): Promise<{ report: Report; wallMs: number; tag: string; origin: string }> {
  const port = await freePort();
  const tag = uniqueTag('http-faults');
  const origin = `http://127.0.0.1:${port}`;
  const start = fixtureWith('http-faults.mjs', tag, { PORT: port, MISBEHAVE: faults.join(',') });
  // Only the checks under test: the latency burst would add nothing here but time.
  const config = writeConfig({ skip: ['perf.latency'] });
  try {
    const { report, wallMs } = await runGate({ start, url: `${origin}/mcp`, 'health-url': `${origin}/health`, config: config.file });
    return { report, wallMs, tag, origin };
  } finally {
    config.remove();
  }
}

describe('a Streamable HTTP server that breaks every transport rule', () => {
  let run: Awaited<ReturnType<typeof runOn>>;

  beforeAll(async () => {
    run = await runOn([
      'accept',
      'notification',
      'get-html',
      'session-optional',
      'ended-session-400',
      'protocol-version',
      'origin',
      'health-503',
      'ignore-sigterm',
    ]);
  });

  it('warns that a POST accepting only JSON was served an event stream instead of 406', () => {
    const problem = soleFinding(run.report, 'http.accept', 'warn');
    expect(problem.message).toContain('initialize POSTed with "Accept: application/json" only got HTTP 200 (text/event-stream): event: message');
    expect(problem.message).toContain('not 406: an event stream, which that client said it cannot read');
  });

  it('warns that a notification got 200 with a body instead of 202', () => {
    const problem = soleFinding(run.report, 'http.notification-accepted', 'warn');
    expect(problem.message).toContain('got HTTP 200 (application/json): {"ok":true}; expected 202 Accepted with no body');
  });

  it('warns that GET got an HTML 404 instead of a stream or 405', () => {
    const problem = soleFinding(run.report, 'http.get-stream', 'warn');
    // With the notification fault the client opens no stream (it does after a 202 only): the check sent a GET of its own.
    expect(problem.message).toContain('GET with "Accept: text/event-stream" got HTTP 404 (text/html);');
  });

  it('warns that requests without a session are served and that an ended session gets 400 instead of 404', () => {
    expect(statusOf(run.report, 'http.session')).toBe('warn');
    const messages = findingsOf(run.report, 'http.session').map((f) => `${f.severity}: ${f.message}`);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('warning: A ping without Mcp-Session-Id got HTTP 200 (text/event-stream)');
    expect(messages[0]).toContain('"id":"mcp-preflight-no-session"');
    expect(messages[1]).toContain(
      'warning: A ping in a session ended by DELETE got HTTP 400 (application/json): {"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null}, not 404',
    );
  });

  it('warns that an invalid MCP-Protocol-Version header is accepted', () => {
    const problem = soleFinding(run.report, 'http.protocol-version-header', 'warn');
    expect(problem.message).toContain('A ping with "MCP-Protocol-Version: not-a-version" got HTTP 200');
  });

  it('warns that a foreign Origin is served', () => {
    const problem = soleFinding(run.report, 'http.origin', 'warn');
    expect(problem.message).toContain('initialize POSTed with "Origin: https://attacker.invalid" got HTTP 200');
    expect(problem.message).toContain('"serverInfo":{"name":"http-faults"');
  });

  it('warns that the health URL turned 503 after start-up, quoting its answer', () => {
    const problem = soleFinding(run.report, 'health.endpoint', 'warn');
    expect(problem.message).toContain(
      `${run.origin}/health answered HTTP 503 (application/json): {"status":"degraded","reason":"database connection pool exhausted"}`,
    );
    expect(problem.message).toContain('It answered 2xx at start-up');
    expect(run.report.observations.health).toMatchObject({ url: `${run.origin}/health`, status: 503 });
  });

  it('kills a server that ignores SIGTERM after the grace period, warns with its stderr, and leaves no process', () => {
    const problem = soleFinding(run.report, 'shutdown.graceful', 'warn');
    expect(problem.message).toContain(
      'The server did not exit on SIGTERM: it was still running when the grace period ran out, so the gate killed its process group with SIGKILL.',
    );
    expect(problem.message).toContain('SIGTERM received; waiting for open sessions to finish');
    // Stopping took the grace period, and the SIGKILL then ended it at once.
    expect(run.report.timings.cleanupMs).toBeGreaterThanOrEqual(GRACE_MS);
    expect(run.report.timings.cleanupMs).toBeLessThan(GRACE_MS + MARGIN_MS);
    expect(processesMatching(run.tag)).toEqual([]);
  });
});

describe('the same server with no faults', () => {
  it('passes every Streamable HTTP check, the health check and the shutdown check, refusing a foreign Origin with 403', async () => {
    const { report, wallMs, tag } = await runOn([]);
    const ids = [...HTTP_CHECKS, 'health.endpoint', 'shutdown.graceful'];
    expect(ids.map((id) => `${id}:${statusOf(report, id)}`)).toEqual(ids.map((id) => `${id}:pass`));
    expect(report.findings.filter((f) => ids.includes(f.id))).toEqual([]);
    expect(report.observations.health?.status).toBe(200);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('a server that accepts notifications but answers GET with an HTML page', () => {
  it("judges the GET the gate's client opened after initialize, as every client does, quoting the page title", async () => {
    const { report, tag } = await runOn(['get-html']);
    const problem = soleFinding(report, 'http.get-stream', 'warn');
    expect(problem.message).toBe(
      'GET with "Accept: text/event-stream" got HTTP 404 (text/html): a page titled "Not Found"; expected 200 with an event stream, or 405 if the server sends nothing unprompted.',
    );
    expect(processesMatching(tag)).toEqual([]);
  });
});
