import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expectPass, fixtureWith, MARGIN_MS, QUICK_RUN_MS, rootCause, runGate, uniqueTag } from '../fixtures/gate.js';
import { processesMatching } from '../helpers/servers.js';

/** For the test whose point is the time-out: the server never answers, however fast it starts. */
const SHORT_TIMEOUT_S = 1;
/** For the tests whose point is not waiting: a run that waited for it would be plain to see. */
const LONG_TIMEOUT_S = 30;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every stdio server that fails at start-up gets one finding naming the cause, fast, and leaves nothing behind. */
describe('start-up failures of stdio servers', () => {
  it('names the missing executable and the PATH searched (exit 127)', async () => {
    const tag = uniqueTag('not-found');
    const { report, wallMs } = await runGate({ command: `weather-mcp-server-not-installed --stdio ${tag}` });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.command-not-found', severity: 'error' });
    expect(cause.message).toContain('"weather-mcp-server-not-installed" was not found (exit code 127)');
    expect(cause.message).toContain(`PATH searched: ${process.env.PATH}`);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('names a server file without the run bit (exit 126)', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'preflight-not-executable-'));
    const server = path.join(directory, 'server.mjs');
    try {
      await writeFile(server, '#!/usr/bin/env node\nconsole.error("never runs");\n');
      await chmod(server, 0o644);
      const { report, wallMs } = await runGate({ command: server });
      const cause = rootCause(report);
      expect(cause).toMatchObject({ id: 'launch.not-executable', severity: 'error' });
      expect(cause.message).toContain(`"${server}" could not be executed (exit code 126: permission denied)`);
      expect(cause.hint).toContain('chmod +x');
      expect(wallMs).toBeLessThan(QUICK_RUN_MS);
      expect(processesMatching(directory)).toEqual([]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reports a crash at start with its exit code, phase and stack trace', async () => {
    const tag = uniqueTag('exits-at-start');
    const { report, wallMs } = await runGate({ command: fixtureWith('exits-at-start.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.exited', severity: 'error' });
    expect(cause.message).toContain('exited with code 1, an application error');
    expect(cause.message).toContain('Error: catalogue.db is corrupt: unexpected end of data at byte 512');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('reports a server that exits while answering initialize, with the phase and the stderr tail', async () => {
    const tag = uniqueTag('exits-during-initialize');
    const { report, wallMs } = await runGate({ command: fixtureWith('exits-during-initialize.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.exited', severity: 'error' });
    expect(cause.message).toContain('The server exited with code 3 during initialize.');
    expect(cause.message).toContain('Error: cannot open /var/lib/weather/cache.db: database is locked');
    expect(report.triage).toContain('alive: no (the server exited with code 3 during initialize)');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('says a server killed by SIGKILL was often killed for lack of memory', async () => {
    const tag = uniqueTag('killed');
    const { report, wallMs } = await runGate({ command: fixtureWith('killed-during-initialize.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.exited', severity: 'error' });
    expect(cause.message).toContain('was killed (SIGKILL), often by the out-of-memory killer during initialize');
    expect(cause.message).toContain('loading model weights (2.1 GB)');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('names the environment variable a server exits without, and passes once it is set', async () => {
    const tag = uniqueTag('missing-config');
    const { report, wallMs } = await runGate({ command: fixtureWith('missing-api-key.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'launch.missing-config', severity: 'error' });
    expect(cause.message).toContain('missing the environment variable WEATHER_API_KEY');
    expect(cause.message).toContain('Error: Missing required environment variable WEATHER_API_KEY');
    expect(cause.hint).toContain('WEATHER_API_KEY: ${{ secrets.WEATHER_API_KEY }}');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);

    const configured = await runGate({ command: fixtureWith('missing-api-key.mjs', tag, { WEATHER_API_KEY: 'test-key' }) });
    expectPass(configured.report);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('reports initialize unanswered within request-timeout while the process still runs', async () => {
    const tag = uniqueTag('never-answers');
    const { report, wallMs } = await runGate({ command: fixtureWith('never-answers.mjs', tag), 'request-timeout': String(SHORT_TIMEOUT_S) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'lifecycle.initialize-timeout', severity: 'error' });
    expect(cause.message).toContain(`No answer to initialize within ${SHORT_TIMEOUT_S * 1000} ms. The process was still running.`);
    expect(cause.message).toContain('warming the cache before connecting the transport');
    expect(wallMs).toBeGreaterThanOrEqual(SHORT_TIMEOUT_S * 1000);
    expect(wallMs).toBeLessThan(SHORT_TIMEOUT_S * 1000 + MARGIN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('reports a server that closes stdout and keeps running as a closed connection', async () => {
    const tag = uniqueTag('closes-stdout');
    const { report, wallMs } = await runGate({ command: fixtureWith('closes-stdout.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'lifecycle.connection-closed', severity: 'error' });
    expect(cause.message).toContain('("Connection closed")');
    expect(cause.message).toContain('closed its stdout while the process kept running');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('quotes the JSON-RPC error a server answers initialize with', async () => {
    const tag = uniqueTag('initialize-error');
    const { report, wallMs } = await runGate({ command: fixtureWith('initialize-error.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'lifecycle.initialize-failed', severity: 'error' });
    expect(cause.message).toBe('initialize was answered with error -32603: Internal error: tool registry not loaded');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('names the field missing from the InitializeResult', async () => {
    const tag = uniqueTag('no-server-info');
    const { report, wallMs } = await runGate({ command: fixtureWith('initialize-no-server-info.mjs', tag) });
    const cause = rootCause(report);
    expect(cause).toMatchObject({ id: 'lifecycle.initialize-failed', severity: 'error' });
    expect(cause.message).toMatch(/^The InitializeResult lacks serverInfo: \{"protocolVersion":"2025-11-25"/);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it.each([
    // The suggested URL keeps a loopback host the line names (a Host allow-list accepts only that name).
    ['stdout', 'MCP server listening on http://127.0.0.1:{port}/mcp', 'http://127.0.0.1', '/mcp'],
    ['stderr', 'MCP server listening on port {port}', 'http://127.0.0.1', '/mcp'],
    ['stdout', 'Listening on http://localhost:{port}', 'http://localhost', '/mcp'],
    ['stderr', 'Server running on port {port}', 'http://127.0.0.1', '/mcp'],
    ['stderr', 'INFO:     Uvicorn running on http://127.0.0.1:{port}/sse (Press CTRL+C to quit)', 'http://127.0.0.1', '/sse'],
  ])(
    'recognises an HTTP server run as a stdio command by what it prints on %s (%j), well before request-timeout',
    async (stream, announce, origin, mcpPath) => {
      const tag = uniqueTag(`http-as-stdio-${stream}`);
      const command = fixtureWith('http-server-as-command.mjs', tag, { LOG_STREAM: stream, ANNOUNCE: JSON.stringify(announce) });
      const { report, wallMs } = await runGate({ command, 'request-timeout': String(LONG_TIMEOUT_S) });
      const cause = rootCause(report);
      expect(cause).toMatchObject({ id: 'transport.mismatch', severity: 'error' });
      const [prefix, suffix] = announce.split('{port}');
      const printed = new RegExp(`it printed "${escapeRegExp(prefix)}(\\d+)${escapeRegExp(suffix)}" on (\\w+)`).exec(cause.message);
      expect(printed?.[2]).toBe(stream);
      expect(cause.message).toContain('sent nothing on stdout in answer to initialize');
      expect(cause.hint).toContain(`\`url: ${origin}:${printed?.[1]}${mcpPath}\``);
      expect(cause.hint).toContain('`start`');
      // Recognised from the listener line, not from the silence: a run that waited for initialize lasts request-timeout.
      expect(wallMs).toBeLessThan(LONG_TIMEOUT_S * 1000);
      expect(processesMatching(tag)).toEqual([]);
    },
  );

  it('waits for a stdio server that announces a side port on stderr and answers a moment later', async () => {
    const tag = uniqueTag('side-port');
    const { report } = await runGate({ command: fixtureWith('stdio-with-side-port.mjs', tag, { START_DELAY_MS: 300 }) });
    expectPass(report);
    expect(report.server?.name).toBe('stdio-with-side-port');
    expect(report.findings.filter((f) => f.id === 'transport.mismatch')).toEqual([]);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe("stray output on a stdio server's stdout", () => {
  it('is an error when it comes before the first JSON-RPC message, quoting the lines by number', async () => {
    const tag = uniqueTag('banner');
    const { report, wallMs } = await runGate({ command: fixtureWith('banner-on-stdout.mjs', tag) });
    const cause = report.findings.find((f) => f.id === 'stdio.stdout-pollution');
    expect(cause?.severity).toBe('error');
    expect(cause?.message).toContain('before its first JSON-RPC message');
    expect(cause?.message).toContain('line 1: Weather MCP server v1.0.0');
    expect(cause?.message).toContain('line 2: Loading configuration from ./weather.json');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });

  it('is a warning when the handshake survives and it comes after', async () => {
    const tag = uniqueTag('late-log');
    const { report, wallMs } = await runGate({ command: fixtureWith('logs-on-stdout-after-initialize.mjs', tag) });
    const stray = report.findings.find((f) => f.id === 'stdio.stdout-pollution');
    expect(stray?.severity).toBe('warning');
    expect(stray?.message).toContain('after the handshake');
    // Which line it is depends on how the requests that follow the handshake interleave with the log.
    expect(stray?.message).toMatch(/line \d+: client connected: mcp-preflight/);
    expectPass(report);
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });
});

describe('the issue-2 fixtures over stdio', () => {
  it('healthy.mjs passes', async () => {
    const tag = uniqueTag('healthy-stdio');
    const { report, wallMs } = await runGate({ command: fixtureWith('healthy.mjs', tag) });
    expectPass(report);
    expect(report.server?.name).toBe('healthy-fixture');
    expect(wallMs).toBeLessThan(QUICK_RUN_MS);
    expect(processesMatching(tag)).toEqual([]);
  });
});
