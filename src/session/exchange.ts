import {
  type Transport,
  type TransportSendOptions,
  type FetchLike,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type InitializeResult,
  type JSONRPCMessage,
  type JSONRPCResponse,
} from '@modelcontextprotocol/client';
import { InitializeResultSchema } from '@modelcontextprotocol/core';
import { LIMIT_DEFAULTS } from '../config-defaults.js';
import type { Limits } from '../config.js';
import { capResponse, readText } from '../util/http/body.js';
import { describeNetworkError, mediaTypeOf, peekHtmlTitle, type HttpAnswer } from '../util/http/request.js';
import { routedFetch } from '../util/http/route.js';
import { boundJson } from '../util/json-bounds.js';

export { cappedFetch } from '../util/http/body.js';

export interface HttpExchange extends HttpAnswer {
  method: string;
  url: string;
  /** The headers findings quote: the auth challenge and the session id. */
  wwwAuthenticate?: string;
  /** The start of the body of a refusal (4xx, 5xx), which often says why: "Invalid Host header: …". */
  body?: string;
  sessionId?: string;
  /** The gate itself aborted the request (a time-out or closing), so its error says nothing about the server. */
  cancelled?: boolean;
  /** The event stream of this answer ended; for initialize, before the answer came, the cut is a finding. */
  streamEnded?: boolean;
  durationMs: number;
}

export interface InitializeRecord {
  requestedVersion?: string;
  /** The raw result as the server sent it, before the client's own checks. */
  rawResult?: unknown;
  result?: InitializeResult;
  error?: { code: number; message: string; data?: unknown };
  durationMs?: number;
}

/** One answer to a request of the gate's, in brief: enough to judge it without keeping its body. */
export interface AnswerRecord {
  method: string;
  /** The result's `resultType` as sent (undefined when absent); only for a result. */
  resultType?: unknown;
  /** The result's cache hints as sent (2026-07-28, utilities/caching); only for a result. */
  ttlMs?: unknown;
  cacheScope?: unknown;
  /** The answer was an error, not a result. */
  error?: { code: number; message: string };
}

/** A `notifications/message` the server sent, and the requests awaiting an answer when it came. */
export interface LogMessageRecord {
  level?: unknown;
  /** The methods of the requests in flight; empty when none was. */
  pending: string[];
  /** Whether any of those requests asked for log messages (`_meta` io.modelcontextprotocol/logLevel). */
  asked: boolean;
}

/** One time the server's answers went past a limit of the gate: the evidence security.unbounded-answer quotes. */
export interface LimitHit {
  limit: keyof Limits;
  /** The limit's value. */
  value: number;
  /** Where, to start a sentence: `the answer to POST http://127.0.0.1:3000/mcp`, `the tools/list answers`, `a page of tools`. */
  where: string;
  /** The first place JSON was cut, or how much was kept. */
  detail?: string;
}

const HTTP_LOG_LIMIT = 100;
/** Enough answers to name every method that broke a rule; a long run keeps its first ones. */
const ANSWER_LOG_LIMIT = 500;
const LOG_MESSAGE_LIMIT = 20;
/** Where a modern request asks for `notifications/message` (2026-07-28, server/utilities/logging). */
export const LOG_LEVEL_META_KEY = 'io.modelcontextprotocol/logLevel';
/** Enough to quote why a request was refused; a longer body is a page, not a reason. */
const REFUSAL_BODY_CHARS = 2048;
const LIST_FIELDS = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;
const LIST_CHANGED = /^notifications\/(tools|prompts|resources)\/list_changed$/;
/** Enough hits to show a pattern; a server that hits a limit on every answer would otherwise grow the list. */
const LIMIT_HIT_LOG = 20;
/** The SDK parses a stream's last event just after the bytes end; an answer in it must not count as cut. */
const STREAM_END_GRACE_MS = 200;
/**
 * How long the gate peeks at a copy of an answer the SDK reads itself (a page's title, a refusal's
 * reason): the SDK bounds its own request, and the peek must not hold it up.
 */
const PEEK_MS = 1000;

