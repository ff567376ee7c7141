import { mediaTypeOf } from './http-answer.js';
import { RawHttp } from './raw-http.js';

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

/** GETs each location in turn, with the session's headers and time-out, and stops at the first 200. */
export async function probeServerCard(mcpUrl: URL, headers: Record<string, string>, timeoutMs: number): Promise<ServerCardProbe> {
  const probe: ServerCardProbe = { attempts: [] };
  for (const url of serverCardUrls(mcpUrl)) {
    const response = await new RawHttp(url, headers, timeoutMs).send({
      method: 'GET',
      headers: { accept: `${SERVER_CARD_MEDIA_TYPE}, application/json`, 'content-type': undefined, 'mcp-protocol-version': undefined },
    });
    probe.attempts.push({ url: url.href, status: response.status, contentType: response.contentType, error: response.error });
    // A 200 HTML page is a web app's catch-all route, not a card: nothing is served there.
    if (response.status !== 200 || mediaTypeOf(response.contentType) === 'text/html') continue;
    probe.served = { url: url.href, contentType: response.contentType, ...parseCard(response.body) };
    break;
  }
  return probe;
}

function parseCard(body: string): { card?: unknown; parseError?: string } {
  try {
    const card: unknown = JSON.parse(body);
    if (card === null || typeof card !== 'object' || Array.isArray(card)) return { parseError: `the body is ${Array.isArray(card) ? 'an array' : JSON.stringify(card)?.slice(0, 40)}, not an object` };
    return { card };
  } catch (error) {
    return { parseError: `the body is not JSON (${(error as Error).message.slice(0, 120)})` };
  }
}
