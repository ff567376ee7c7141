import { LIMIT_DEFAULTS } from '../../config-defaults.js';
import type { LimitHit } from '../../session/exchange.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta } from '../types.js';

const meta: CheckMeta = {
  id: 'security.unbounded-answer',
  title: "The server's answers stay within bounds a client can hold",
  severity: 'error',
  description: `Reports each time the server's answers went past one of the gate's limits, which the configuration file's \`limits\` can raise: an HTTP answer or event stream longer than \`maxBodyBytes\` (default ${LIMIT_DEFAULTS.maxBodyBytes} bytes), a list longer than \`maxItems\` items (default ${LIMIT_DEFAULTS.maxItems}) or \`maxSurfaceBytes\` of JSON (default ${LIMIT_DEFAULTS.maxSurfaceBytes}), JSON nested deeper than \`maxDepth\` levels (default ${LIMIT_DEFAULTS.maxDepth}). The gate stops reading there, cuts what is deeper, and checks what it kept.`,
  why: 'Clients buffer answers whole and walk JSON recursively: an endless body, a list without end or a 100,000-level object exhausts their memory or their stack, and a server that sends them can take down every client that connects.',
  cause:
    'A list returned without pagination, a resource or tool result read whole from a large file or table, an event stream that never ends, or self-referencing data serialised without a depth limit.',
  fix: 'Page long lists with nextCursor, keep answers and schemas to what a client needs, and end every event stream. If the server really needs more, raise the limit under `limits` in the configuration file.',
  specUrl: specUrl('2025-11-25', 'basic/security_best_practices'),
};

const WHAT: Record<LimitHit['limit'], (value: number) => string> = {
  maxBodyBytes: (value) => `went past ${value} bytes, so the gate stopped reading it`,
  maxItems: (value) => `went past ${value} items, so the gate kept the first ${value}`,
  maxSurfaceBytes: (value) => `went past ${value} bytes of JSON, so the gate kept what came before`,
  maxDepth: (value) => `nested JSON deeper than ${value} levels, which the gate cut`,
};

function describe(hit: LimitHit): string {
  const where = `${hit.where[0].toUpperCase()}${hit.where.slice(1)}`;
  return `${where} ${WHAT[hit.limit](hit.value)} (limits.${hit.limit})${hit.detail ? `: ${hit.detail}` : ''}.`;
}

/** Every exchange of the run: the legacy handshake's connection and the modern face's (its own connection). */
function limitHitsOf({ connect }: CheckContext): LimitHit[] {
  return [connect?.exchange, connect?.modern?.exchange].flatMap((exchange) => exchange?.limitHits ?? []);
}

/** Runs at clean-up, over the whole run's exchanges: a limit is as often hit while connecting as after. */
export const unboundedAnswer: Check = {
  meta,
  stage: 'cleanup',
  appliesTo: (context) => limitHitsOf(context).length > 0,
  run(context) {
    return limitHitsOf(context).map((hit) => finding(meta, describe(hit)));
  },
};
