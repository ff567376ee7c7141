import { isJSONRPCErrorResponse, isJSONRPCNotification, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { httpLimitsOf, type Settings } from '../settings.js';
import { request, type HttpReply } from '../util/http/request.js';
import { boundJson } from '../util/json-bounds.js';
import type { Masker } from '../util/masker.js';
import { withinDeadline } from '../util/time.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { ProcessStdioTransport, stdioLaunch } from './stdio-transport.js';

/** The `_meta` keys every modern request carries (2026-07-28, basic/index). */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

/** The methods whose request names its target in `Mcp-Name`, and the params field it mirrors. */
const NAMED_BY: Record<string, string> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

/** What the server sent back to one raw request, as it sent it: no SDK schema stands in between. */
export interface RawAnswer {
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: unknown };
  /** Notifications that arrived for the request before its answer (over HTTP: on its event stream). */
  notifications: { method: string; params?: Record<string, unknown> }[];
  /** No answer within request-timeout. */
  timedOut?: boolean;
  /** Why there is no answer at all: a closed connection, an unreadable body. */
  failure?: string;
  /** The HTTP reply, over Streamable HTTP. */
  http?: HttpReply;
}

export interface RawRequestOptions {
  /** Over HTTP: headers to add, or with `undefined` to leave out, on top of a conforming client's. */
  headers?: Record<string, string | undefined>;
  /** Settles the request early, on a notification, before (or instead of) its answer: a stream's acknowledgement. */
  until?: (notification: { method: string; params?: Record<string, unknown> }) => boolean;
}

/**
 * A modern-era connection of the gate's own, without the SDK client: requests with the 2026-07-28 `_meta`
 * (and over HTTP its standard headers), whose raw results the checks read as the server sent them. Over
 * stdio it is a server process of its own, started on the first request; over HTTP each request stands
 * alone, as the era has no sessions.
 */
export interface RawModernConnection {
  readonly transport: 'stdio' | 'streamable-http';
  request(method: string, params?: Record<string, unknown>, options?: RawRequestOptions): Promise<RawAnswer>;
  close(): Promise<void>;
}

export interface RawModernTarget {
  settings: Settings;
  url?: URL;
  masker: Masker;
  protocolVersion: string;
}

/** The modern `_meta` of a request from the gate. */
export function modernMeta(protocolVersion: string): Record<string, unknown> {
  return {
    [META.protocolVersion]: protocolVersion,
    [META.clientInfo]: { name: TOOL_NAME, version: TOOL_VERSION },
    [META.clientCapabilities]: {},
  };
}

/** Opens a fresh raw connection (over stdio, a process of its own); the caller closes it. */
export function openRawModern(target: RawModernTarget): RawModernConnection {
  return target.settings.command ? new StdioRawConnection(target) : new HttpRawConnection(target);
}

/**
 * The headers a conforming 2026-07-28 client sends with a request (streamable-http, "Request Metadata"):
 * the protocol version, `Mcp-Method`, and `Mcp-Name` for the methods that name a target.
 */
export function standardHeaders(method: string, params: Record<string, unknown>, protocolVersion: string): Record<string, string> {
  const headers: Record<string, string> = { 'mcp-protocol-version': protocolVersion, 'mcp-method': method };
  const field = NAMED_BY[method];
  const name = field === undefined ? undefined : params[field];
  if (typeof name === 'string')
    headers['mcp-name'] = /^[\x20-\x7e]*$/.test(name) && name.trim() === name ? name : `=?base64?${Buffer.from(name).toString('base64')}?=`;
  return headers;
}

let nextId = 0;
function requestId(method: string): string {
  nextId += 1;
  return `mcp-preflight-raw-${nextId}-${method}`;
}

class HttpRawConnection implements RawModernConnection {
  readonly transport = 'streamable-http' as const;

  constructor(private readonly target: RawModernTarget) {}

  async request(method: string, params: Record<string, unknown> = {}, options: RawRequestOptions = {}): Promise<RawAnswer> {
    const { settings, url, protocolVersion } = this.target;
    const id = requestId(method);
    const body = { jsonrpc: '2.0', id, method, params: { ...params, _meta: modernMeta(protocolVersion) } };
    const headers: Record<string, string> = {
      ...settings.headers,
      accept: 'application/json, text/event-stream',
      'content-type': 'application/json',
      ...standardHeaders(method, params, protocolVersion),
    };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === undefined) delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }
    const reply = await request(
      { url: url as URL, method: 'POST', headers, body: JSON.stringify(body), maxChars: settings.config.limits.maxBodyBytes },
      httpLimitsOf(settings),
    );
    return { ...answerIn(reply, id, settings.config.limits.maxDepth), http: reply };
  }

  async close(): Promise<void> {
    // Each request stood alone: nothing to end.
  }
}

