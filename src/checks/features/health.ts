import { finding, type Check, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'health.endpoint',
  title: 'The health endpoint answers 2xx',
  severity: 'warning',
  description: 'GETs `health-url` once more after the checklist and records its status and latency.',
  why: 'Load balancers and orchestrators route by the health endpoint; one that fails after start-up takes a working server out of service.',
  fix: 'Make the health route cheap and independent of slow dependencies, answering 2xx while the server can serve MCP.',
};

export const healthEndpoint: Check = {
  meta,
  stage: 'cleanup',
  appliesTo: (context) => context.health !== undefined,
  run(context) {
    const health = context.health;
    if (!health) return [];
    context.observations.health = { url: context.settings.healthUrl?.href ?? '', status: health.status, latencyMs: health.latencyMs };
    if (health.status !== undefined && health.status >= 200 && health.status < 300) return [];
    const answer = health.status ? `HTTP ${health.status}` : `${health.errorCode ?? 'no answer'}${health.errorMessage ? ` (${health.errorMessage})` : ''}`;
    return [finding(meta, `${context.settings.healthUrl?.href} answered ${answer} after ${health.latencyMs} ms, once the checklist had run.`)];
  },
};
