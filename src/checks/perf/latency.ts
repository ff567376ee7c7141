import { THRESHOLD_DEFAULTS } from '../../config-defaults.js';
import type { Session } from '../../session/session.js';
import { describeRequestError } from '../support/request-error.js';
import { finding, type Check, type CheckMeta, type Finding, type Observations } from '../types.js';
import * as results from '../../session/results.js';

/**
 * What a tools/list burst may read in all. Every answer is parsed whole before it can be dropped, and
 * five reads of a list of tens of megabytes were most of the gate's memory against a hostile server.
 */
const BURST_LIST_BYTES = 8 * 1024 * 1024;

const meta: CheckMeta = {
  id: 'perf.latency',
  title: 'ping and tools/list are fast',
  severity: 'warning',
  description: `Sends a short burst of ping and tools/list requests (\`thresholds.latencyBurst\`, default ${THRESHOLD_DEFAULTS.latencyBurst} each; one request of each method in flight at a time, after the other checks) and compares their p95 latency with \`thresholds.latencyP95Ms\` (default ${THRESHOLD_DEFAULTS.latencyP95Ms} ms). A tools/list burst reads at most ${BURST_LIST_BYTES / 1024 / 1024} MiB of listings: a longer list, or one cut at the \`limits\`, is timed fewer times (once at least), and the report's latency observation gives the count.`,
  why: 'Clients list tools at every conversation start and ping to keep connections alive; a slow answer is felt by every user on every turn.',
  fix: 'Cache the tool list instead of building it per request; keep slow work (network, disk) out of the request path of list and ping.',
};

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The round trip of each request, its answer dropped at once. tools/list answers are checked only as
 * results, not item by item: tools.list validates the listing, and the SDK's schema would copy every
 * tool of a long list five more times.
 */
async function measure(session: Session, method: 'ping' | 'tools/list', count: number): Promise<number[]> {
  const schema = method === 'ping' ? results.EmptyResult : results.AnyResult;
  const durations: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const started = performance.now();
    await session.client.request({ method, params: {} }, schema, { timeout: session.requestTimeoutMs });
    durations.push(performance.now() - started);
  }
  return durations.sort((a, b) => a - b);
}

async function burst(session: Session, method: 'ping' | 'tools/list', count: number): Promise<{ durations?: number[]; error?: unknown }> {
  try {
    return { durations: await measure(session, method, count) };
  } catch (error) {
    return { error };
  }
}

/** How many tools/list requests fit the byte budget, judged by the session's first listing. */
async function listBurstSize(session: Session, latencyBurst: number): Promise<number> {
  const listing = await session.list('tools');
  if (listing.truncated || session.exchange.truncatedLists.has('tools')) return 1;
  return Math.max(1, Math.min(latencyBurst, Math.floor(BURST_LIST_BYTES / Math.max(1, listing.size))));
}

export const latency: Check = {
  meta,
  stage: 'session',
  runs: 'alone',
  async run(context, observe) {
    const { session, settings } = context;
    if (!session) return [];
    const { latencyBurst, latencyP95Ms } = settings.config.thresholds;
    // The 2026-07-28 revision removed ping: on a modern face only tools/list is timed.
    const pings = session.era === 'legacy' ? (['ping'] as const) : [];
    const methods = session.advertises('tools') ? [...pings, 'tools/list' as const] : pings;
    // The two bursts run side by side: a ping costs a server next to nothing, so it barely delays the
    // tools/list beside it, and the check takes half the time.
    const counts = { ping: latencyBurst, 'tools/list': session.advertises('tools') ? await listBurstSize(session, latencyBurst) : 0 };
    const bursts = await Promise.all(methods.map(async (method) => ({ method, ...(await burst(session, method, counts[method])) })));
    const findings: Finding[] = [];
    const latency: NonNullable<Observations['latency']> = [];
    for (const { method, durations, error } of bursts) {
      if (!durations) {
        findings.push(finding(meta, `A ${method} request in the burst of ${counts[method]} failed: ${describeRequestError(error, session.requestTimeoutMs)}.`));
        continue;
      }
      const p50Ms = Math.round(percentile(durations, 50));
      const p95Ms = Math.round(percentile(durations, 95));
      latency.push({ method, count: durations.length, p50Ms, p95Ms });
      if (p95Ms > latencyP95Ms) {
        const message = `${method} took ${p95Ms} ms at the 95th percentile over ${durations.length} requests sent one at a time (median ${p50Ms} ms, slowest ${Math.round(durations.at(-1) ?? 0)} ms), above thresholds.latencyP95Ms (${latencyP95Ms} ms).`;
        findings.push(finding(meta, message));
      }
    }
    observe?.({ latency });
    return findings;
  },
};
