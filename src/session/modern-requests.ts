import { isJSONRPCErrorResponse, isJSONRPCNotification, isJSONRPCResultResponse, type JSONRPCMessage } from '@modelcontextprotocol/client';
import { httpLimitsOf, type Settings } from '../settings.js';
import { request, type HttpReply } from '../util/http/request.js';
import { boundJson } from '../util/json-bounds.js';
import type { Masker } from '../util/masker.js';
import { withinDeadline } from '../util/time.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Transport } from '@modelcontextprotocol/client';
import type { RecordingTransport } from './exchange.js';
import { postStamped, UNKNOWN_MODERN_REVISION, type StampedAnswer } from './stamped-request.js';
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
  /** Over stdio: the version to stamp the request with, instead of the connection's. */
  version?: string;
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
  if (!target.settings.command) return new HttpRawConnection(target);
  const { settings, masker } = target;
  return new StdioRawConnection(target, () => new ProcessStdioTransport(stdioLaunch(settings, 'server (2026-07-28 raw requests)', masker)));
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

/**
 * Raw requests over stdio: on a server process of their own, or on the side channel of a face's
 * connection (`open` says which), opened on the first request.
 */
class StdioRawConnection implements RawModernConnection {
  readonly transport = 'stdio' as const;
  private stdio?: Transport;
  private started?: Promise<void>;
  private closed = false;
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly target: RawModernTarget,
    private readonly open: () => Transport,
  ) {}

  private start(): Promise<void> {
    if (this.started) return this.started;
    const stdio = this.open();
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
      const version = options.version ?? this.target.protocolVersion;
      await this.stdio?.send({ jsonrpc: '2.0', id, method, params: { ...params, _meta: modernMeta(version) } });
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

/** A request stamped with a version, sent as the first of a server process of its own (stdio). */
export interface VersionProbe {
  connection: RawModernConnection;
  answer: Promise<StampedAnswer>;
}

/**
 * Starts a server process and sends it `method` stamped with `version` as its first request. Requests
 * made on the connection afterwards carry the target's version and follow the probe's on stdin.
 */
export function startVersionProbe(target: RawModernTarget, method: string, version = UNKNOWN_MODERN_REVISION): VersionProbe {
  const connection = openRawModern(target);
  const started = performance.now();
  const answer = connection.request(method, {}, { version }).then((raw): StampedAnswer => {
    const durationMs = Math.round(performance.now() - started);
    const id = 'mcp-preflight-stamped';
    if (raw.error) return { method, version, answer: { jsonrpc: '2.0', id, error: raw.error }, durationMs };
    if (raw.result) return { method, version, answer: { jsonrpc: '2.0', id, result: raw.result }, durationMs };
    const failure = raw.timedOut ? `no answer within ${target.settings.requestTimeoutMs} ms` : (raw.failure ?? 'no answer');
    return { method, version, failure, durationMs };
  });
  return { connection, answer };
}

/**
 * The raw requests of a modern face: one shared connection for the checks that read results as sent, and
 * fresh ones for the checks that compare connections. Over stdio the shared one is a side channel of the
 * face's own connection (`face`): the era keeps no state per connection, so requests past the client
 * need no server process of their own. The engine closes them.
 */
export class ModernRequests {
  private sharedConnection?: RawModernConnection;
  private readonly opened: RawModernConnection[] = [];
  /** Over stdio, the unknown-version probe's process, which the next `fresh()` takes instead of starting one. */
  private spare?: RawModernConnection;

  private versionProbe?: VersionProbe;

  constructor(
    readonly target: RawModernTarget,
    private readonly face?: RecordingTransport,
    versionProbe?: VersionProbe,
  ) {
    if (versionProbe) this.adopt(versionProbe);
  }

  get transport(): 'stdio' | 'streamable-http' {
    return this.target.settings.command ? 'stdio' : 'streamable-http';
  }

  /** The shared connection: over stdio the face's own, over HTTP requests that each stand alone. */
  shared(): RawModernConnection {
    if (this.sharedConnection) return this.sharedConnection;
    const face = this.face;
    if (face && this.target.settings.command) {
      this.sharedConnection = new StdioRawConnection(this.target, () => face.sideChannel());
      this.opened.push(this.sharedConnection);
    } else {
      this.sharedConnection = this.fresh();
    }
    return this.sharedConnection;
  }

  /** A connection of its own: over stdio a new server process, which `closeAll` ends if the caller did not. */
  fresh(): RawModernConnection {
    const spare = this.spare;
    this.spare = undefined;
    if (spare) return spare;
    const connection = openRawModern(this.target);
    this.opened.push(connection);
    return connection;
  }

  /**
   * The answer to one request stamped with `version` as the first message of a fresh connection: over
   * stdio a server process of its own, because a stdio server may fix a connection's era at its first
   * request and serve any version after it (the v2 SDK's `serveStdio` does); over HTTP every request
   * stands alone. Over stdio the probe may have started with the face (see connectModern), and its
   * process then serves as the next `fresh()` connection.
   */
  probeVersion(method: string, version = UNKNOWN_MODERN_REVISION): Promise<StampedAnswer> {
    const { settings, url } = this.target;
    if (!settings.command) return postStamped(url as URL, settings, method, {}, version);
    if (!this.versionProbe) this.adopt(startVersionProbe(this.target, method, version));
    return (this.versionProbe as VersionProbe).answer;
  }

  private adopt(probe: VersionProbe): void {
    this.versionProbe = probe;
    this.opened.push(probe.connection);
    this.spare = probe.connection;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.opened.map((connection) => connection.close()));
  }
}
