import { SdkError, SdkErrorCode, SdkHttpError } from '@modelcontextprotocol/client';
import { SERVER_INFO_META_KEY } from '../../session/session.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';

const meta: CheckMeta = {
  id: 'discover.response',
  title: 'server/discover answers with versions, capabilities and cache hints',
  severity: 'error',
  since: '2026-07-28',
  description:
    "Reads the server's raw answer to the gate's `server/discover` (before the SDK client's own validation) and expects `resultType`, a non-empty `supportedVersions`, `capabilities`, `ttlMs` and `cacheScope`; `_meta` `io.modelcontextprotocol/serverInfo` is a SHOULD (a warning). Over HTTP, a discover probe that got a 5xx or no answer within `request-timeout` while the legacy handshake worked is a warning: the server failed the probe, which is no evidence that it is legacy-only.",
  why: 'Clients of the 2026-07-28 revision call server/discover to learn which versions to stamp on their requests, what the server offers and how long they may cache that; an answer without them leaves a client guessing or refusing the server.',
  fix: 'Answer server/discover with `{ resultType: "complete", supportedVersions: ["2026-07-28"], capabilities, ttlMs, cacheScope, _meta: { "io.modelcontextprotocol/serverInfo": { name, version } } }`; the v2 SDK (`@modelcontextprotocol/server` 2.x) does. If the HTTP probe failed, look at the server log for the error it hit on a modern request.',
  specUrl: specUrl('2026-07-28', 'server/discover'),
};

const REQUIRED = ['resultType', 'supportedVersions', 'capabilities', 'ttlMs', 'cacheScope'] as const;
const CACHE_SCOPES = new Set(['public', 'private']);

export const discoverResponse: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => rawDiscover(context) !== undefined || probeFailure(context) !== undefined,
  run(context) {
    const failure = probeFailure(context);
    if (failure) return [failure];
    const result = rawDiscover(context);
    return result ? judge(result) : [];
  },
};

/**
 * The raw discover result: the modern face's, or one the client refused that still claims the modern
 * era. A legacy server that answers any unknown method with an empty result is not judged here.
 */
function rawDiscover({ connect }: CheckContext): Record<string, unknown> | undefined {
  const result = connect?.modern?.exchange.discover?.rawResult;
  if (!result || typeof result !== 'object') return undefined;
  const claimsModern = connect?.modern?.verdict === 'modern' || 'supportedVersions' in result || 'resultType' in result;
  return claimsModern ? (result as Record<string, unknown>) : undefined;
}

/** Over HTTP, a discover probe that broke while the legacy face worked: the era stays unknown, not legacy. */
function probeFailure({ connect }: CheckContext): Finding | undefined {
  const probe = connect?.modern;
  if (!probe || probe.verdict !== 'failed' || !connect?.faces.legacy || probe.transport === 'stdio') return undefined;
  const status = probe.error instanceof SdkHttpError ? probe.error.status : undefined;
  const timedOut = probe.error instanceof SdkError && probe.error.code === SdkErrorCode.RequestTimeout;
  const what =
    status !== undefined
      ? `got HTTP ${status}`
      : timedOut
        ? `got no answer within the request time-out (${probe.durationMs} ms)`
        : `failed: ${probe.error?.message ?? 'no answer'}`;
  if (status !== undefined && status < 500) return undefined;
  return finding(
    meta,
    `The legacy handshake worked, but the server/discover probe ${what}. A server failure is no evidence that the server speaks only the legacy era: 2026-07-28 clients get the same failure and cannot connect, and this run checked the legacy face only. The server log should say what failed on the modern request.`,
    { severity: 'warning' },
  );
}

function judge(result: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const missing = REQUIRED.filter((field) => result[field] === undefined);
  if (missing.length) {
    findings.push(
      finding(
        meta,
        `server/discover answered without ${missing.join(', ')}: the 2026-07-28 revision requires them, and clients that check (the v2 SDK's) refuse the answer or guess the rest.`,
      ),
    );
  }
  const versions = result.supportedVersions;
  if (versions !== undefined && (!Array.isArray(versions) || !versions.length || versions.some((v) => typeof v !== 'string'))) {
    findings.push(
      finding(
        meta,
        `server/discover answered supportedVersions: ${JSON.stringify(versions).slice(0, 200)}; it must list at least one version, or no client can pick one to stamp on its requests.`,
      ),
    );
  }
  if (result.capabilities !== undefined && (typeof result.capabilities !== 'object' || result.capabilities === null || Array.isArray(result.capabilities))) {
    findings.push(finding(meta, `server/discover answered capabilities: ${JSON.stringify(result.capabilities).slice(0, 200)}, not an object.`));
  }
  if (result.ttlMs !== undefined && !(typeof result.ttlMs === 'number' && Number.isInteger(result.ttlMs) && result.ttlMs >= 0)) {
    findings.push(
      finding(meta, `server/discover answered ttlMs: ${JSON.stringify(result.ttlMs).slice(0, 60)}; it must be a whole number of milliseconds, 0 or more.`),
    );
  }
  if (result.cacheScope !== undefined && !CACHE_SCOPES.has(result.cacheScope as string)) {
    findings.push(finding(meta, `server/discover answered cacheScope: ${JSON.stringify(result.cacheScope).slice(0, 60)}; it must be "public" or "private".`));
  }
  const info = (result._meta as Record<string, { name?: unknown } | undefined> | undefined)?.[SERVER_INFO_META_KEY];
  if (typeof info?.name !== 'string') {
    findings.push(
      finding(
        meta,
        `server/discover answered without _meta "${SERVER_INFO_META_KEY}" ({ name, version }): clients show it to users and in their logs, where this server cannot be told apart.`,
        {
          severity: 'warning',
        },
      ),
    );
  }
  return findings;
}
