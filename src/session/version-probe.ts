import os from 'node:os';
import { SSEClientTransport, StreamableHTTPClientTransport, type Transport, ProtocolErrorCode, isJSONRPCErrorResponse, isJSONRPCRequest, isJSONRPCResultResponse, LATEST_PROTOCOL_VERSION, type JSONRPCMessage, type JSONRPCRequest } from '@modelcontextprotocol/client';
import type { VersionMatrix } from '../config-defaults.js';
import type { Settings } from '../settings.js';
import type { Masker } from '../util/masker.js';
import { mapConcurrently } from '../util/pool.js';
import { withinDeadline } from '../util/time.js';
import { cappedFetch } from './exchange.js';
import { initializeRequest } from './raw-http.js';
import type { TransportName } from './session.js';
import { ProcessStdioTransport, stdioLaunch } from './stdio-transport.js';

/** The revisions clients speak today, oldest first, and a version no revision has. */
export const KNOWN_REVISIONS = ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25'] as const;
export const UNKNOWN_REVISION = '1999-01-01';

export interface VersionProbe {
  requested: string;
  answered?: string;
  error?: string;
  durationMs: number;
}

export interface ProbeTarget {
  transport: TransportName;
  settings: Settings;
  url?: URL;
  masker: Masker;
}

/**
 * The revisions to probe beside the gate's own connection, which already asked for the latest. `minimal`
 * asks for the oldest and an unknown one: together with the latest they bound what clients meet, at the
 * cost of two connections (over stdio, two server starts). `full` asks for every revision in between too.
 */
export function revisionsToProbe(matrix: VersionMatrix, transport: TransportName): string[] {
  const chosen = matrix === 'auto' ? (transport === 'stdio' ? 'latest' : 'minimal') : matrix;
  if (chosen === 'latest') return [];
  const older = KNOWN_REVISIONS.filter((r) => r !== LATEST_PROTOCOL_VERSION);
  return [...(chosen === 'full' ? older : older.slice(0, 1)), UNKNOWN_REVISION];
}

/**
 * Initializes once per requested version, each on a connection of its own. Over HTTP they are requests
 * and go at once; over stdio each is a server process whose start is mostly CPU, so no more start at once
 * than the runner has cores: beyond that they only queue for the CPU and slow each other down.
 */
export function probeVersions(target: ProbeTarget, versions: readonly string[]): Promise<VersionProbe[]> {
  const limit = target.transport === 'stdio' ? os.availableParallelism() : versions.length;
  return mapConcurrently(versions, limit, (version) => probeVersion(target, version));
}

async function probeVersion(target: ProbeTarget, requested: string): Promise<VersionProbe> {
  const started = performance.now();
  const transport = createProbeTransport(target);
  const timeoutMs = target.settings.requestTimeoutMs;
  try {
    const answer = await withinDeadline(initializeOver(transport, requested), timeoutMs);
    const durationMs = Math.round(performance.now() - started);
    if (!answer) return { requested, error: `no answer within ${timeoutMs} ms`, durationMs };
    return { requested, ...answer, durationMs };
  } catch (error) {
    return { requested, error: (error as Error).message, durationMs: Math.round(performance.now() - started) };
  } finally {
    await endProbe(transport);
  }
}

function initializeOver(transport: Transport, version: string): Promise<{ answered?: string; error?: string }> {
  const id = `mcp-preflight-version-${version}`;
  return new Promise((resolve, reject) => {
    transport.onmessage = (message: JSONRPCMessage) => {
      if (isJSONRPCRequest(message)) {
        answerServerRequest(transport, message);
        return;
      }
      if (!('id' in message) || message.id !== id) return;
      if (isJSONRPCResultResponse(message)) {
        const answered = (message.result as { protocolVersion?: unknown }).protocolVersion;
        resolve(typeof answered === 'string' ? { answered } : { error: 'the result has no protocolVersion' });
      } else if (isJSONRPCErrorResponse(message)) {
        resolve({ error: `error ${message.error.code}: ${message.error.message}` });
      }
    };
    transport.onerror = reject;
    transport.onclose = () => reject(new Error('the connection closed before the answer'));
    transport
      .start()
      .then(() => transport.send(initializeRequest(version, id) as JSONRPCMessage))
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
      : { jsonrpc: '2.0', id: request.id, error: { code: ProtocolErrorCode.MethodNotFound, message: `${request.method} is not offered by mcp-preflight's version probe` } };
  transport.send(answer).catch(() => undefined);
}

function createProbeTransport({ transport, settings, url, masker }: ProbeTarget): Transport {
  if (transport === 'stdio') {
    return new ProcessStdioTransport(stdioLaunch(settings, 'version probe', masker));
  }
  const options = { requestInit: { headers: settings.headers }, fetch: cappedFetch(settings.config.limits.maxBodyBytes), redirectPolicy: 'same-origin' as const };
  return transport === 'sse' ? new SSEClientTransport(url as URL, options) : new StreamableHTTPClientTransport(url as URL, options);
}

/** Ends the probe's session on the server too, so a probe leaves nothing behind there either. */
async function endProbe(transport: Transport): Promise<void> {
  transport.onclose = undefined;
  transport.onerror = undefined;
  if (transport instanceof StreamableHTTPClientTransport && transport.sessionId) {
    await withinDeadline(transport.terminateSession().catch(() => undefined), 2000);
  }
  await withinDeadline(transport.close().catch(() => undefined), 5000);
}
