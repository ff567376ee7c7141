import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  InitializeResultSchema,
  isJSONRPCErrorResponse,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type InitializeResult,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { describeNetworkError } from '../target/readiness.js';
import { routedFetch } from '../target/loopback-route.js';
import { htmlTitleOf, mediaTypeOf, readPrefix, type HttpAnswer } from './http-answer.js';

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
  error?: { code: number; message: string };
  durationMs?: number;
}

const HTTP_LOG_LIMIT = 100;
/** Enough to quote why a request was refused; a longer body is a page, not a reason. */
const REFUSAL_BODY_CHARS = 2048;
/** The SDK parses a stream's last event just after the bytes end; an answer in it must not count as cut. */
const STREAM_END_GRACE_MS = 200;

/** What crossed the wire: the evidence findings quote, recorded without reaching into the client. */
export class Exchange {
  readonly http: HttpExchange[] = [];
  readonly initialize: InitializeRecord = {};
  messagesSent = 0;
  messagesReceived = 0;
  /** Resolves with the initialize POST whose event stream ended without the answer. */
  readonly initializeStreamCut: Promise<HttpExchange>;
  /** The answer to the client's first GET, once that GET was sent (see `expectGet`). */
  firstGet?: Promise<HttpExchange>;
  private initializeId?: string | number;
  private initializeSentAt = 0;
  private reportCut: (entry: HttpExchange) => void = () => undefined;

  constructor() {
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
    if (isJSONRPCRequest(message) && message.method === 'initialize') {
      this.initializeId = message.id;
      this.initializeSentAt = performance.now();
      this.initialize.requestedVersion = (message.params as { protocolVersion?: string } | undefined)?.protocolVersion;
    }
  }

  onReceived(message: JSONRPCMessage): void {
    this.messagesReceived += 1;
    if (this.initializeId === undefined || !('id' in message) || message.id !== this.initializeId) return;
    this.initialize.durationMs = Math.round(performance.now() - this.initializeSentAt);
    if (isJSONRPCResultResponse(message)) {
      this.initialize.rawResult = message.result;
      const parsed = InitializeResultSchema.safeParse(message.result);
      if (parsed.success) this.initialize.result = parsed.data;
    } else if (isJSONRPCErrorResponse(message)) {
      this.initialize.error = { code: message.error.code, message: message.error.message };
    }
  }
}

/** Passes everything through to the real transport and tells the exchange what went by. */
export class RecordingTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];

  constructor(
    readonly inner: Transport,
    private readonly exchange: Exchange,
  ) {
    inner.onmessage = (message, extra) => {
      exchange.onReceived(message);
      this.onmessage?.(message, extra);
    };
    inner.onerror = (error) => this.onerror?.(error);
    inner.onclose = () => this.onclose?.();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    this.exchange.onSent(message);
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}

/** A fetch that records status, content type and the headers findings need, for every HTTP request. */
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
        title: await htmlTitleOf(response),
        wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
        sessionId: response.headers.get('mcp-session-id') ?? undefined,
        body: await refusalBodyOf(response),
        durationMs: Math.round(performance.now() - started),
      };
      exchange.recordHttp(entry);
      settleGet(entry);
      return carriesInitialize(init) ? watchInitializeStream(response, () => exchange.onInitializeStreamEnd(entry)) : response;
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
async function refusalBodyOf(response: Response): Promise<string | undefined> {
  if (response.status < 400 || mediaTypeOf(response.headers.get('content-type') ?? undefined) === 'text/event-stream') return undefined;
  return (await readPrefix(response.clone().body, () => false, REFUSAL_BODY_CHARS)) || undefined;
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

/** Passes the event stream through unchanged and says when it ends or breaks off. */
function watchInitializeStream(response: Response, onEnd: () => void): Response {
  if (!response.body || mediaTypeOf(response.headers.get('content-type') ?? undefined) !== 'text/event-stream') return response;
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          controller.close();
          onEnd();
        } else {
          controller.enqueue(chunk.value);
        }
      } catch (error) {
        controller.error(error);
        onEnd();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
