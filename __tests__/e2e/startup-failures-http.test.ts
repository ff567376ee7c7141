import { expectPass, fixtureWith, MARGIN_MS, QUICK_RUN_MS, rootCause, runGate, uniqueTag } from '../fixtures/gate.js';
import { freePort, processesMatching } from '../helpers/servers.js';

const CONNECTION_FAILURES = ['transport.unreachable', 'lifecycle.connection-closed', 'lifecycle.initialize', 'transport.wrong-endpoint'];

/** A fixture started by the gate on a free port, with a marker to find its processes by. */
async function served(fixture: string, path: string) {
  const port = await freePort();
  const tag = uniqueTag(fixture);
  return { port, tag, origin: `http://127.0.0.1:${port}`, start: fixtureWith(fixture, tag, { PORT: port }), url: `http://127.0.0.1:${port}${path}` };
}

describe('start-up failures of HTTP servers', () => {
  it('quotes the status and the page of a health URL that never turns ready, and how long it waited', async () => {
    const { tag, start, url, origin } = await served('health-never-ready.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url, 'health-url': `${origin}/health`, 'startup-timeout': '1.5' });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.health-timeout', severity: 'error' });
    expect(cause.message).toContain(`${origin}/health did not answer 2xx within`);
    const waited = Number(/within (\d+(?:\.\d+)?) s/.exec(cause.message)?.[1]);
    expect(waited).toBeGreaterThanOrEqual(1.4);
    expect(waited).toBeLessThan(1.5 + MARGIN_MS / 1000);
    expect(cause.message).toContain('Its last answer was HTTP 503 (application/json): {"status":"starting","waitingFor":"database"}.');
    expect(wallMs).toBeLessThan(1500 + MARGIN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('reports a server that crashes before it is ready with its exit code, phase and stack trace', async () => {
    const { tag, start, url } = await served('exits-at-start.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.exited', severity: 'error' });
    expect(cause.message).toContain('exited with code 1, an application error (usually an uncaught exception or a failed start-up check) before ready');
    expect(cause.message).toContain('Error: catalogue.db is corrupt: unexpected end of data at byte 512');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('names the host and port where nothing listens (ECONNREFUSED)', async () => {
    const port = await freePort();
    const { report, wallMs } = await runGate({ url: `http://127.0.0.1:${port}/mcp`, 'startup-timeout': '1' });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'transport.unreachable', severity: 'error' });
    expect(cause.message).toContain(`127.0.0.1:${port} could not be reached: ECONNREFUSED`);
    expect(cause.hint).toContain('Nothing is listening there');
    expect(wallMs).toBeLessThan(1000 + MARGIN_MS);
  });

  it('quotes the WWW-Authenticate challenge of a 401, and reports no connection failure', async () => {
    const { tag, start, url, origin } = await served('unauthorized.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'auth.unauthorized', severity: 'error' });
    expect(cause.message).toContain('initialize was answered with HTTP 401. The gate sent no credentials.');
    expect(cause.message).toContain(`WWW-Authenticate: Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource", scope="weather.read"`);
    expect(report.findings.filter((f) => CONNECTION_FAILURES.includes(f.id))).toEqual([]);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('reports an event stream ended before the answer to initialize as a closed connection, without waiting for the time-out', async () => {
    const { tag, start, url } = await served('ends-stream.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'lifecycle.connection-closed', severity: 'error' });
    expect(cause.message).toContain('("Connection closed")');
    expect(cause.message).toContain(
      `POST ${url} was answered with HTTP 200 text/event-stream, and the server ended that stream before it sent the answer to initialize`,
    );
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('a URL that is not the MCP endpoint', () => {
  it('names the web page it serves and where the MCP endpoint is', async () => {
    const { tag, start, origin } = await served('html-app.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url: `${origin}/` });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'transport.wrong-endpoint', severity: 'error' });
    expect(cause.message).toContain(`${origin}/ is not an MCP endpoint: POST (Streamable HTTP) -> HTTP 200 text/html (a page titled "Acme Weather Dashboard")`);
    expect(cause.message).toContain(`The MCP endpoint is at ${origin}/mcp`);
    expect(cause.hint).toBe(`Set \`url: ${origin}/mcp\`.`);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('reports 404 to both transports and finds the endpoint at /mcp', async () => {
    const { tag, start, origin } = await served('healthy.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url: `${origin}/api` });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'transport.wrong-endpoint', severity: 'error' });
    expect(cause.message).toContain('POST (Streamable HTTP) -> HTTP 404; GET (HTTP+SSE) -> HTTP 404');
    expect(cause.message).toContain(`The MCP endpoint is at ${origin}/mcp: it answered Streamable HTTP with HTTP 200`);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('says what the usual paths answered when none of them is an MCP endpoint', async () => {
    const { tag, start, url } = await served('health-never-ready.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'transport.wrong-endpoint', severity: 'error' });
    expect(cause.message).toContain('POST (Streamable HTTP) -> HTTP 404; GET (HTTP+SSE) -> HTTP 404');
    expect(cause.message).toContain('No MCP endpoint answered at the usual paths either (GET /sse -> HTTP 404)');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('a forced transport the server does not speak', () => {
  it('recognises Streamable HTTP forced on a legacy HTTP+SSE server', async () => {
    const { tag, start, url } = await served('legacy-sse.mjs', '/sse');
    const { report, wallMs } = await runGate({ start, url, transport: 'streamable-http' });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'transport.mismatch', severity: 'error' });
    expect(cause.message).toContain(`transport is set to streamable-http, but ${url} speaks HTTP+SSE`);
    expect(cause.message).toContain('Seen: POST (Streamable HTTP) -> HTTP 405');
    expect(cause.message).toContain('GET (HTTP+SSE) -> HTTP 200 text/event-stream with an `endpoint` event');
    expect(cause.hint).toContain('`transport: sse`');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('passes the same legacy server when the transport is auto', async () => {
    const { tag, start, url } = await served('legacy-sse.mjs', '/sse');
    const { report } = await runGate({ start, url });
    expectPass(report);
    expect(report.target.transport).toBe('sse');
    expect(processesMatching(tag)).toEqual([]);
  });

  it('recognises HTTP+SSE forced on a Streamable HTTP server', async () => {
    const { tag, start, url } = await served('healthy.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url, transport: 'sse', 'request-timeout': '1' });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'transport.mismatch', severity: 'error' });
    expect(cause.message).toContain(`transport is set to sse, but ${url} speaks Streamable HTTP`);
    expect(cause.message).toContain('Seen: GET (HTTP+SSE) -> HTTP 200 text/event-stream');
    expect(cause.message).toContain('while POST (Streamable HTTP) -> HTTP 200');
    expect(cause.hint).toContain('`transport: streamable-http`');
    expect(wallMs).toBeLessThan(1000 + MARGIN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('deploy commands', () => {
  it('reports a failed deploy with its exit code and output', async () => {
    const tag = uniqueTag('deploy-fails');
    const { report, wallMs } = await runGate({ deploy: `echo deploying ${tag}; exit 3` });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'deploy.failed', severity: 'error' });
    expect(cause.message).toContain('The deploy command exited with code 3.');
    expect(cause.message).toContain(`deploying ${tag}`);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('reports a deploy that succeeds without printing the server URL', async () => {
    const tag = uniqueTag('deploy-no-url');
    const { report, wallMs } = await runGate({ deploy: `echo done ${tag}` });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'deploy.no-url', severity: 'error' });
    expect(cause.message).toContain('The deploy command succeeded but printed no http:// or https:// URL.');
    expect(cause.message).toContain(`done ${tag}`);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('the issue-2 fixtures over Streamable HTTP', () => {
  it('healthy.mjs passes with health-url', async () => {
    const { tag, start, url, origin } = await served('healthy.mjs', '/mcp');
    const { report, wallMs } = await runGate({ start, url, 'health-url': `${origin}/health` });
    expectPass(report);
    expect(report.target.transport).toBe('streamable-http');
    expect(report.triage.some((step) => step.startsWith('ready: yes'))).toBe(true);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });
});
