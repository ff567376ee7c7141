import os from 'node:os';
import {
  SSEClientTransport,
  StreamableHTTPClientTransport,
  type Transport,
  ProtocolErrorCode,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  LATEST_PROTOCOL_VERSION,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from '@modelcontextprotocol/client';
import type { VersionMatrix } from '../config-defaults.js';
import type { Settings } from '../settings.js';
import type { Masker } from '../util/masker.js';
import { mapConcurrently } from '../util/pool.js';
import { withinDeadline } from '../util/time.js';
import { cappedFetch } from './exchange.js';
import { initializeRequest } from './raw-http.js';
import { FIRST_MODERN_REVISION, type Era, type Session, type TransportName } from './session.js';
import { UNKNOWN_MODERN_REVISION, type StampedAnswer } from './stamped-request.js';
import { ProcessStdioTransport, stdioLaunch } from './stdio-transport.js';

/** The legacy revisions clients speak today, oldest first, and a version no revision has. */
export const KNOWN_REVISIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;
export const UNKNOWN_REVISION = '1999-01-01';
export { UNKNOWN_MODERN_REVISION };
/** The modern era's "unsupported protocol version" error (2026-07-28, basic/versioning). */
export const UNSUPPORTED_VERSION_CODE = -32022;

/** One cell of the compatibility matrix: what a client of one era asking for one version was answered. */
export interface VersionProbe {
  /** The era of the request: `initialize` (legacy) or `server/discover` stamped with the version (modern). */
  era: Era;
  requested: string;
  /** The version the server agreed to speak: the initialize result's, or the one a modern request was served in. */
  answered?: string;
  /** Why there is no answer: the error, the silence. */
  error?: string;
  /** The JSON-RPC error code of a refusal. */
  code?: number;
  /** The versions a -32022 refusal names (`data.supported`). */
  supported?: string[];
  /** The HTTP status of the answer, over HTTP. */
  status?: number;
  durationMs: number;
}

export interface ProbeTarget {
  transport: TransportName;
  settings: Settings;
  url?: URL;
  masker: Masker;
}

/**
 * The legacy revisions to probe beside the gate's own connection, which already asked for the latest.
 * `minimal` asks for the oldest and an unknown one: together with the latest they bound what clients
 * meet, at the cost of two connections (over stdio, two server starts). `full` asks for every revision in
 * between too. `auto` is minimal over HTTP and latest (none) over stdio.
 */
export function revisionsToProbe(matrix: VersionMatrix, transport: TransportName): string[] {
  const chosen = matrix === 'auto' ? (transport === 'stdio' ? 'latest' : 'minimal') : matrix;
  if (chosen === 'latest') return [];
  const older = KNOWN_REVISIONS.filter((r) => r !== LATEST_PROTOCOL_VERSION);
  return [...(chosen === 'full' ? older : older.slice(0, 1)), UNKNOWN_REVISION];
}

/**
 * The compatibility matrix: the gate's own connections (the legacy handshake asked for the latest legacy
 * revision, the modern face for 2026-07-28), one connection per other legacy revision in `legacy`, and
 * the modern face's unknown-version probe when it ran (see stamped-request.ts). Over HTTP the probes are
 * requests and go at once; over stdio each is a server process whose start is mostly CPU, so no more
 * start at once than the runner has cores: beyond that they only queue for the CPU.
 */
export async function probeMatrix(
  target: ProbeTarget,
  faces: { legacy?: Session; modern?: Session },
  legacy: readonly string[],
  refusal?: Error,
  unknownModern?: Promise<StampedAnswer>,
): Promise<VersionProbe[]> {
  const asks = faces.legacy ? legacy : [];
  const limit = target.transport === 'stdio' ? os.availableParallelism() : Math.max(1, asks.length);
  // The legacy probes go the way the legacy face connected (it may be on HTTP+SSE).
  const over = { ...target, transport: faces.legacy?.transportName ?? target.transport };
  const [probed, modernUnknown] = await Promise.all([mapConcurrently(asks, limit, (version) => probeLegacy(over, version)), unknownModern]);
  return [
    ...probed.filter((p) => p.requested !== UNKNOWN_REVISION),
    ownLegacyRow(faces.legacy, refusal),
    ...probed.filter((p) => p.requested === UNKNOWN_REVISION),
    ...ownModernRows(faces.modern),
    ...(modernUnknown ? [stampedRow(modernUnknown)] : []),
  ];
}

/** The row of a request stamped with a version: refused (with the versions named), served, or unanswered. */
function stampedRow(probe: StampedAnswer): VersionProbe {
  const row = { era: 'modern' as const, requested: probe.version, durationMs: probe.durationMs, ...(probe.status !== undefined && { status: probe.status }) };
  const answer = probe.answer && answerOf(probe.answer);
  if (!answer) return { ...row, error: probe.failure ?? 'no JSON-RPC answer' };
  if ('error' in answer) return { ...row, ...answer };
  const served = (answer.result._meta as Record<string, unknown> | undefined)?.['io.modelcontextprotocol/protocolVersion'];
  return { ...row, answered: typeof served === 'string' ? served : probe.version };
}

/** The main connection's handshake: what a client of the latest legacy revision gets. */
function ownLegacyRow(legacy: Session | undefined, refusal: Error | undefined): VersionProbe {
  if (legacy)
    return { era: 'legacy', requested: LATEST_PROTOCOL_VERSION, answered: legacy.protocolVersion, durationMs: legacy.exchange.initialize.durationMs ?? 0 };
  return { era: 'legacy', requested: LATEST_PROTOCOL_VERSION, error: refusal?.message ?? 'no answer to initialize', durationMs: 0 };
}

/** The modern face answered server/discover: each modern version it lists is served. */
function ownModernRows(modern: Session | undefined): VersionProbe[] {
  if (!modern) return [];
  const versions = modern.versionsOffered.length ? modern.versionsOffered : [FIRST_MODERN_REVISION];
  return versions.map((version) => ({ era: 'modern', requested: version, answered: version, durationMs: 0 }));
}

async function probeLegacy(target: ProbeTarget, requested: string): Promise<VersionProbe> {
  const started = performance.now();
  const transport = createProbeTransport(target);
  const timeoutMs = target.settings.requestTimeoutMs;
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const answer = await withinDeadline(requestOver(transport, initializeRequest(requested, probeId(requested)) as JSONRPCRequest), timeoutMs);
    if (!answer) return { era: 'legacy', requested, error: `no answer within ${timeoutMs} ms`, durationMs: elapsed() };
    if ('error' in answer) return { era: 'legacy', requested, ...answer, durationMs: elapsed() };
    const answered = (answer.result as { protocolVersion?: unknown }).protocolVersion;
    return typeof answered === 'string'
      ? { era: 'legacy', requested, answered, durationMs: elapsed() }
      : { era: 'legacy', requested, error: 'the result has no protocolVersion', durationMs: elapsed() };
  } catch (error) {
    return { era: 'legacy', requested, error: (error as Error).message, durationMs: elapsed() };
  } finally {
    await endProbe(transport);
  }
}