/** The JSON-RPC messages of an HTTP reply: its JSON body, or the data of its events. */
function messagesIn(reply: HttpReply, maxDepth: number): JSONRPCMessage[] {
  const texts = reply.events ? reply.events.map((event) => event.data) : reply.body ? [reply.body] : [];
  const messages: JSONRPCMessage[] = [];
  for (const text of texts) {
    try {
      const parsed: unknown = JSON.parse(text);
      boundJson(parsed, maxDepth);
      messages.push(...((Array.isArray(parsed) ? parsed : [parsed]) as JSONRPCMessage[]));
    } catch {
      // Not JSON: the reply itself is the evidence.
    }
  }
  return messages;
}

function answerIn(reply: HttpReply, id: string, maxDepth: number): RawAnswer {
  const answer: RawAnswer = { notifications: [] };
  for (const message of messagesIn(reply, maxDepth)) record(answer, message, id);
  if (reply.timedOut && !answer.result && !answer.error) answer.timedOut = true;
  if (reply.status === undefined && !reply.timedOut) answer.failure = [reply.errorCode, reply.errorMessage].filter(Boolean).join(': ');
  return answer;
}

/** Adds a message to the answer of request `id`; true when it is that answer. */
function record(answer: RawAnswer, message: JSONRPCMessage, id: string): boolean {
  if (isJSONRPCNotification(message)) {
    answer.notifications.push({ method: message.method, params: message.params });
    return false;
  }
  if (!('id' in message) || message.id !== id) return false;
  if (isJSONRPCResultResponse(message)) answer.result = message.result;
  else if (isJSONRPCErrorResponse(message)) answer.error = { code: message.error.code, message: message.error.message, data: message.error.data };
  return true;
}

interface Pending {
  answer: RawAnswer;
  until?: RawRequestOptions['until'];
  settle: () => void;
}

class StdioRawConnection implements RawModernConnection {
  readonly transport = 'stdio' as const;
  private stdio?: ProcessStdioTransport;
  private started?: Promise<void>;
  private closed = false;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly target: RawModernTarget) {}

  private start(): Promise<void> {
    if (this.started) return this.started;
    const { settings, masker } = this.target;
    const stdio = new ProcessStdioTransport(stdioLaunch(settings, 'server (2026-07-28 raw requests)', masker));
    this.stdio = stdio;
    stdio.onmessage = (message) => this.receive(message);
    stdio.onclose = () => this.closeAll('the server process closed the connection');
    this.started = stdio.start();
    return this.started;
  }

  private receive(message: JSONRPCMessage): void {
    boundJson(message, this.target.settings.config.limits.maxDepth);
    for (const [id, pending] of this.pending) {
      const isAnswer = record(pending.answer, message, id);
      const last = pending.answer.notifications.at(-1);
      const early = !isAnswer && last !== undefined && isJSONRPCNotification(message) && pending.until?.(last) === true;
      if (isAnswer || early) pending.settle();
    }
  }

  private closeAll(reason: string): void {
    for (const pending of this.pending.values()) {
      pending.answer.failure ??= reason;
      pending.settle();
    }
  }

  async request(method: string, params: Record<string, unknown> = {}, options: RawRequestOptions = {}): Promise<RawAnswer> {
    if (this.closed) return { notifications: [], failure: 'the connection was closed' };
    const id = requestId(method);
    const answer: RawAnswer = { notifications: [] };
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    // Only this request's notifications belong to it; the others on the shared channel are not recorded.
    this.pending.set(id, { answer, until: options.until, settle });
    try {
      await this.start();
      await this.stdio?.send({ jsonrpc: '2.0', id, method, params: { ...params, _meta: modernMeta(this.target.protocolVersion) } });
      const done = await withinDeadline(
        settled.then(() => true),
        this.target.settings.requestTimeoutMs,
      );
      if (!done) answer.timedOut = true;
    } catch (error) {
      answer.failure = error instanceof Error ? error.message : String(error);
    } finally {
      this.pending.delete(id);
    }
    return answer;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closeAll('the connection was closed');
    if (this.stdio) {
      this.stdio.onclose = undefined;
      await this.stdio.close().catch(() => undefined);
    }
  }
}

/**
 * The raw requests of a modern face: one shared connection, opened on first use, for the checks that read
 * results as sent, and fresh ones for the checks that compare connections. The engine closes them.
 */
export class ModernRequests {
  private sharedConnection?: RawModernConnection;
  private readonly opened: RawModernConnection[] = [];

  constructor(readonly target: RawModernTarget) {}

  get transport(): 'stdio' | 'streamable-http' {
    return this.target.settings.command ? 'stdio' : 'streamable-http';
  }

  /** The shared connection (over stdio one extra server process for the whole run). */
  shared(): RawModernConnection {
    this.sharedConnection ??= this.fresh();
    return this.sharedConnection;
  }

  /** A connection of its own: over stdio a new server process, which `closeAll` ends if the caller did not. */
  fresh(): RawModernConnection {
    const connection = openRawModern(this.target);
    this.opened.push(connection);
    return connection;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.opened.map((connection) => connection.close()));
  }
}
