import type { RawAnswer } from '../../session/modern-requests.js';
import { describeRawFailure } from '../support/raw-answer.js';
import { finding, specUrl, type Check, type CheckMeta, type Finding } from '../types.js';

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
  runs: 'alone',
  async run({ session }) {
    if (!session) return [];
    const findings: Finding[] = [];
    // Past the client, which refuses to send a method its era removed.
    const connection = session.raw?.shared();
    if (connection) {
      for (const { method, params } of REMOVED) {
        const judged = judge(method, await connection.request(method, params), session.requestTimeoutMs);
        if (judged) findings.push(judged);
      }
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

function judge(method: string, answer: RawAnswer, timeoutMs: number): Finding | undefined {
  const warn = (text: string) => finding(meta, text, { severity: 'warning' });
  const status = answer.http?.status;
  if (!answer.result && !answer.error) {
    const missing =
      answer.http && status !== undefined && !answer.timedOut ? `HTTP ${status} without a JSON-RPC answer` : describeRawFailure(answer, timeoutMs);
    return warn(
      `${method} in the modern era got ${missing}; it was removed in 2026-07-28 and must get error -32601 (method not found)${answer.http ? ' with HTTP 404' : ''}.`,
    );
  }
  if (!answer.error) {
    return warn(
      `${method} in the modern era was answered with a result${status === undefined ? '' : ` (HTTP ${status})`}: it was removed in 2026-07-28 and must get -32601. No modern client sends it, but legacy code is serving modern requests.`,
    );
  }
  const { error } = answer;
  if (error.code !== -32601)
    return warn(
      `${method} in the modern era got error ${error.code} "${error.message.slice(0, 120)}", not -32601 (method not found), as the removed method it is.`,
    );
  if (status !== undefined && status !== 404)
    return warn(`${method} in the modern era got -32601 with HTTP ${status}; an unknown method gets 404 over HTTP in 2026-07-28.`);
  return undefined;
}
