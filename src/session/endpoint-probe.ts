import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import { mediaTypeOf, request, TITLE_SEARCH_CHARS, type HttpLimits, type HttpReply } from '../util/http/request.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Exchange } from './exchange.js';
import type { TransportName } from './session.js';

export type HttpTransportName = Exclude<TransportName, 'stdio'>;

/** One request that asked "does this URL speak this transport?" after the real attempts failed. */
export interface EndpointProbe extends HttpReply {
  transport: HttpTransportName;
  /** Streamable HTTP: initialize got a JSON or event-stream answer. HTTP+SSE: GET's first event was `endpoint`. */
  speaksMcp: boolean;
}

/** The paths MCP servers conventionally serve, per transport. */
const CONVENTIONAL_PATHS: [string, HttpTransportName][] = [
  ['/mcp', 'streamable-http'],
  ['/sse', 'sse'],
];
const HTTP_TRANSPORTS: HttpTransportName[] = ['streamable-http', 'sse'];

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
 * most three requests in parallel, each bounded by request-timeout and the body cap; never any other host.
 */
export function probeEndpoints(url: URL, tried: TransportName[], headers: Record<string, string>, limits: HttpLimits): Promise<EndpointProbe[]> {
  const plan: { url: URL; transport: HttpTransportName }[] = HTTP_TRANSPORTS.filter((t) => !tried.includes(t)).map((transport) => ({ url, transport }));
  for (const [path, transport] of CONVENTIONAL_PATHS) {
    if (url.pathname !== path) plan.push({ url: new URL(path, url.origin), transport });
  }
  return Promise.all(plan.map((p) => (p.transport === 'sse' ? probeSse(p.url, headers, limits) : probeStreamableHttp(p.url, headers, limits))));
}

async function probeStreamableHttp(url: URL, headers: Record<string, string>, limits: HttpLimits): Promise<EndpointProbe> {
  const initialize = {
    jsonrpc: '2.0',
    id: 0,
    method: 'initialize',
    params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: TOOL_NAME, version: TOOL_VERSION } },
  };
  const reply = await request(
    {
      url,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initialize),
      read: 'title',
      maxChars: TITLE_SEARCH_CHARS,
    },
    limits,
  );
  const type = mediaTypeOf(reply.contentType);
  return { ...reply, transport: 'streamable-http', speaksMcp: isOk(reply) && (type === 'application/json' || type === 'text/event-stream') };
}

async function probeSse(url: URL, headers: Record<string, string>, limits: HttpLimits): Promise<EndpointProbe> {
  // An HTML page is read for its title, an event stream to its first event.
  const reply = await request({ url, headers: { ...headers, accept: 'text/event-stream' }, maxChars: TITLE_SEARCH_CHARS }, limits);
  const first = reply.events?.[0];
  return { ...reply, transport: 'sse', speaksMcp: isOk(reply) && first?.event?.trim() === 'endpoint' };
}

function isOk(reply: HttpReply): boolean {
  return reply.status !== undefined && reply.status >= 200 && reply.status < 300;
}
