import net from 'node:net';
import { loadWaitOn } from './wait-on-loader.cjs';
import type { ManagedProcess, ExitInfo } from './process.js';
import { isLoopback } from '../util/loopback.js';
import { atAddress, LOOPBACK_ADDRESSES, namesLocalhost, portOf, routedFetch } from './loopback-route.js';
import { readPrefix } from '../util/read-prefix.js';

export { portOf } from './loopback-route.js';

export interface ProbeResult {
  status?: number;
  contentType?: string;
  bodyExcerpt?: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface ReadinessOutcome {
  ready: boolean;
  /** What was waited on: `http-get://…` for a health URL, `tcp:host:port` for the MCP URL. */
  resource: string;
  waitedMs: number;
  timeoutMs: number;
  /** Set when the started server exited while the gate waited. */
  exitedDuring?: ExitInfo;
  /** One last look after a time-out, so the finding can say what the endpoint did answer. */
  lastProbe?: ProbeResult;
  /** The health URL redirected to another origin, or once too often on its own: the wait stopped there. */
  refusedRedirect?: { from: string; to: string };
}

/** Short enough that a server's exit stops the wait promptly, since wait-on itself cannot be cancelled. */
const SLICE_MS = 500;
const PROBE_TIMEOUT_MS = 2000;
/**
 * Time between attempts: every one waited is added to the run. A refused connection on loopback costs
 * microseconds, so a server the gate started is looked at often; a remote deployment less so.
 */
const LOOPBACK_INTERVAL_MS = 20;
const REMOTE_INTERVAL_MS = 100;
/** Enough text to quote 200 characters of it once white space is folded. */
const HEALTH_EXCERPT_CHARS = 4096;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** One resource wait-on polls, with the headers its HTTP requests carry. */
interface Poll {
  resource: string;
  headers?: Record<string, string>;
}

/**
 * Waits until the health URL answers 2xx, or (without one) the MCP URL accepts TCP connections, within
 * `timeoutMs`, and stops at once if the started server exits meanwhile. A `localhost` URL is ready when
 * either loopback address answers (see loopback-route.ts).
 */
export async function waitUntilReady(
  target: { url: URL; healthUrl?: URL },
  timeoutMs: number,
  server?: ManagedProcess,
): Promise<ReadinessOutcome> {
  const waitOn = loadWaitOn();
  let polled = target.healthUrl ?? target.url;
  let resource = target.healthUrl ? waitOnResource(target.healthUrl) : tcpResource(target.url);
  let polls = pollsFor(polled, target.healthUrl !== undefined);
  let redirects = 0;
  const interval = isLoopback(polled) ? LOOPBACK_INTERVAL_MS : REMOTE_INTERVAL_MS;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  while (elapsed() < timeoutMs) {
    if (server?.exit) return { ready: false, resource, waitedMs: elapsed(), timeoutMs, exitedDuring: server.exit };
    const slice = Math.max(1, Math.min(SLICE_MS, timeoutMs - elapsed()));
    const attempt = firstTrue(
      polls.map(({ resource: polledResource, headers }) =>
        waitOn({
          resources: [polledResource],
          headers,
          timeout: slice,
          interval,
          window: 0,
          tcpTimeout: Math.min(1000, slice),
          httpTimeout: Math.min(PROBE_TIMEOUT_MS, slice),
          simultaneous: 1,
          // A health check only asks "is it up"; certificate trust is the MCP client's concern, reported later.
          strictSSL: false,
          // A redirect ends the wait too, and is looked at here: one to another origin (a metadata address,
          // an internal service) is never followed.
          followRedirect: false,
          validateStatus: (status: number) => (status >= 200 && status < 300) || REDIRECT_STATUSES.has(status),
        }).then(
          () => true,
          () => false,
        ),
      ),
    );
    const answered = server ? await Promise.race([attempt, server.exited.then(() => false)]) : await attempt;
    const next = answered && target.healthUrl ? await redirectOf(polled) : undefined;
    if (answered && !next) return { ready: true, resource, waitedMs: elapsed(), timeoutMs };
    if (next && (next.origin !== polled.origin || redirects === MAX_REDIRECTS)) {
      return { ready: false, resource, waitedMs: elapsed(), timeoutMs, refusedRedirect: { from: polled.href, to: next.href } };
    }
    if (next) [polled, resource, polls, redirects] = [next, waitOnResource(next), pollsFor(next, true), redirects + 1];
  }
  if (server?.exit) return { ready: false, resource, waitedMs: elapsed(), timeoutMs, exitedDuring: server.exit };
  const lastProbe = target.healthUrl ? await probeHttp(target.healthUrl) : await probeTcp(target.url);
  return { ready: false, resource, waitedMs: elapsed(), timeoutMs, lastProbe };
}

/**
 * The URL itself, or for `localhost` each loopback address with the Host header the URL names: the name
 * may resolve to one address while the server binds the other.
 */
function pollsFor(url: URL, http: boolean): Poll[] {
  const resourceOf = (at: URL) => (http ? waitOnResource(at) : tcpResource(at));
  if (!namesLocalhost(url)) return [{ resource: resourceOf(url) }];
  return LOOPBACK_ADDRESSES.map((address) => ({ resource: resourceOf(atAddress(url, address)), headers: http ? { host: url.host } : undefined }));
}

/** True as soon as one attempt is, false once all are false. */
function firstTrue(attempts: Promise<boolean>[]): Promise<boolean> {
  return new Promise((resolve) => {
    let pending = attempts.length;
    for (const attempt of attempts) {
      void attempt.then((ok) => {
        pending -= 1;
        if (ok || pending === 0) resolve(ok);
      });
    }
  });
}

/** Where `url` redirects to, if it answers with a redirect. */
async function redirectOf(url: URL): Promise<URL | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: 'manual' });
    await response.body?.cancel();
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
    return location ? new URL(location, url) : undefined;
  } catch {
    return undefined;
  }
}

