import { type FetchLike, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import { describeNetworkError } from '../target/readiness.js';
import { routedFetch } from '../target/loopback-route.js';
import { elapsedSince } from '../util/time.js';
import { mediaTypeOf, type HttpAnswer } from './http-answer.js';
import { readPrefix } from '../util/read-prefix.js';
import { initializeRequest } from './raw-http.js';
import { capResponse } from './exchange.js';

/** One request the gate made to learn how the server is protected, as findings quote it. */
export interface AuthRequest extends HttpAnswer {
  method: string;
  /** Any token the gate put in the URL is replaced by `<token>`. */
  url: string;
  wwwAuthenticate?: string;
  /** The start of the body: enough to quote an error, or to read a metadata document whole. */
  body?: string;
  durationMs: number;
}

/** What a request sent with chosen credentials (or none) got back. */
export interface InitializeProbe extends AuthRequest {
  /** The server let the client in: 2xx with an MCP answer (JSON or an event stream) that is not a JSON-RPC error. */
  answered: boolean;
}

/** Metadata documents are small; a body longer than this is not one. */
const DOCUMENT_CHARS = 64 * 1024;
const QUOTE_CHARS = 2048;
const AUTH_ANSWER_MAX_BYTES = 1024 * 1024;

/**
 * A fetch for the SDK's discovery and token requests that bounds each request by the request time-out and
 * logs what it answered, so findings can say which URLs were tried and quote what came back.
 */
export function recordingAuthFetch(log: AuthRequest[], timeoutMs: number): FetchLike {
  return async (url, init) => {
    const started = performance.now();
    const method = init?.method ?? 'GET';
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const response = await routedFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
      const body = await readPrefix(response.clone().body, () => false, DOCUMENT_CHARS);
      log.push({ method, url: String(url), ...describeHeaders(response), body, durationMs: elapsedSince(started) });
      // The SDK parses what it is given whole; a metadata document or token answer is never this large.
      return capResponse(response, AUTH_ANSWER_MAX_BYTES, 'the most an authorization document or token answer may be');
    } catch (error) {
      log.push({ method, url: String(url), durationMs: elapsedSince(started), ...describeNetworkError(error) });
      throw error;
    }
  };
}

/**
 * Sends initialize with exactly `headers` (none of the gate's own), the way a client holding only those
 * credentials would, and ends any session it opened so the probe leaves nothing behind.
 */
export async function sendInitialize(url: URL, headers: Record<string, string>, timeoutMs: number, shownUrl = url.href): Promise<InitializeProbe> {
  const started = performance.now();
  try {
    const response = await routedFetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initializeRequest(LATEST_PROTOCOL_VERSION, 'mcp-preflight-auth-probe')),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await readPrefix(response.body, (text) => /\n\n|\r\n\r\n/.test(text) || isCompleteJson(text), QUOTE_CHARS);
    const probe = { method: 'POST', url: shownUrl, ...describeHeaders(response), body, durationMs: elapsedSince(started) };
    const sessionId = response.headers.get('mcp-session-id');
    if (sessionId) await endSession(url, { ...headers, 'mcp-session-id': sessionId }, timeoutMs);
    return { ...probe, answered: response.ok && speaksMcp(probe.contentType) && !carriesError(body) };
  } catch (error) {
    return { method: 'POST', url: shownUrl, durationMs: elapsedSince(started), answered: false, ...describeNetworkError(error) };
  }
}

/** Opens an HTTP+SSE stream with exactly `headers`, and stops at the status line: that is all the probe needs. */
export async function openEventStream(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<InitializeProbe> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await routedFetch(url, { headers: { ...headers, accept: 'text/event-stream' }, redirect: 'manual', signal: controller.signal });
    const answered = response.ok && mediaTypeOf(response.headers.get('content-type') ?? undefined) === 'text/event-stream';
    return { method: 'GET', url: url.href, ...describeHeaders(response), durationMs: elapsedSince(started), answered };
  } catch (error) {
    return { method: 'GET', url: url.href, durationMs: elapsedSince(started), answered: false, ...describeNetworkError(error) };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

async function endSession(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  await routedFetch(url, { method: 'DELETE', headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) })
    .then((response) => response.body?.cancel())
    .catch(() => undefined);
}

function describeHeaders(response: Response): Pick<AuthRequest, 'status' | 'contentType' | 'wwwAuthenticate'> {
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? undefined,
    wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
  };
}

function speaksMcp(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type === 'application/json' || type === 'text/event-stream';
}

/**
 * A JSON-RPC error in a JSON body or the first event of a stream: some servers refuse missing credentials
 * that way, with HTTP 200. A body still on its way (a slow initialize) counts as no error.
 */
function carriesError(body: string): boolean {
  const candidates = [body, ...body.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5))];
  return candidates.some((text) => {
    try {
      return (JSON.parse(text) as { error?: unknown })?.error !== undefined;
    } catch {
      return false;
    }
  });
}

function isCompleteJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