type Answer = { result: Record<string, unknown> } | { error: string; code?: number; supported?: string[] };

function answerOf(message: JSONRPCMessage): Answer | undefined {
  if (isJSONRPCResultResponse(message)) return { result: message.result };
  if (!isJSONRPCErrorResponse(message)) return undefined;
  const data = message.error.data as { supported?: unknown } | undefined;
  const supported = Array.isArray(data?.supported) ? data.supported.filter((v): v is string => typeof v === 'string') : undefined;
  return { error: `error ${message.error.code}: ${message.error.message}`, code: message.error.code, ...(supported && { supported }) };
}

function probeId(version: string): string {
  return `mcp-preflight-version-${version}`;
}

/** Sends one request on a fresh transport; settles with its answer. */
function requestOver(transport: Transport, message: JSONRPCRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    transport.onmessage = (incoming: JSONRPCMessage) => {
      if (isJSONRPCRequest(incoming)) {
        answerServerRequest(transport, incoming);
        return;
      }
      if (!('id' in incoming) || incoming.id !== message.id) return;
      const answer = answerOf(incoming);
      if (answer) resolve(answer);
    };
    transport.onerror = reject;
    transport.onclose = () => reject(new Error('the connection closed before the answer'));
    transport
      .start()
      .then(() => transport.send(message))
      .catch(reject);
  });
}

/**
 * A server may ask something of the client before it answers initialize (a ping, roots/list): answered
 * as the client's own connection would, it goes on to the answer instead of waiting for ours.
 */
function answerServerRequest(transport: Transport, request: JSONRPCRequest): void {
  const answer: JSONRPCMessage =
    request.method === 'ping'
      ? { jsonrpc: '2.0', id: request.id, result: {} }
      : {
          jsonrpc: '2.0',
          id: request.id,
          error: { code: ProtocolErrorCode.MethodNotFound, message: `${request.method} is not offered by mcp-preflight's version probe` },
        };
  transport.send(answer).catch(() => undefined);
}

function createProbeTransport({ transport, settings, url, masker }: ProbeTarget): Transport {
  if (transport === 'stdio') {
    return new ProcessStdioTransport(stdioLaunch(settings, 'version probe', masker));
  }
  const options = {
    requestInit: { headers: settings.headers },
    fetch: cappedFetch(settings.config.limits.maxBodyBytes),
    redirectPolicy: 'same-origin' as const,
  };
  return transport === 'sse' ? new SSEClientTransport(url as URL, options) : new StreamableHTTPClientTransport(url as URL, options);
}

/** Ends the probe's session on the server too, so a probe leaves nothing behind there either. */
async function endProbe(transport: Transport): Promise<void> {
  transport.onclose = undefined;
  transport.onerror = undefined;
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
    await withinDeadline(
      transport.terminateSession().catch(() => undefined),
      2000,
    );
  }
  await withinDeadline(
    transport.close().catch(() => undefined),
    5000,
  );
}
