import type { RawHttp, RawResponse } from '../../session/raw-http.js';
import type { CheckContext } from '../types.js';

/** The Streamable HTTP checks run only on that transport. */
export function onStreamableHttp({ session }: CheckContext): boolean {
  return session?.transportName === 'streamable-http' && session.http !== undefined;
}

export function describeResponse(response: RawResponse): string {
  const body = response.body.replace(/\s+/g, ' ').trim().slice(0, 160);
  return `HTTP ${response.status}${response.contentType ? ` (${response.contentType})` : ''}${body ? `: ${body}` : ''}`;
}

/** A harmless request that needs a session: ping. */
export function pingRequest(id: string): unknown {
  return { jsonrpc: '2.0', id, method: 'ping' };
}

export function httpOf(context: CheckContext): RawHttp {
  const http = context.session?.http;
  if (!http) throw new Error('the Streamable HTTP checks need the session\'s raw HTTP access');
  return http;
}