function waitOnResource(url: URL): string {
  // wait-on names HTTP GET resources `http-get://` and `https-get://`.
  return url.href.replace(/^http(s?):\/\//, 'http$1-get://');
}

function tcpResource(url: URL): string {
  return `tcp:${url.hostname}:${portOf(url)}`;
}

export async function measureHealth(url: URL): Promise<ProbeResult & { latencyMs: number }> {
  const started = performance.now();
  const result = await probeHttp(url);
  return { ...result, latencyMs: Math.round(performance.now() - started) };
}

export async function probeHttp(url: URL): Promise<ProbeResult> {
  try {
    const response = await routedFetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS), redirect: 'manual' });
    // Only an excerpt is quoted: a health route that answers an endless body must not be read whole.
    const body = await readPrefix(response.body, () => false, HEALTH_EXCERPT_CHARS);
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      bodyExcerpt: body.replace(/\s+/g, ' ').trim().slice(0, 200),
    };
  } catch (error) {
    return describeNetworkError(error);
  }
}

function probeTcp(url: URL): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: portOf(url), timeout: PROBE_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve({});
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ errorCode: 'ETIMEDOUT', errorMessage: `no answer within ${PROBE_TIMEOUT_MS} ms` });
    });
    socket.once('error', (error) => resolve(describeNetworkError(error)));
  });
}

/** fetch hides the socket error in `cause`; findings need its code (ECONNREFUSED, ENOTFOUND, …). */
export function describeNetworkError(error: unknown): ProbeResult {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  // A DOMException (TimeoutError, AbortError) has a numeric legacy code; its name is what a person reads.
  const errno = (cause as { code?: unknown })?.code;
  const code = typeof errno === 'string' ? errno : ((cause as { name?: string })?.name ?? (error as { name?: string })?.name);
  const message = cause instanceof Error ? cause.message : String(cause);
  return { errorCode: code, errorMessage: message };
}
