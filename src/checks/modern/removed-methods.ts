import type { JSONRPCResponse } from '@modelcontextprotocol/client';
import { RecordingTransport } from '../../session/exchange.js';
import { errorOf, postStamped, stampedParams } from '../../session/stamped-request.js';
import type { Session } from '../../session/session.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'modern.removed-methods',
  title: 'Methods removed in 2026-07-28 are unknown, and no log arrives unasked',
  severity: 'error',
  since: '2026-07-28',
  description:
    "Sends `ping` and `logging/setLevel` stamped with the modern era's `_meta` and expects error -32601 (over HTTP with status 404, as for any unknown method); reads the modern face's recorded exchange for `notifications/message` sent while no request of the gate's had asked for a log level (`_meta` `io.modelcontextprotocol/logLevel`). Answering a removed method is a warning: clients of the modern era never send one, so it breaks no one, but it shows legacy code serving modern requests. An unasked log message is an error: the revision says the server MUST NOT send one.",
  why: 'In 2026-07-28 a client asks for log messages per request, and only those requests get them, on their own response stream. A server that logs unasked pushes messages a client did not want onto answers it is reading, the per-request log level is meaningless, and a log line that carries request data goes where nobody agreed it could.',
  fix: "Send `notifications/message` only for a request whose `_meta` has `io.modelcontextprotocol/logLevel`, at or above that level, on that request's response stream; remove `ping` and `logging/setLevel` handlers from the modern era (the v2 SDK serves them in the legacy era only).",
  specUrl: specUrl('2026-07-28', 'server/utilities/logging#per-request-log-level'),
};

const REMOVED: { method: string; params: Record<string, unknown> }[] = [
  { method: 'ping', params: {} },
  { method: 'logging/setLevel', params: { level: 'debug' } },
];

export const removedMethods: Check = {
  meta,
  stage: 'session',
  era: 'modern',
  // After the other checks, so the exchange it reads holds the log messages their requests brought.
  exclusive: true,
  async run(context) {
    const session = context.session;
    if (!session) return [];
    const findings: Finding[] = [];
    for (const { method, params } of REMOVED) {
      const judged = session.transportName === 'stdio' ? await overStdio(session, method, params) : await overHttp(context, session, method, params);
      if (judged) findings.push(judged);
    }
    const unasked = session.exchange.logMessages.filter((log) => !log.asked);
    if (unasked.length) {
      const during = [...new Set(unasked.flatMap((log) => log.pending))];
      const when = during.length ? `during ${during.join(', ')}` : 'with no request in flight';
      findings.push(
        finding(
          meta,
          `The server sent ${unasked.length} notifications/message ${when}, although no request of the gate's asked for a log level (_meta "io.modelcontextprotocol/logLevel"): the 2026-07-28 revision forbids logging to a request that did not ask.`,
        ),
      );
    }
    return findings;
  },
};

async function overStdio(session: Session, method: string, params: Record<string, unknown>): Promise<Finding | undefined> {
  if (!(session.transport instanceof RecordingTransport)) return undefined;
  // Past the client, which refuses to send a method its era removed.
  const answer = await session.transport.requestRaw(method, stampedParams(params, session.protocolVersion), session.requestTimeoutMs);
  return judge(method, answer, undefined, `no answer within ${session.requestTimeoutMs} ms`);
}

async function overHttp(context: CheckContext, session: Session, method: string, params: Record<string, unknown>): Promise<Finding | undefined> {
  if (!context.targetUrl) return undefined;
  const reply = await postStamped(context.targetUrl, context.settings, method, params, session.protocolVersion);
  return judge(method, reply.answer, reply.status, reply.failure ?? `HTTP ${reply.status} without a JSON-RPC answer`);
}

function judge(method: string, answer: JSONRPCResponse | undefined, status: number | undefined, missing: string): Finding | undefined {
  const warn = (text: string) => finding(meta, text, { severity: 'warning' });
  const error = errorOf(answer);
  if (!answer)
    return warn(
      `${method} in the modern era got ${missing}; it was removed in 2026-07-28 and must get error -32601 (method not found)${status === undefined ? '' : ' with HTTP 404'}.`,
    );
  if (!error) {
    return warn(
      `${method} in the modern era was answered with a result${status === undefined ? '' : ` (HTTP ${status})`}: it was removed in 2026-07-28 and must get -32601. No modern client sends it, but legacy code is serving modern requests.`,
    );
  }
  if (error.code !== -32601)
    return warn(
      `${method} in the modern era got error ${error.code} "${error.message.slice(0, 120)}", not -32601 (method not found), as the removed method it is.`,
    );
  if (status !== undefined && status !== 404)
    return warn(`${method} in the modern era got -32601 with HTTP ${status}; an unknown method gets 404 over HTTP in 2026-07-28.`);
  return undefined;
}
