import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import { routedFetch } from '../target/loopback-route.js';
import { describeNetworkError } from '../target/readiness.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Exchange } from './exchange.js';
import { htmlTitleOf, mediaTypeOf, type HttpAnswer } from './http-answer.js';
import { readPrefix } from '../util/read-prefix.js';
import type { TransportName } from './session.js';

export type HttpTransportName = Exclude<TransportName, 'stdio'>;

/** One request that asked "does this URL speak this transport?" after the real attempts failed. */
export interface EndpointProbe extends HttpAnswer {
  url: string;
  transport: HttpTransportName;
  /** Streamable HTTP: initialize got a JSON or event-stream answer. HTTP+SSE: GET's first event was `endpoint`. */
  speaksMcp: boolean;
}

const PROBE_TIMEOUT_MS = 2000;
/** The paths MCP servers conventionally serve, per transport. */
const CONVENTIONAL_PATHS: [string, HttpTransportName][] = [
  ['/mcp', 'streamable-http'],
  ['/sse', 'sse'],
];
const HTTP_TRANSPORTS: HttpTransportName[] = ['streamable-http', 'sse'];
const SSE_PREFIX_CHARS = 4096;

/**
 * Whether the failed attempts call for probing: the server answered HTTP, did not ask for credentials, and
 * never answered initialize at this URL (so it may be the wrong URL or the wrong transport).
 */
export function shouldProbe(exchange: Exchange): boolean {
  const answered = exchange.http.filter((h) => h.status !== undefined);
  return answered.length > 0 && !answered.some((h) => h.status === 401 || h.status === 403) && !exchange.initializeAnswered;
}

/**
 * Asks the user's URL with the transports not yet tried, and the conventional paths on the same origin, at
 * most three requests in parallel, each bounded; never any other host.
 */
export function probeEndpoints(url: URL, tried: TransportName[], headers: Record<string, string>): Promise<EndpointProbe[]> {
  const plan: { url: URL; transport: HttpTransportName }[] = HTTP_TRANSPORTS.filter((t) => !tried.includes(t)).map((transport) => ({ url, transport }));
  for (const [path, transport] of CONVENTIONAL_PATHS) {
    if (url.pathname !== path) plan.push({ url: new URL(path, url.origin), transport });
  }
  return Promise.all(plan.map((p) => (p.transport === 'sse' ? probeSse(p.url, headers) : probeStreamableHttp(p.url, headers))));
}

async function probeStreamableHttp(url: URL, headers: Record<string, string>): Promise<EndpointProbe> {
  const initialize = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: TOOL_NAME, version: TOOL_VERSION } },
  };
  return probe(url, 'streamable-http', {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify(initialize),
  }, async (response) => {
    const type = mediaTypeOf(response.headers.get('content-type') ?? undefined);
    return response.ok && (type === 'application/json' || type === 'text/event-stream');
  });
}

async function probeSse(url: URL, headers: Record<string, string>): Promise<EndpointProbe> {
  return probe(url, 'sse', { method: 'GET', headers: { ...headers, accept: 'text/event-stream' } }, async (response) => {
    if (!response.ok || mediaTypeOf(response.headers.get('content-type') ?? undefined) !== 'text/event-stream') return false;
    const start = await readPrefix(response.clone().body, (text) => /^data:[^\n]*\n\n/m.test(text), SSE_PREFIX_CHARS);
    return /^event:\s*endpoint\s*$/m.test(start);
  });
}

async function probe(
  url: URL,
  transport: HttpTransportName,
  init: RequestInit,
  speaksMcp: (response: Response) => Promise<boolean>,
): Promise<EndpointProbe> {
  try {
    const response = await routedFetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const answer = {
      url: url.href,
      transport,
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      title: await htmlTitleOf(response),
      speaksMcp: await speaksMcp(response),
    };
    await response.body?.cancel().catch(() => undefined);
    return answer;
  } catch (error) {
    return { url: url.href, transport, speaksMcp: false, ...describeNetworkError(error) };
  }
}
