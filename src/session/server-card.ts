import { describeFailure, mediaTypeOf, request, type HttpLimits } from '../util/http/request.js';

/** One GET for a Server Card, and what came back. */
export interface ServerCardAttempt {
  url: string;
  status?: number;
  contentType?: string;
  error?: string;
}

/** Where the server serves its Server Card, if anywhere: the first location that answered 200. */
export interface ServerCardProbe {
  attempts: ServerCardAttempt[];
  served?: {
    url: string;
    contentType?: string;
    /** The parsed body, when it is JSON. */
    card?: unknown;
    /** Why the body is not a card: not JSON ("Unexpected token < …"), or not an object. */
    parseError?: string;
  };
}

export const SERVER_CARD_MEDIA_TYPE = 'application/mcp-server-card+json';

/**
 * The locations a Server Card is looked for: beside the MCP endpoint (`<mcp url>/server-card`) and at the
 * origin's well-known URI of SEP-2127 (`/.well-known/mcp/server-card`).
 */
export function serverCardUrls(mcpUrl: URL): URL[] {
  const beside = new URL(mcpUrl.href);
  beside.pathname = `${beside.pathname.replace(/\/+$/, '')}/server-card`;
  beside.search = '';
  beside.hash = '';
  const wellKnown = new URL('/.well-known/mcp/server-card', mcpUrl);
  return beside.href === wellKnown.href ? [beside] : [beside, wellKnown];
}

/** A card is a few kilobytes; a longer body is cut there, and then fails to parse, which the finding says. */
const CARD_CHARS = 256 * 1024;

/** GETs each location in turn, with the session's headers and the gate's request limits, and stops at the first 200. */
export async function probeServerCard(mcpUrl: URL, headers: Record<string, string>, limits: HttpLimits): Promise<ServerCardProbe> {
  const probe: ServerCardProbe = { attempts: [] };
  for (const url of serverCardUrls(mcpUrl)) {
    const reply = await request({ url, headers: { ...headers, accept: `${SERVER_CARD_MEDIA_TYPE}, application/json` }, maxChars: CARD_CHARS }, limits);
    const failed = reply.status === undefined ? describeFailure(reply) : undefined;
    probe.attempts.push({ url: url.href, status: reply.status, contentType: reply.contentType, ...(failed ? { error: failed } : {}) });
    // Only a JSON answer can be a card: a 200 HTML page or event stream is a catch-all route (a web app's,
    // or an SSE endpoint's sub-paths), and nothing is served there.
    if (reply.status !== 200 || !/(^application\/json$|\+json$)/.test(mediaTypeOf(reply.contentType))) continue;
    probe.served = { url: url.href, contentType: reply.contentType, ...parseCard(reply.body ?? '') };
    break;
  }
  return probe;
}

function parseCard(body: string): { card?: unknown; parseError?: string } {
  try {
    const card: unknown = JSON.parse(body);
    if (card === null || typeof card !== 'object' || Array.isArray(card))
      return { parseError: `the body is ${Array.isArray(card) ? 'an array' : JSON.stringify(card)?.slice(0, 40)}, not an object` };
    return { card };
  } catch (error) {
    return { parseError: `the body is not JSON (${(error as Error).message.slice(0, 120)})` };
  }
}
