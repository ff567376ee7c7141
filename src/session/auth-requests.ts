import { type FetchLike, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import { capResponse, readText } from '../util/http/body.js';
import { answerOf, describeNetworkError, mediaTypeOf, request, type HttpLimits, type HttpReply } from '../util/http/request.js';
import { routedFetch } from '../util/http/route.js';
import { elapsedSince } from '../util/time.js';
import { initializeRequest } from './raw-http.js';

/** One request the gate made to learn how the server is protected, as findings quote it. */
export type AuthRequest = HttpReply;

/** What a request sent with chosen credentials (or none) got back. */
export interface InitializeProbe extends AuthRequest {
  /** The server let the client in: 2xx with an MCP answer (JSON or an event stream) that is not a JSON-RPC error. */
  answered: boolean;
}

/** Metadata documents are small; a body longer than this is not one. */
const DOCUMENT_CHARS = 64 * 1024;
const AUTH_ANSWER_MAX_BYTES = 1024 * 1024;

/**
 * A fetch for the SDK's discovery and token requests that bounds each request by the request time-out and
 * logs what it answered, so findings can say which URLs were tried and quote what came back.
 */
export function recordingAuthFetch(log: AuthRequest[], limits: HttpLimits): FetchLike {
  // The SDK parses what it is given whole; a metadata document or token answer is never this large.
  const maxBytes = Math.min(AUTH_ANSWER_MAX_BYTES, limits.maxBodyBytes);
  const setting = maxBytes < AUTH_ANSWER_MAX_BYTES ? undefined : 'the most an authorization document or token answer may be';
  return async (url, init) => {
    const started = performance.now();
    const method = init?.method ?? 'GET';
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    try {
      const response = await routedFetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
      const bounds = { maxChars: DOCUMENT_CHARS, maxBytes, deadline: started + limits.timeoutMs };
      const { text } = await readText(response.clone().body, bounds);
      log.push({ method, url: String(url), ...headersOf(response), body: text, durationMs: elapsedSince(started) });
      return capResponse(response, maxBytes, { setting });
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
export async function sendInitialize(url: URL, headers: Record<string, string>, limits: HttpLimits, shownUrl = url.href): Promise<InitializeProbe> {
  const reply = await request(
    {
      url,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initializeRequest(LATEST_PROTOCOL_VERSION, 'mcp-preflight-auth-probe')),
      shownUrl,
    },
    limits,
  );
  if (reply.sessionId) await request({ url, method: 'DELETE', headers: { ...headers, 'mcp-session-id': reply.sessionId }, read: 'headers' }, limits);
  const ok = reply.status !== undefined && reply.status >= 200 && reply.status < 300;
  return { ...probeOf(reply), answered: ok && speaksMcp(reply.contentType) && !carriesError(reply) };
}

/** Opens an HTTP+SSE stream with exactly `headers`, and stops at the status line: that is all the probe needs. */
export async function openEventStream(url: URL, headers: Record<string, string>, limits: HttpLimits): Promise<InitializeProbe> {
  const reply = await request({ url, headers: { ...headers, accept: 'text/event-stream' }, read: 'headers' }, limits);
  const ok = reply.status !== undefined && reply.status >= 200 && reply.status < 300;
  return { ...probeOf(reply), answered: ok && mediaTypeOf(reply.contentType) === 'text/event-stream' };
}

/** The parts of a reply the posture findings quote. */
function probeOf({ method, url, status, contentType, wwwAuthenticate, body, errorCode, errorMessage, durationMs }: HttpReply): AuthRequest {
  return { method, url, status, contentType, wwwAuthenticate, body, errorCode, errorMessage, durationMs };
}

function headersOf(response: Response): Pick<AuthRequest, 'status' | 'contentType' | 'wwwAuthenticate'> {
  const { status, contentType, wwwAuthenticate } = answerOf(response);
  return { status, contentType, wwwAuthenticate };
}

function speaksMcp(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type === 'application/json' || type === 'text/event-stream';
}

/**
 * A JSON-RPC error in a JSON body or the first event of a stream: some servers refuse missing credentials
 * that way, with HTTP 200. A body still on its way (a slow initialize) counts as no error.
 */
function carriesError(reply: HttpReply): boolean {
  const candidates = reply.events ? reply.events.map((event) => event.data) : [reply.body ?? ''];
  return candidates.some((text) => {
    try {
      return (JSON.parse(text) as { error?: unknown })?.error !== undefined;
    } catch {
      return false;
    }
  });
}
