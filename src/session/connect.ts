import { Client, SdkError, SdkErrorCode, SdkHttpError, SSEClientTransport, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import { httpLimitsOf, type Settings } from '../settings.js';
import type { Masker } from '../util/masker.js';
import { withinDeadline } from '../util/time.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { probeEndpoints, shouldProbe, type EndpointProbe } from './endpoint-probe.js';
import { Exchange, RecordingTransport, recordingFetch } from './exchange.js';
import { closeQuietly, connectModern, speaksModernOver, type ModernAttempt, type ModernConnection } from './modern-face.js';
import { firstListMethod, Session, type TransportName } from './session.js';
import { HttpServerInstead, ProcessStdioTransport, stdioLaunch } from './stdio-transport.js';

export interface ConnectAttempt {
  transport: TransportName;
  error?: Error;
  durationMs: number;
}

export interface ConnectOutcome {
  /** The primary face: the modern session when the server speaks 2026-07-28, else the legacy one. */
  session?: Session;
  /** Each era's session: a dual-era server has both. */
  faces: { legacy?: Session; modern?: Session };
  /** The legacy handshake's attempts, one per transport tried. */
  attempts: ConnectAttempt[];
  /** The `server/discover` probe and, when it found the modern era, the modern face's connection. */
  modern?: ModernAttempt;
  /** When the legacy handshake failed: a stdio server's exit after it is the gate's doing. */
  legacyGaveUpAt?: number;
  /** The legacy attempts' exchange. */
  exchange: Exchange;
  /** Present for stdio: the primary face's server process (else the legacy attempt's) and what it printed on stdout. */
  stdio?: ProcessStdioTransport;
  /** After every HTTP attempt failed: what the URL and the conventional MCP paths answered to each transport. */
  probes?: EndpointProbe[];
}

/** Statuses on which the spec's backwards-compatibility section says to try the legacy HTTP+SSE transport. */
const LEGACY_FALLBACK_STATUSES = new Set([400, 404, 405]);

/** `start()` of the SSE transport waits for an `endpoint` event with no deadline of its own. */
const CONNECT_MARGIN_MS = 1000;

/**
 * Connects each face the server speaks: the legacy handshake on the main connection, and the modern era's
 * `server/discover` on a connection of its own (over stdio, a process of its own).
 */
export async function connect(settings: Settings, target: { url?: URL }, masker: Masker, options: { versionProbe?: boolean } = {}): Promise<ConnectOutcome> {
  const exchange = new Exchange(settings.config.limits);
  const outcome: ConnectOutcome = { attempts: [], exchange, faces: {} };
  // Over HTTP the probe is a request beside the handshake. Over stdio it is a server process: started once
  // the main one answered initialize, with a result or an error (a modern-only server's refusal), so a
  // server that crashes or hangs on start-up is diagnosed from one process, as before.
  let modern = speaksModernOver(settings) && !settings.command ? connectModern(settings, target.url, masker) : undefined;
  await connectLegacy(outcome, settings, target.url, masker);
  if (!outcome.faces.legacy) outcome.legacyGaveUpAt = performance.now();
  if (modern && !outcome.faces.legacy && brokeOff(outcome.attempts.at(-1)?.error)) {
    // The handshake's connection broke or timed out: the diagnosis is that one, and the probe adds nothing.
    await modern.abandon();
    modern = undefined;
  }
  if (settings.command && exchange.initializeAnswered) {
    // Beside the copy that asks for the modern face, the one for the request stamped with an unknown version
    // (`versionProbe`, for modern.unsupported-version) starts too: two server starts at once instead of one
    // after the other. Its request is chosen from what the main process advertised, the face's own not known yet.
    const capabilities = outcome.faces.legacy?.capabilities ?? {};
    modern = connectModern(settings, target.url, masker, { versionProbe: options.versionProbe ? firstListMethod(capabilities) : undefined });
  }
  if (modern) await settleModern(outcome, modern, settings);
  outcome.session = outcome.faces.modern ?? outcome.faces.legacy;
  if (outcome.faces.modern) outcome.stdio = outcome.faces.modern.stdio ?? outcome.stdio;
  if (!outcome.session && target.url && shouldProbe(exchange)) {
    outcome.probes = await probeEndpoints(
      target.url,
      outcome.attempts.map((a) => a.transport),
      settings.headers,
      httpLimitsOf(settings),
    );
  }
  return outcome;
}

async function connectLegacy(outcome: ConnectOutcome, settings: Settings, url: URL | undefined, masker: Masker): Promise<void> {
  if (settings.command) {
    const stdio = new ProcessStdioTransport(stdioLaunch(settings, 'server', masker));
    outcome.stdio = stdio;
    await attempt(outcome, 'stdio', stdio, settings);
    return;
  }
  const order: TransportName[] = settings.transport === 'auto' ? ['streamable-http', 'sse'] : [settings.transport];
  for (const name of order) {
    await attempt(outcome, name, createHttpTransport(name, url as URL, settings, outcome.exchange), settings);
    if (outcome.faces.legacy || !shouldFallBack(outcome.attempts.at(-1)?.error)) break;
  }
}

/** The least a stdio probe gets after the legacy face answered, and the multiple of that handshake's time. */
const STDIO_PROBE_GRACE_MS = 2000;
const STDIO_PROBE_GRACE_FACTOR = 3;

/**
 * Waits for the modern probe. Over stdio a legacy server may never answer an unknown request: once the
 * main process answered initialize (with a result or an error), the probe gets a few times that
 * handshake's time (the process started alike), then silence counts as legacy, as the spec's stdio rules
 * say, instead of holding up the run for the whole request time-out.
 */
async function settleModern(outcome: ConnectOutcome, modern: ModernConnection, settings: Settings): Promise<void> {
  const legacy = outcome.faces.legacy;
  const handshakeMs = outcome.attempts.at(-1)?.durationMs ?? 0;
  const graceMs = Math.min(settings.requestTimeoutMs, Math.max(STDIO_PROBE_GRACE_MS, STDIO_PROBE_GRACE_FACTOR * handshakeMs));
  const answered = legacy !== undefined || outcome.exchange.initializeAnswered;
  const settled = settings.command && answered ? await withinDeadline(modern.settled, graceMs) : await modern.settled;
  if (!settled) {
    await modern.abandon();
    const { attempt: given } = await modern.settled;
    outcome.modern = { ...given, verdict: 'legacy' };
    return;
  }
  outcome.modern = settled.attempt;
  outcome.faces.modern = settled.session;
}

function brokeOff(error: Error | undefined): boolean {
  return error instanceof SdkError && (error.code === SdkErrorCode.RequestTimeout || error.code === SdkErrorCode.ConnectionClosed);
}

function shouldFallBack(error: Error | undefined): boolean {
  return error instanceof SdkHttpError && LEGACY_FALLBACK_STATUSES.has(error.status);
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
  outcome.faces.legacy = new Session(
    client,
    transport,
    name,
    { era: 'legacy', initialize },
    outcome.exchange,
    timeoutMs,
    { ...settings.config.limits, maxPages: settings.maxPages },
    stdio,
  );
}

/** Connects within the request time-out; the error a user's client would have seen, if any. */
async function handshake(
  client: Client,
  transport: Transport,
  exchange: Exchange,
  timeoutMs: number,
  stdio?: ProcessStdioTransport,
): Promise<Error | undefined> {
  const connecting = client.connect(transport, { timeout: timeoutMs }).then(
    () => ({ error: undefined }),
    (error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) }),
  );
  // The SDK waits out its time-out when an HTTP server cuts the stream that should carry the answer,
  // and when a web server given as a stdio command announced its port instead of answering.
  const cut = exchange.initializeStreamCut.then(() => ({ error: new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed') }));
  const elsewhere = stdio ? [stdio.servesHttpInstead.then((error) => ({ error }))] : [];
  const settled = await withinDeadline(Promise.race([connecting, cut, ...elsewhere]), timeoutMs + CONNECT_MARGIN_MS);
  return settled ? settled.error : new SdkError(SdkErrorCode.RequestTimeout, `no answer to initialize within ${timeoutMs} ms`);
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
  const stillRunning = (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) || error instanceof HttpServerInstead;
  if (!exchange.initializeAnswered && !stillRunning) await stdio.awaitExitUnderWay();
}

export { closeQuietly };
