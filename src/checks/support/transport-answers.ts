import type { EndpointProbe, HttpTransportName } from '../../session/endpoint-probe.js';
import { describeAnswer } from '../../session/http-answer.js';
import type { HttpAnswer } from '../../util/http/request.js';
import type { CheckContext } from '../types.js';

/** How each HTTP transport asks a URL whether it speaks MCP. */
export const TRANSPORT_REQUEST: Record<HttpTransportName, { method: 'POST' | 'GET'; label: string; how: string }> = {
  'streamable-http': { method: 'POST', label: 'Streamable HTTP', how: 'initialize is POSTed to the URL' },
  sse: { method: 'GET', label: 'HTTP+SSE', how: 'a GET of the URL opens an event stream whose first event names the message endpoint' },
};

export interface TransportAnswer extends HttpAnswer {
  url: string;
  transport: HttpTransportName;
  /** Only a probe can say yes: the gate's own attempts all failed. */
  speaksMcp: boolean;
  probed: boolean;
}

/** What the target URL answered to each HTTP transport: the gate's own attempts first, then the probes. */
export function answersAtTarget(context: CheckContext): TransportAnswer[] {
  const target = context.targetUrl?.href;
  const recorded: TransportAnswer[] = (context.connect?.exchange.http ?? [])
    .filter((h) => !h.cancelled && sameUrl(h.url, target) && (h.method === 'POST' || h.method === 'GET'))
    .map((h) => ({ ...h, transport: h.method === 'POST' ? 'streamable-http' : 'sse', speaksMcp: false, probed: false }));
  const probed = (context.connect?.probes ?? []).filter((p) => sameUrl(p.url, target)).map((p) => ({ ...p, probed: true }));
  return [...recorded, ...probed];
}

/** The probes of the conventional MCP paths on the target's origin. */
export function probesElsewhere(context: CheckContext): EndpointProbe[] {
  const target = context.targetUrl?.href;
  return (context.connect?.probes ?? []).filter((p) => !sameUrl(p.url, target));
}

/** "POST (Streamable HTTP) -> HTTP 404", once per distinct answer. */
export function describeAnswers(answers: TransportAnswer[]): string {
  const lines = answers.map((a) => `${TRANSPORT_REQUEST[a.transport].method} (${TRANSPORT_REQUEST[a.transport].label}) -> ${describeAnswer(a)}`);
  return [...new Set(lines)].join('; ');
}

function sameUrl(a: string, b: string | undefined): boolean {
  try {
    return b !== undefined && new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}
