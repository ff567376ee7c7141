import type { ProbeResult } from '../../target/readiness.js';
import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'health.endpoint',
  title: 'The health endpoint answers 2xx',
  severity: 'warning',
  description: 'GETs `health-url` once more after the checklist and records its status and latency.',
  why: 'Load balancers and orchestrators route by the health endpoint; one that fails after start-up takes a working server out of service.',
  cause:
    "A health route that checks a dependency that is slow or down (a database, an upstream API), or a server that stopped serving or degraded under the checklist's requests.",
  fix: 'Make the health route cheap and independent of slow dependencies, answering 2xx while the server can serve MCP.',
};

export const healthEndpoint: Check = {
  meta,
  stage: 'cleanup',
  appliesTo: (context) => context.health !== undefined,
  run(context, observe) {
    const { health, settings, readiness } = context;
    if (!health) return [];
    const url = settings.healthUrl?.href ?? '';
    observe?.({ health: { url, status: health.status, latencyMs: health.latencyMs } });
    if (health.status !== undefined && health.status >= 200 && health.status < 300) return [];
    // The gate waited for this URL to answer 2xx before it connected, so it was healthy then.
    const before = readiness?.ready ? ` It answered 2xx at start-up, so it turned unhealthy while the server was serving MCP requests.` : '';
    return [finding(meta, `${url} ${describeAnswer(health)} after ${health.latencyMs} ms, once the checklist had run.${before}`)];
  },
};

/** `answered HTTP 503 (application/json): {"status":"degraded"}`, or `did not answer (ECONNREFUSED: …)`. */
function describeAnswer(health: ProbeResult): string {
  if (health.status === undefined) return `did not answer (${[health.errorCode, health.errorMessage].filter(Boolean).join(': ') || 'no response'})`;
  const type = health.contentType ? ` (${health.contentType})` : '';
  return `answered HTTP ${health.status}${type}${health.bodyExcerpt ? `: ${health.bodyExcerpt}` : ''}`;
}
