import type { HttpReply } from '../../util/http/request.js';
import { formatDuration, withinDeadline } from '../../util/time.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta } from '../types.js';
import { describeResponse, httpOf, onStreamableHttp } from '../support/http.js';

const meta: CheckMeta = {
  id: 'http.get-stream',
  title: 'GET opens an event stream or answers 405',
  severity: 'warning',
  since: '2025-03-26',
  description:
    "Looks at the GET with `Accept: text/event-stream` that the gate's client opens after initialize (or sends one in a session of its own) and expects an SSE stream (200, text/event-stream) or 405 Method Not Allowed.",
  why: 'Clients open this stream to receive server requests and notifications; any other answer (an HTML page, 404, 500) makes them log errors or give up on notifications.',
  fix: 'Serve GET on the MCP endpoint as an SSE stream, or answer 405 if the server sends nothing unprompted.',
  specUrl: specUrl('2025-11-25', 'basic/transports#listening-for-messages-from-the-server'),
};

/**
 * What the client's own GET got, as every MCP client sends it after initialize; undefined if the client
 * sent none or the gate cancelled it.
 */
async function clientGet({ session }: CheckContext): Promise<HttpReply | undefined> {
  const pending = session?.exchange?.firstGet;
  if (!session || !pending) return undefined;
  const get = await withinDeadline(pending, session.requestTimeoutMs);
  if (!get)
    return {
      method: 'GET',
      url: '',
      timedOut: true,
      errorMessage: `timed out after ${formatDuration(session.requestTimeoutMs)}`,
      durationMs: session.requestTimeoutMs,
    };
  if (get.cancelled) return undefined;
  const title = get.title ? `a page titled "${get.title}"` : '';
  return { ...get, body: title };
}

/** A GET of its own, in a fresh session: the gate's session may hold its one stream already (409 for a second). */
async function ownGet(context: CheckContext): Promise<HttpReply> {
  const http = httpOf(context);
  const own = http.sessionId ? await http.openSession() : undefined;
  const response = await http.withSession(own).send({ method: 'GET', headers: { accept: 'text/event-stream', 'content-type': undefined }, headersOnly: true });
  await http.endSession(own);
  return response;
}

export const httpGetStream: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  appliesTo: onStreamableHttp,
  async run(context) {
    const response = (await clientGet(context)) ?? (await ownGet(context));
    if (response.status === 405) return [];
    if (response.status === 200 && response.contentType?.includes('text/event-stream')) return [];
    return [
      finding(
        meta,
        `GET with "Accept: text/event-stream" got ${describeResponse(response)}; expected 200 with an event stream, or 405 if the server sends nothing unprompted.`,
      ),
    ];
  },
};
