import { Client, SdkError, SdkErrorCode, SdkHttpError, StreamableHTTPClientTransport, type Transport } from '@modelcontextprotocol/client';
import type { Settings } from '../settings.js';
import type { Masker } from '../util/masker.js';
import { withinDeadline } from '../util/time.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { Exchange, RecordingTransport, recordingFetch } from './exchange.js';
import { ModernRequests, startVersionProbe } from './modern-requests.js';
import { FIRST_MODERN_REVISION, Session, type TransportName } from './session.js';
import { ProcessStdioTransport, stdioLaunch } from './stdio-transport.js';

/**
 * What the `server/discover` probe showed. `modern`: the server speaks 2026-07-28. `legacy`: it answered
 * in a way only a legacy server does (over stdio: any error, an exit, or silence). `unknown`: an
 * authorization wall, which is never era evidence. `failed`: a 5xx, a time-out or a broken connection on
 * HTTP, which is an outage, not a legacy server.
 */
export type EraVerdict = 'modern' | 'legacy' | 'unknown' | 'failed';

export interface ModernAttempt {
  transport: TransportName;
  verdict: EraVerdict;
  /** Why there is no modern face, in the client's words. */
  error?: Error;
  durationMs: number;
  /** The probe's own exchange: its HTTP requests, its raw messages. */
  exchange: Exchange;
}

export interface ModernConnection {
  /** Settles once the probe has an answer: with the modern face when the server speaks 2026-07-28. */
  readonly settled: Promise<{ attempt: ModernAttempt; session?: Session; stdio?: ProcessStdioTransport }>;
  /** Gives up on an unanswered probe: ends its connection (over stdio, its process). */
  abandon(): Promise<void>;
}

/** `start()` of a transport, and the probe, have no deadline of their own beyond the request time-out. */
const CONNECT_MARGIN_MS = 1000;

/** The modern face is spoken over stdio and Streamable HTTP; the deprecated HTTP+SSE transport is legacy only. */
export function speaksModernOver(settings: Settings): boolean {
  return Boolean(settings.command) || settings.transport === 'auto' || settings.transport === 'streamable-http';
}

/**
 * Connects a client pinned to 2026-07-28: its connect sends `server/discover` with the modern `_meta`
 * (and, over HTTP, the modern headers), and the answer decides whether the server speaks the modern era.
 * Over stdio the probe runs in a process of its own, started like the main one: a server that exits on
 * an unknown request before `initialize` (the Rust SDK's do) costs only that process, never the gate's
 * legacy connection, and is a legacy server, not a crash.
 */
export function connectModern(settings: Settings, url: URL | undefined, masker: Masker, options: { versionProbe?: string } = {}): ModernConnection {
  const exchange = new Exchange(settings.config.limits);
  const name: TransportName = settings.command ? 'stdio' : 'streamable-http';
  const stdio = settings.command ? new ProcessStdioTransport(stdioLaunch(settings, 'server (2026-07-28 face)', masker)) : undefined;
  const inner: Transport =
    stdio ??
    new StreamableHTTPClientTransport(url as URL, {
      requestInit: { headers: settings.headers },
      fetch: recordingFetch(exchange),
      redirectPolicy: 'same-origin' as const,
    });
  const transport = new RecordingTransport(inner, exchange);
  const timeoutMs = settings.requestTimeoutMs;
  // Over stdio, a process of its own, started now beside the face's (see ModernRequests.probeVersion).
  const rawTarget = { settings, url, masker, protocolVersion: FIRST_MODERN_REVISION };
  const versionProbe = stdio && options.versionProbe ? startVersionProbe(rawTarget, options.versionProbe) : undefined;
  const client = new Client(
    { name: TOOL_NAME, version: TOOL_VERSION },
    { capabilities: {}, versionNegotiation: { mode: { pin: FIRST_MODERN_REVISION }, probe: { timeoutMs } } },
  );
  const started = performance.now();
  let abandoned = false;
  const settled = (async () => {
    const outcome = await withinDeadline(
      client.connect(transport, { timeout: timeoutMs }).then(
        () => null,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
      timeoutMs + CONNECT_MARGIN_MS,
    );
    const error =
      outcome === undefined ? new SdkError(SdkErrorCode.RequestTimeout, `no answer to server/discover within ${timeoutMs} ms`) : (outcome ?? undefined);
    const durationMs = Math.round(performance.now() - started);
    const discover = client.getDiscoverResult();
    const protocolVersion = client.getNegotiatedProtocolVersion();
    if (!error && !abandoned && discover && protocolVersion) {
      const bounds = { ...settings.config.limits, maxPages: settings.maxPages };
      const session = new Session(client, transport, name, { era: 'modern', discover, protocolVersion }, exchange, timeoutMs, bounds, stdio);
      session.raw = new ModernRequests({ ...rawTarget, protocolVersion }, transport, versionProbe);
      return { attempt: { transport: name, verdict: 'modern' as const, durationMs, exchange }, session, stdio };
    }
    await Promise.all([closeQuietly(client, transport), versionProbe?.connection.close()]);
    const reason = error ?? new Error('the server/discover probe was given up');
    return { attempt: { transport: name, verdict: verdictOf(reason, name), error: reason, durationMs, exchange } };
  })();
  return {
    settled,
    async abandon() {
      abandoned = true;
      await Promise.all([closeQuietly(client, transport), versionProbe?.connection.close()]);
    },
  };
}

/**
 * Reads a failed probe per the spec's rules. Over stdio a dual-era client falls back on any error or
 * silence, so every failure is legacy evidence. Over HTTP: 401/403 says nothing about the era; a 5xx, a
 * time-out or a broken connection is an outage; an answer without modern evidence (a legacy server's
 * 400 or 404) is legacy. The pinned client reports that last case as a bare EraNegotiationFailed, its
 * probe failures carry the HTTP status or the cause.
 */
export function verdictOf(error: Error, transport: TransportName): EraVerdict {
  if (transport === 'stdio') return 'legacy';
  if (error instanceof SdkHttpError) return error.status === 401 || error.status === 403 ? 'unknown' : 'failed';
  if (error instanceof SdkError && error.code === SdkErrorCode.EraNegotiationFailed && error.data === undefined) return 'legacy';
  return 'failed';
}

export async function closeQuietly(client: Client, transport: Transport): Promise<void> {
  // Closing is best effort: a broken server must not turn cleanup into a second failure.
  await withinDeadline(
    client.close().catch(() => undefined),
    5000,
  );
  await withinDeadline(
    transport.close().catch(() => undefined),
    5000,
  );
}
