import net from 'node:net';
import { loadWaitOn } from './wait-on-loader.cjs';
import type { ManagedProcess, ExitInfo } from './process.js';
import { isLoopback } from '../util/loopback.js';
import { describeNetworkError, request, type HttpLimits, type HttpReply } from '../util/http/request.js';
import { formatDuration } from '../util/time.js';
import { atAddress, LOOPBACK_ADDRESSES, namesLocalhost, portOf } from './loopback-route.js';

export { portOf } from './loopback-route.js';

/** What the health URL (or, without one, a TCP connection to the MCP URL) answered: the start of its body folded to one line. */
export type ProbeResult = Pick<HttpReply, 'status' | 'contentType' | 'errorCode' | 'errorMessage'> & { bodyExcerpt?: string };

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
/**
 * Time between attempts: every one waited is added to the run. A refused connection on loopback costs
 * microseconds, so a server the gate started is looked at often; a remote deployment less so.
 */
const LOOPBACK_INTERVAL_MS = 20;
const REMOTE_INTERVAL_MS = 100;
/** Enough text to quote 200 characters of it once white space is folded. */
const HEALTH_EXCERPT_CHARS = 4096;
const EXCERPT_CHARS = 200;
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
 * either loopback address answers (see loopback-route.ts). Each request is bounded by `http` too.
 */
export async function waitUntilReady(
  target: { url: URL; healthUrl?: URL },
  timeoutMs: number,
  http: HttpLimits,
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
          tcpTimeout: Math.min(http.timeoutMs, slice),
          httpTimeout: Math.min(http.timeoutMs, slice),
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
    const next = answered && target.healthUrl ? await redirectOf(polled, http) : undefined;
    if (answered && !next) return { ready: true, resource, waitedMs: elapsed(), timeoutMs };
    if (next && (next.origin !== polled.origin || redirects === MAX_REDIRECTS)) {
      return { ready: false, resource, waitedMs: elapsed(), timeoutMs, refusedRedirect: { from: polled.href, to: next.href } };
    }
    if (next) [polled, resource, polls, redirects] = [next, waitOnResource(next), pollsFor(next, true), redirects + 1];
  }
  if (server?.exit) return { ready: false, resource, waitedMs: elapsed(), timeoutMs, exitedDuring: server.exit };
  const lastProbe = target.healthUrl ? await probeHttp(target.healthUrl, http) : await probeTcp(target.url, http.timeoutMs);
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

/** Where `url` redirects to, if it answers with a redirect; the redirect itself is never followed. */
async function redirectOf(url: URL, http: HttpLimits): Promise<URL | undefined> {
  const reply = await request({ url, read: 'headers' }, http);
  if (reply.status === undefined || !REDIRECT_STATUSES.has(reply.status) || !reply.location) return undefined;
  try {
    return new URL(reply.location, url);
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

export async function measureHealth(url: URL, http: HttpLimits): Promise<ProbeResult & { latencyMs: number }> {
  const started = performance.now();
  const result = await probeHttp(url, http);
  return { ...result, latencyMs: Math.round(performance.now() - started) };
}

/** GETs the health URL without following a redirect; only an excerpt is quoted, so only a prefix is read. */
export async function probeHttp(url: URL, http: HttpLimits): Promise<ProbeResult> {
  const { status, contentType, body, errorCode, errorMessage } = await request({ url, maxChars: HEALTH_EXCERPT_CHARS }, http);
  if (status === undefined) return { errorCode, errorMessage };
  return { status, contentType, bodyExcerpt: (body ?? '').replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS) };
}

function probeTcp(url: URL, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: portOf(url), timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({});
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ errorCode: 'ETIMEDOUT', errorMessage: `no answer within ${formatDuration(timeoutMs)}` });
    });
    socket.once('error', (error) => resolve(describeNetworkError(error)));
  });
}
