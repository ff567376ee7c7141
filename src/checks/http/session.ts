import type { RawHttp } from '../../session/raw-http.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';
import { describeResponse, httpOf, onStreamableHttp, pingRequest } from '../support/http.js';

const meta: CheckMeta = {
  id: 'http.session',
  title: 'Sessions are enforced and can be ended',
  severity: 'warning',
  since: '2025-03-26',
  description:
    "When the server issues Mcp-Session-Id: a request without it gets 400; DELETE ends a session (or answers 405); a request in an ended session gets 404. Uses a session of its own, never the gate's.",
  why: 'Clients start a new session when they get 404, and only then; a server that answers anything else leaves them stuck on a dead session after a restart.',
  fix: 'Answer 400 to requests without a session id, 404 to unknown or ended ones, and handle DELETE (the SDK transport does with a sessionIdGenerator).',
  specUrl: specUrl('2025-11-25', 'basic/transports#session-management'),
};

/** The error text of the session-routing example that many TypeScript servers copy. */
const COPIED_ROUTING_ANSWER = 'Bad Request: No valid session ID provided';
const ROUTING_FIX =
  'In the code that looks up the transport for a request, answer 404 (`{"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null}`) when Mcp-Session-Id is present but not one of your open sessions; keep 400 for requests without it.';

async function checkMissingHeader(http: RawHttp): Promise<Finding[]> {
  const response = await http.withSession(undefined).send({ method: 'POST', body: pingRequest('mcp-preflight-no-session') });
  return response.status === 400 ? [] : [finding(meta, `A ping without Mcp-Session-Id got ${describeResponse(response)}, not 400.`)];
}

async function checkEndedSession(http: RawHttp): Promise<Finding[]> {
  const sessionId = await http.openSession();
  if (!sessionId) return [finding(meta, 'A second initialize got no Mcp-Session-Id, although the first one did.')];
  const own = http.withSession(sessionId);
  const deleted = await own.send({ method: 'DELETE', headers: { 'content-type': undefined }, headersOnly: true });
  if (deleted.status === 405) return [];
  if (deleted.status === undefined || deleted.status < 200 || deleted.status > 299) {
    return [finding(meta, `DELETE of a session got ${describeResponse(deleted)}; expected 2xx, or 405 if the server does not let clients end sessions.`)];
  }
  const after = await own.send({ method: 'POST', body: pingRequest('mcp-preflight-ended-session') });
  if (after.status === 404) return [];
  const message = `A ping in a session ended by DELETE got ${describeResponse(after)}, not 404: clients start a new session only on 404, so they stay stuck on a dead one.`;
  // The SDK's transport answers 404 itself; this 400 comes from routing code the server's author wrote
  // (or copied from the SDK's README), so it stays a warning, with the lines to change.
  if (after.status === 400 && after.body?.includes(COPIED_ROUTING_ANSWER)) {
    return [
      finding(
        meta,
        `${message} The answer is that of the session routing in the TypeScript SDK's 1.x README, which sends 400 for unknown session ids as well as missing ones.`,
        { hint: ROUTING_FIX },
      ),
    ];
  }
  return [finding(meta, message)];
}

export const httpSession: Check = {
  meta,
  stage: 'session',
  era: 'legacy',
  appliesTo: (context) => onStreamableHttp(context) && context.session?.http?.sessionId !== undefined,
  async run(context) {
    const http = httpOf(context);
    // Independent: one needs no session, the other one of its own.
    return (await Promise.all([checkMissingHeader(http), checkEndedSession(http)])).flat();
  },
};
