import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import { describeNetworkError } from '../target/readiness.js';
import { routedFetch } from '../target/loopback-route.js';
import { formatDuration, withinDeadline } from '../util/time.js';

export interface RawResponse {
  /** Undefined when no answer came; `error` says why. */
  status?: number;
  contentType?: string;
  sessionId?: string;
  /** The body as far as it was read: whole for JSON, up to the first event for an SSE stream. */
  body: string;
  /** A time-out or a connection error ("ECONNRESET: socket hang up") instead of an answer. */
  error?: string;
}

export interface RawRequest {
  method: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** Headers added to (or, with `undefined`, removed from) the defaults. */
  headers?: Record<string, string | undefined>;
  /** Stop at the status line and headers: a GET stream may stay open and silent for as long as it likes. */
  headersOnly?: boolean;
}

const BODY_LIMIT = 256 * 1024;

/**
 * Plain HTTP requests to the MCP endpoint, for the checks that test the transport itself (status codes,
 * headers) rather than the protocol. Same URL and credentials as the session; every request is bounded.
 */
export class RawHttp {
  constructor(
    readonly url: URL,
    private readonly headers: Record<string, string>,
    private readonly timeoutMs: number,
    readonly sessionId?: string,
    readonly protocolVersion = LATEST_PROTOCOL_VERSION,
  ) {}

  /** The headers a conforming client sends on a request within the session. */
  defaultHeaders(): Record<string, string> {
    return {
      ...this.headers,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      'mcp-protocol-version': this.protocolVersion,
      ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}),
    };
  }

  async send({ method, body, headers = {}, headersOnly = false }: RawRequest): Promise<RawResponse> {
    const merged: Record<string, string> = { ...this.defaultHeaders() };
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) delete merged[name.toLowerCase()];
      else merged[name.toLowerCase()] = value;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await routedFetch(this.url, {
        method,
        headers: merged,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        redirect: 'manual',
      });
      const contentType = response.headers.get('content-type') ?? undefined;
      const text = headersOnly ? '' : await withinDeadline(readBody(response, contentType), this.timeoutMs);
      return { status: response.status, contentType, sessionId: response.headers.get('mcp-session-id') ?? undefined, body: text ?? '' };
    } catch (error) {
      // A check reports a server that does not answer; it must not fail as if the gate were broken.
      if (controller.signal.aborted) return { body: '', error: `timed out after ${formatDuration(this.timeoutMs)}` };
      const { errorCode, errorMessage } = describeNetworkError(error);
      return { body: '', error: [errorCode, errorMessage].filter(Boolean).join(': ') };
    } finally {
      clearTimeout(timer);
      // An SSE stream stays open after its first event; the check has what it needs.
      controller.abort();
    }
  }

  /** A fresh session of its own, so checks that end or break sessions never touch the gate's own. */
  async openSession(): Promise<string | undefined> {
    const response = await this.send({
      method: 'POST',
      body: initializeRequest(this.protocolVersion),
      headers: { 'mcp-session-id': undefined, 'mcp-protocol-version': undefined },
    });
    if (!response.sessionId) return undefined;
    const session = new RawHttp(this.url, this.headers, this.timeoutMs, response.sessionId, this.protocolVersion);
    await session.send({ method: 'POST', body: { jsonrpc: '2.0', method: 'notifications/initialized' } });
    return response.sessionId;
  }

  /** Ends a session a check created, best effort: a server that cannot end sessions still gets a verdict. */
  async endSession(sessionId: string | undefined): Promise<void> {
    if (!sessionId) return;
    await this.withSession(sessionId)
      .send({ method: 'DELETE', headers: { 'content-type': undefined }, headersOnly: true })
      .catch(() => undefined);
  }

  withSession(sessionId: string | undefined): RawHttp {
    return new RawHttp(this.url, this.headers, this.timeoutMs, sessionId, this.protocolVersion);
  }
}

export function initializeRequest(protocolVersion: string, id: number | string = 'mcp-preflight-init') {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion, capabilities: {}, clientInfo: { name: 'mcp-preflight', version: '0' } },
  };
}

/** Reads JSON whole (bounded) and an event stream up to its first complete event. */
async function readBody(response: Response, contentType: string | undefined): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  const isStream = contentType?.includes('text/event-stream');
  try {
    while (text.length < BODY_LIMIT) {
      const { done, value } = await reader.read();
      if (done) break;
      const piece = decoder.decode(value, { stream: true });
      // Only the new piece and the few characters before it can complete the event: a server that
      // drips one byte at a time must not make the search quadratic.
      const tail = text.slice(-3) + piece;
      text += piece;
      if (isStream && /\n\n|\r\n\r\n/.test(tail)) break;
    }
  } catch {
    // The request's own deadline aborted the read: what arrived until then is the answer.
  }
  await reader.cancel().catch(() => undefined);
  return text;
}
