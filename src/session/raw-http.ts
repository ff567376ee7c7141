import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/client';
import { request, type HttpLimits, type HttpReply } from '../util/http/request.js';
import type { EventSourceMessage } from '../util/http/sse.js';

export interface RawRequest {
  method: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** Headers added to (or, with `undefined`, removed from) the defaults. */
  headers?: Record<string, string | undefined>;
  /** Stop at the status line and headers: a GET stream may stay open and silent for as long as it likes. */
  headersOnly?: boolean;
  /** The characters of body worth reading (default 256 KiB). */
  maxChars?: number;
  /** For an event stream: the event to read up to, instead of the first one. */
  until?: (event: EventSourceMessage) => boolean;
}

/** Checks quote an answer's start or look for a phrase in it; a longer body is not read. */
const BODY_CHARS = 256 * 1024;

/**
 * Plain HTTP requests to the MCP endpoint, for the checks that test the transport itself (status codes,
 * headers) rather than the protocol. Same URL and credentials as the session; every request is bounded.
 */
export class RawHttp {
  constructor(
    readonly url: URL,
    private readonly headers: Record<string, string>,
    private readonly limits: HttpLimits,
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

  send({ method, body, headers = {}, headersOnly = false, maxChars = BODY_CHARS, until }: RawRequest): Promise<HttpReply> {
    const merged: Record<string, string> = { ...this.defaultHeaders() };
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) delete merged[name.toLowerCase()];
      else merged[name.toLowerCase()] = value;
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return request({ url: this.url, method, headers: merged, body: payload, read: headersOnly ? 'headers' : 'body', maxChars, until }, this.limits);
  }

  /** A fresh session of its own, so checks that end or break sessions never touch the gate's own. */
  async openSession(): Promise<string | undefined> {
    const response = await this.send({
      method: 'POST',
      body: initializeRequest(this.protocolVersion),
      headers: { 'mcp-session-id': undefined, 'mcp-protocol-version': undefined },
    });
    if (!response.sessionId) return undefined;
    const session = new RawHttp(this.url, this.headers, this.limits, response.sessionId, this.protocolVersion);
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
    return new RawHttp(this.url, this.headers, this.limits, sessionId, this.protocolVersion);
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
