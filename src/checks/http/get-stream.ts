import { finding, specUrl, type Check, type CheckMeta } from '../types.js';
import { describeResponse, httpOf, onStreamableHttp } from './shared.js';

const meta: CheckMeta = {
  id: 'http.get-stream',
  title: 'GET opens an event stream or answers 405',
  severity: 'warning',
  since: '2025-03-26',
  description: 'GETs the endpoint with `Accept: text/event-stream` and expects an SSE stream (200, text/event-stream) or 405 Method Not Allowed.',
  why: 'Clients open this stream to receive server requests and notifications; any other answer (an HTML page, 404, 500) makes them log errors or give up on notifications.',
  fix: 'Serve GET on the MCP endpoint as an SSE stream, or answer 405 if the server sends nothing unprompted.',
  specUrl: specUrl('2025-11-25', 'basic/transports#listening-for-messages-from-the-server'),
};

export const httpGetStream: Check = {
  meta,
  stage: 'session',
  appliesTo: onStreamableHttp,
  async run(context) {
    const http = httpOf(context);
    // The client already holds the gate's GET stream, and servers allow one per session (409 for more).
    const own = http.sessionId ? await http.openSession() : undefined;
    const response = await http.withSession(own).send({ method: 'GET', headers: { accept: 'text/event-stream', 'content-type': undefined }, headersOnly: true });
    await http.endSession(own);
    if (response.status === 405) return [];
    if (response.status === 200 && response.contentType?.includes('text/event-stream')) return [];
    return [finding(meta, `GET with "Accept: text/event-stream" got ${describeResponse(response)}; expected 200 with an event stream, or 405 if the server sends nothing unprompted.`)];
  },
};