/** What crossed the wire: the evidence findings quote, recorded without reaching into the client. */
export class Exchange {
  readonly http: HttpExchange[] = [];
  readonly initialize: InitializeRecord = {};
  readonly limitHits: LimitHit[] = [];
  /** The lists the server said changed (`notifications/tools/list_changed` → `tools`), in the order it said so. */
  readonly listChanged = new Set<'tools' | 'prompts' | 'resources'>();
  /** The list fields (`tools`, `prompts`…) of which a page was cut to limits.maxItems. */
  readonly truncatedLists = new Set<string>();
  /** Every answer to the gate's requests (up to ANSWER_LOG_LIMIT), in the order they came. */
  readonly answers: AnswerRecord[] = [];
  /** The `notifications/message` the server sent (up to LOG_MESSAGE_LIMIT). */
  readonly logMessages: LogMessageRecord[] = [];
  /** The raw answer to `server/discover`, before the client's own checks: the result, or the error. */
  discover?: { rawResult?: unknown; error?: { code: number; message: string; data?: unknown } };
  messagesSent = 0;
  messagesReceived = 0;
  /** Resolves with the initialize POST whose event stream ended without the answer. */
  readonly initializeStreamCut: Promise<HttpExchange>;
  /** The answer to the client's first GET, once that GET was sent (see `expectGet`). */
  firstGet?: Promise<HttpExchange>;
  private initializeId?: string | number;
  /** The method of each request sent and not yet answered, to say which answer went past a limit. */
  private readonly methodsInFlight = new Map<string | number, string>();
  /** The requests in flight that asked for log messages. */
  private readonly askedLogLevel = new Set<string | number>();
  private initializeSentAt = 0;
  private reportCut: (entry: HttpExchange) => void = () => undefined;

  constructor(readonly limits: Pick<Limits, 'maxBodyBytes' | 'maxDepth' | 'maxItems'> = LIMIT_DEFAULTS) {
    this.initializeStreamCut = new Promise((resolve) => {
      this.reportCut = resolve;
    });
  }

  /**
   * Sets `firstGet` when the client sends its first GET (the event stream it opens after initialize);
   * returns what settles it with the answer.
   */
  expectGet(): (entry: HttpExchange) => void {
    if (this.firstGet) return () => undefined;
    let settle: (entry: HttpExchange) => void = () => undefined;
    this.firstGet = new Promise((resolve) => {
      settle = resolve;
    });
    return settle;
  }

  recordHttp(entry: HttpExchange): void {
    if (this.http.length >= HTTP_LOG_LIMIT) this.http.shift();
    this.http.push(entry);
  }

  recordLimitHit(hit: LimitHit): void {
    if (this.limitHits.length >= LIMIT_HIT_LOG || this.limitHits.some((h) => h.limit === hit.limit && h.where === hit.where)) return;
    this.limitHits.push(hit);
  }

  lastHttp(): HttpExchange | undefined {
    return this.http.at(-1);
  }

  get initializeAnswered(): boolean {
    return this.initialize.rawResult !== undefined || this.initialize.error !== undefined;
  }

  onInitializeStreamEnd(entry: HttpExchange): void {
    entry.streamEnded = true;
    setTimeout(() => {
      if (!this.initializeAnswered) this.reportCut(entry);
    }, STREAM_END_GRACE_MS);
  }

