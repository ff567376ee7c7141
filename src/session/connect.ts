import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { httpLimitsOf, type Settings } from '../settings.js';
import type { Masker } from '../util/masker.js';
import { withinDeadline } from '../util/time.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { probeEndpoints, shouldProbe, type EndpointProbe } from './endpoint-probe.js';
import { Exchange, RecordingTransport, recordingFetch } from './exchange.js';
import { Session, type TransportName } from './session.js';
import { HttpServerInstead, ProcessStdioTransport, stdioLaunch } from './stdio-transport.js';

export interface ConnectAttempt {
  transport: TransportName;
  error?: Error;
  durationMs: number;
}

export interface ConnectOutcome {
  session?: Session;
  attempts: ConnectAttempt[];
  exchange: Exchange;
  /** Present for stdio: the server process and what it printed on stdout. */
  stdio?: ProcessStdioTransport;
  /** After every HTTP attempt failed: what the URL and the conventional MCP paths answered to each transport. */
  probes?: EndpointProbe[];
}

/** Statuses on which the spec's backwards-compatibility section says to try the legacy HTTP+SSE transport. */
const LEGACY_FALLBACK_STATUSES = new Set([400, 404, 405]);

/** `start()` of the SSE transport waits for an `endpoint` event with no deadline of its own. */
const CONNECT_MARGIN_MS = 1000;

export async function connect(settings: Settings, target: { url?: URL }, masker: Masker): Promise<ConnectOutcome> {
  const exchange = new Exchange(settings.config.limits);
  const outcome: ConnectOutcome = { attempts: [], exchange };
  if (settings.command) {
    const stdio = new ProcessStdioTransport(stdioLaunch(settings, 'server', masker));
    outcome.stdio = stdio;
    await attempt(outcome, 'stdio', stdio, settings);
    return outcome;
  }
  const url = target.url as URL;
  const order: TransportName[] = settings.transport === 'auto' ? ['streamable-http', 'sse'] : [settings.transport];
  for (const name of order) {
    await attempt(outcome, name, createHttpTransport(name, url, settings, exchange), settings);
    if (outcome.session || !shouldFallBack(outcome.attempts.at(-1)?.error)) break;
  }
  if (!outcome.session && shouldProbe(exchange)) {
    outcome.probes = await probeEndpoints(url, outcome.attempts.map((a) => a.transport), settings.headers, httpLimitsOf(settings));
  }
  return outcome;
}

function shouldFallBack(error: Error | undefined): boolean {
  return error instanceof StreamableHTTPError && error.code !== undefined && LEGACY_FALLBACK_STATUSES.has(error.code);
}

function createHttpTransport(name: TransportName, url: URL, settings: Settings, exchange: Exchange): Transport {
  // Headers and tokens go to the origin of `url` only: fetch itself would follow a redirect anywhere and drop
  // only Authorization on the way, taking an API key header along.
  const options = { requestInit: { headers: settings.headers }, fetch: recordingFetch(exchange), redirectPolicy: 'same-origin' as const };
  return name === 'sse' ? new SSEClientTransport(url, options) : new StreamableHTTPClientTransport(url, options);
}

async function attempt(outcome: ConnectOutcome, name: TransportName, inner: Transport, settings: Settings): Promise<void> {
  const started = performance.now();
  const transport = new RecordingTransport(inner, outcome.exchange);
  const client = new Client({ name: TOOL_NAME, version: TOOL_VERSION }, { capabilities: {} });
  const timeoutMs = settings.requestTimeoutMs;
  const stdio = inner instanceof ProcessStdioTransport ? inner : undefined;
  const error = await handshake(client, transport, outcome.exchange, timeoutMs, stdio);
  outcome.attempts.push({ transport: name, error, durationMs: Math.round(performance.now() - started) });
  const initialize = outcome.exchange.initialize.result;
  if (error || !initialize) {
    await releaseFailedAttempt(client, transport, stdio, outcome.exchange, error);
    return;
  }
  outcome.session = new Session(client, transport, name, initialize, outcome.exchange, timeoutMs, { ...settings.config.limits, maxPages: settings.maxPages }, stdio);
}

/** Connects within the request time-out; the error a user's client would have seen, if any. */
async function handshake(client: Client, transport: Transport, exchange: Exchange, timeoutMs: number, stdio?: ProcessStdioTransport): Promise<Error | undefined> {
  const connecting = client.connect(transport, { timeout: timeoutMs }).then(
    () => ({ error: undefined }),
    (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
  );
  // The SDK waits out its time-out when an HTTP server cuts the stream that should carry the answer,
  // and when a web server given as a stdio command announced its port instead of answering.
  const cut = exchange.initializeStreamCut.then(() => ({ error: new McpError(ErrorCode.ConnectionClosed, 'Connection closed') }));
  const elsewhere = stdio ? [stdio.servesHttpInstead.then((error) => ({ error }))] : [];
  const settled = await withinDeadline(Promise.race([connecting, cut, ...elsewhere]), timeoutMs + CONNECT_MARGIN_MS);
  return settled ? settled.error : new McpError(ErrorCode.RequestTimeout, `no answer to initialize within ${timeoutMs} ms`);
}

async function releaseFailedAttempt(
  client: Client,
  transport: Transport,
  stdio: ProcessStdioTransport | undefined,
  exchange: Exchange,
  error: Error | undefined,
): Promise<void> {
  if (!stdio) {
    await closeQuietly(client, transport);
    return;
  }
  // A stdio server is left running for the engine, which records its own exit before ending it: closing
  // it here would make the gate's SIGTERM (or closed stdin) look like the server's crash.
  const stillRunning = (error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number)) || error instanceof HttpServerInstead;
  if (!exchange.initializeAnswered && !stillRunning) await stdio.awaitExitUnderWay();
}

export async function closeQuietly(client: Client, transport: Transport): Promise<void> {
  // Closing is best effort: a broken server must not turn cleanup into a second failure.
  await withinDeadline(client.close().catch(() => undefined), 5000);
  await withinDeadline(transport.close().catch(() => undefined), 5000);
}
