import { initializeRequest, type RawHttp } from '../../session/raw-http.js';
import { describeFailure, type HttpReply } from '../../util/http/request.js';
import type { CheckContext } from '../types.js';

/** The Streamable HTTP checks run only on that transport. */
export function onStreamableHttp({ session }: CheckContext): boolean {
  return session?.transportName === 'streamable-http' && session.http !== undefined;
}

const BODY_EXCERPT = 160;

/** "HTTP 200 (text/event-stream): event: message data: {…}", or "no answer (timed out after 10.0 s)". */
export function describeResponse(response: HttpReply): string {
  if (response.status === undefined) return `no answer (${describeFailure(response)})`;
  const body = (response.body ?? '').replace(/\s+/g, ' ').trim();
  const excerpt = body.length > BODY_EXCERPT ? `${body.slice(0, BODY_EXCERPT)}…` : body;
  return `HTTP ${response.status}${response.contentType ? ` (${response.contentType})` : ''}${excerpt ? `: ${excerpt}` : ''}`;
}

/** A harmless request that needs a session: ping. */
export function pingRequest(id: string): unknown {
  return { jsonrpc: '2.0', id, method: 'ping' };
}

export function httpOf(context: CheckContext): RawHttp {
  const http = context.session?.http;
  if (!http) throw new Error("the Streamable HTTP checks need the session's raw HTTP access");
  return http;
}

/**
 * initialize POSTed outside the gate's session with one header changed, as the Accept and Origin checks
 * need; a session the server opens for it anyway is ended at once.
 */
export async function postInitializeWith(context: CheckContext, headers: Record<string, string>): Promise<HttpReply> {
  const http = httpOf(context);
  const response = await http.send({
    method: 'POST',
    body: initializeRequest(context.session?.protocolVersion ?? ''),
    headers: { ...headers, 'mcp-session-id': undefined },
  });
  await http.endSession(response.sessionId);
  return response;
}