  onSent(message: JSONRPCMessage): void {
    this.messagesSent += 1;
    if (isJSONRPCRequest(message)) {
      this.methodsInFlight.set(message.id, message.method);
      const meta = (message.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
      if (meta?.[LOG_LEVEL_META_KEY] !== undefined) this.askedLogLevel.add(message.id);
    }
    if (isJSONRPCRequest(message) && message.method === 'initialize') {
      this.initializeId = message.id;
      this.initializeSentAt = performance.now();
      this.initialize.requestedVersion = (message.params as { protocolVersion?: string } | undefined)?.protocolVersion;
    }
  }

  onReceived(message: JSONRPCMessage): void {
    this.messagesReceived += 1;
    const id = 'id' in message && !('method' in message) ? message.id : undefined;
    const answered = id === undefined ? undefined : this.methodsInFlight.get(id);
    if (id !== undefined) this.methodsInFlight.delete(id);
    this.boundNesting(message, answered);
    if (answered !== undefined && id !== undefined) this.recordAnswer(message, answered, id);
    if ('method' in message && message.method === 'notifications/message' && this.logMessages.length < LOG_MESSAGE_LIMIT) {
      const pending = [...this.methodsInFlight.keys()];
      const level = (message.params as { level?: unknown } | undefined)?.level;
      this.logMessages.push({
        level,
        pending: pending.map((key) => this.methodsInFlight.get(key) ?? ''),
        asked: pending.some((key) => this.askedLogLevel.has(key)),
      });
    }
    const changed = 'method' in message && !('id' in message) ? LIST_CHANGED.exec(message.method)?.[1] : undefined;
    if (changed) this.listChanged.add(changed as 'tools' | 'prompts' | 'resources');
    if (this.initializeId === undefined || !('id' in message) || message.id !== this.initializeId) return;
    this.initialize.durationMs = Math.round(performance.now() - this.initializeSentAt);
    if (isJSONRPCResultResponse(message)) {
      this.initialize.rawResult = message.result;
      const parsed = InitializeResultSchema.safeParse(message.result);
      if (parsed.success) this.initialize.result = parsed.data;
    } else if (isJSONRPCErrorResponse(message)) {
      this.initialize.error = { code: message.error.code, message: message.error.message, data: message.error.data };
    }
  }

  private recordAnswer(message: JSONRPCMessage, method: string, id: string | number): void {
    this.askedLogLevel.delete(id);
    const error = isJSONRPCErrorResponse(message) ? message.error : undefined;
    const result = isJSONRPCResultResponse(message) ? (message.result as Record<string, unknown>) : undefined;
    if (method === 'server/discover' && !this.discover)
      this.discover = error ? { error: { code: error.code, message: error.message, data: error.data } } : { rawResult: result };
    if (this.answers.length >= ANSWER_LOG_LIMIT) return;
    this.answers.push(
      error
        ? { method, error: { code: error.code, message: error.message } }
        : { method, resultType: result?.resultType, ttlMs: result?.ttlMs, cacheScope: result?.cacheScope },
    );
  }

  /**
   * Shortens, in place, a list answer longer than limits.maxItems, before the client validates every
   * item of it: each read of a 100,000-tool page (the session's, the latency burst's) would cost seconds.
   */
  private boundLists(message: JSONRPCMessage): void {
    if (!isJSONRPCResultResponse(message)) return;
    const result = message.result as Record<string, unknown>;
    for (const field of LIST_FIELDS) {
      const items = result[field];
      if (!Array.isArray(items) || items.length <= this.limits.maxItems) continue;
      this.recordLimitHit({ limit: 'maxItems', value: this.limits.maxItems, where: `a page of ${field}`, detail: `${items.length} listed on one page` });
      items.length = this.limits.maxItems;
      this.truncatedLists.add(field);
    }
  }

  /**
   * Cuts, in place and before the client or any check sees the message, JSON nested deeper than the
   * limit: every walker of it downstream recurses.
   */
  private boundNesting(message: JSONRPCMessage, answered: string | undefined): void {
    this.boundLists(message);
    const bounds = boundJson(message, this.limits.maxDepth);
    if (!bounds.cuts) return;
    const where = 'method' in message ? `the server's ${String(message.method).slice(0, 60)} message` : `the answer to ${answered ?? 'a request'}`;
    this.recordLimitHit({ limit: 'maxDepth', value: this.limits.maxDepth, where, detail: `first cut at ${bounds.firstCut}` });
  }
}

/** Passes everything through to the real transport and tells the exchange what went by. */
export class RecordingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private readonly sideChannels = new Set<SideChannel>();

  constructor(
    readonly inner: Transport,
    private readonly exchange: Exchange,
  ) {
    inner.onmessage = (message, extra) => {
      exchange.onReceived(message);
      const answerTo = 'id' in message && !('method' in message) && typeof message.id === 'string' ? message.id : undefined;
      const side = answerTo === undefined ? undefined : [...this.sideChannels].find((channel) => channel.awaits(answerTo));
      if (side) {
        side.deliver(message);
        return;
      }
      // Notifications go to every listener: a side channel's request may be what the server answers with them.
      if (!('id' in message)) for (const channel of this.sideChannels) channel.deliver(message);
      this.onmessage?.(message, extra);
    };
    inner.onerror = (error) => this.onerror?.(error);
    inner.onclose = () => {
      for (const channel of this.sideChannels) channel.onclose?.();
      this.onclose?.();
    };
  }

