import type { EndpointProbe } from '../../session/endpoint-probe.js';
import { describeAnswer } from '../../session/http-answer.js';
import { isHtml } from '../../util/http/request.js';
import { connectFailed } from '../support/evidence.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta } from '../types.js';
import { answersAtTarget, describeAnswers, probesElsewhere, TRANSPORT_REQUEST, type TransportAnswer } from '../support/transport-answers.js';

const meta: CheckMeta = {
  id: 'transport.wrong-endpoint',
  title: 'The URL is the MCP endpoint',
  severity: 'error',
  since: '2025-03-26',
  description:
    'Recognises a `url` that answers with a web page, or with 404/405 to both Streamable HTTP and HTTP+SSE, and looks for the MCP endpoint at /mcp and /sse on the same origin.',
  why: 'Clients send initialize to that exact URL; a web page or a 404 there means they never reach the MCP handler, and users see only a connection error.',
  cause:
    "`url` names the server's origin, home page, an API prefix or a health route instead of the path its MCP handler is mounted on (usually /mcp, or /sse for legacy servers).",
  fix: 'Set `url` to the MCP endpoint itself (the route the server mounts its MCP handler on, usually ending in /mcp, or /sse for legacy servers), not the home page, an API prefix or a health route.',
  specUrl: specUrl('2025-11-25', 'basic/transports#streamable-http'),
};

const REFUSALS = new Set([404, 405]);

export const wrongEndpoint: Check = {
  meta,
  stage: 'startup',
  appliesTo: (context) => context.connect !== undefined && context.connect.stdio === undefined,
  run(context) {
    if (!connectFailed(context)) return [];
    const answers = answersAtTarget(context);
    if (!looksLikeWrongEndpoint(answers)) return [];
    const endpoint = probesElsewhere(context).find((p) => p.speaksMcp);
    const what = `${context.targetUrl?.href} is not an MCP endpoint: ${describeAnswers(answers)}.`;
    return [finding(meta, `${what} ${describeSearch(context, endpoint)}`, { hint: endpoint ? hintFor(context, endpoint) : meta.fix })];
  },
};

/** A web page, or a refusal of both transports; an answer that merely failed later is another check's. */
function looksLikeWrongEndpoint(answers: TransportAnswer[]): boolean {
  if (answers.some((a) => a.speaksMcp)) return false;
  // A 5xx page comes from a proxy whose upstream is down: the URL may well be right.
  if (answers.some((a) => isHtml(a.contentType) && (a.status ?? 500) < 500)) return true;
  const bothAsked = Object.keys(TRANSPORT_REQUEST).every((t) => answers.some((a) => a.transport === t));
  return bothAsked && answers.every((a) => a.status !== undefined && REFUSALS.has(a.status));
}

function describeSearch(context: CheckContext, endpoint: EndpointProbe | undefined): string {
  if (endpoint) {
    return `The MCP endpoint is at ${endpoint.url}: it answered ${TRANSPORT_REQUEST[endpoint.transport].label} with ${describeAnswer(endpoint)}.`;
  }
  const tried = probesElsewhere(context).map((p) => `${TRANSPORT_REQUEST[p.transport].method} ${new URL(p.url).pathname} -> ${describeAnswer(p)}`);
  return tried.length ? `No MCP endpoint answered at the usual paths either (${tried.join('; ')}).` : '';
}

function hintFor(context: CheckContext, endpoint: EndpointProbe): string {
  const forced = context.settings.transport;
  const transport = forced !== 'auto' && forced !== endpoint.transport ? ` and \`transport: ${endpoint.transport}\` (or auto)` : '';
  return `Set \`url: ${endpoint.url}\`${transport}.`;
}