  /**
   * A transport on this same connection for requests of the gate's own, past the client: the answers to
   * what it sent come back to it alone, notifications to it and the client both. Closing it leaves the
   * connection open. Over stdio this spares a server process for requests the client would refuse to send.
   */
  sideChannel(): Transport {
    const channel = new SideChannel(this, () => this.sideChannels.delete(channel));
    this.sideChannels.add(channel);
    return channel;
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.exchange.onSent(message);
    try {
      await this.inner.send(message, options);
    } catch (error) {
      const answer = rpcErrorInHttpRefusal(message, error);
      if (!answer) throw error;
      // Delivered as the answer it is, so the client rejects the request with the server's own error.
      this.inner.onmessage?.(answer);
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}

/** See RecordingTransport.sideChannel. */
class SideChannel implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private readonly sent = new Set<string>();

  constructor(
    private readonly connection: RecordingTransport,
    private readonly detach: () => void,
  ) {}

  awaits(id: string): boolean {
    return this.sent.has(id);
  }

  deliver(message: JSONRPCMessage): void {
    if ('id' in message && !('method' in message) && typeof message.id === 'string') this.sent.delete(message.id);
    this.onmessage?.(message);
  }

  async start(): Promise<void> {
    // The connection is the client's, and already open.
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if ('id' in message && 'method' in message && typeof message.id === 'string') this.sent.add(message.id);
    await this.connection.send(message);
  }

  close(): Promise<void> {
    this.sent.clear();
    this.detach();
    return Promise.resolve();
  }
}

/**
 * A fetch that records status, content type and the headers findings need, for every HTTP request, and
 * stops reading a body past `limits.maxBodyBytes`: the SDK would otherwise buffer an endless answer whole.
 */
export function recordingFetch(exchange: Exchange): FetchLike {
  return async (url, init) => {
    const started = performance.now();
    const method = init?.method ?? 'GET';
    const settleGet = method === 'GET' ? exchange.expectGet() : () => undefined;
    try {
      const response = await routedFetch(url, init);
      const entry: HttpExchange = {
        method,
        url: String(url),
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        title: await peekHtmlTitle(response, exchange.limits.maxBodyBytes, PEEK_MS),
        wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
        sessionId: response.headers.get('mcp-session-id') ?? undefined,
        body: await refusalBodyOf(response, exchange.limits.maxBodyBytes),
        durationMs: Math.round(performance.now() - started),
      };
      exchange.recordHttp(entry);
      settleGet(entry);
      const isStream = mediaTypeOf(entry.contentType) === 'text/event-stream';
      const onEnd = isStream && carriesInitialize(init) ? () => exchange.onInitializeStreamEnd(entry) : undefined;
      const onOverflow = () =>
        exchange.recordLimitHit({
          limit: 'maxBodyBytes',
          value: exchange.limits.maxBodyBytes,
          where: `the answer to ${method} ${entry.url}`,
          detail: isStream ? 'an event stream' : entry.contentType,
        });
      return capResponse(response, exchange.limits.maxBodyBytes, { onOverflow, onEnd });
    } catch (error) {
      const base = { method, url: String(url), durationMs: Math.round(performance.now() - started) };
      const entry = init?.signal?.aborted ? { ...base, cancelled: true } : { ...base, ...describeNetworkError(error) };
      exchange.recordHttp(entry);
      settleGet(entry);
      throw error;
    }
  };
}

/** Read from a copy, so the client still gets the whole answer; an event stream is never a refusal. */
async function refusalBodyOf(response: Response, maxBytes: number): Promise<string | undefined> {
  if (response.status < 400 || mediaTypeOf(response.headers.get('content-type') ?? undefined) === 'text/event-stream') return undefined;
  const bounds = { maxChars: REFUSAL_BODY_CHARS, maxBytes, deadline: performance.now() + PEEK_MS };
  return (await readText(response.clone().body, bounds)).text || undefined;
}

function carriesInitialize(init: RequestInit | undefined): boolean {
  if (init?.method !== 'POST' || typeof init.body !== 'string') return false;
  try {
    const body = JSON.parse(init.body) as unknown;
    return (Array.isArray(body) ? body : [body]).some((message) => isJSONRPCRequest(message) && message.method === 'initialize');
  } catch {
    return false;
  }
}

/** Statuses whose body the client must not read as the request's answer: they ask for credentials. */
const AUTH_STATUSES = new Set([401, 403]);

/**
 * A JSON-RPC error a server sent with an HTTP error status (404 + -32601 for an unknown method, as the
 * 2026-07-28 revision asks, or a 400 + -32602): the SDK's HTTP transport throws it as an HTTP failure, so
 * a check would see "Error POSTing to endpoint" where every client that reads the body sees the server's
 * error. `initialize` is left to the transport, whose refusal tells the transports and the eras apart.
 */
function rpcErrorInHttpRefusal(message: JSONRPCMessage, error: unknown): JSONRPCResponse | undefined {
  if (!isJSONRPCRequest(message) || message.method === 'initialize') return undefined;
  const data = (error as { data?: { status?: unknown; text?: unknown } } | null)?.data;
  if (typeof data?.status !== 'number' || AUTH_STATUSES.has(data.status) || typeof data.text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(data.text);
    return isJSONRPCErrorResponse(parsed) && parsed.id === message.id ? parsed : undefined;
  } catch {
    return undefined;
  }
}
