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

export interface HttpExchange {
  method: string;
  url: string;
  status?: number;
  contentType?: string;
  /** The headers findings quote: the auth challenge and the session id. */
  wwwAuthenticate?: string;
  sessionId?: string;
  errorCode?: string;
  errorMessage?: string;
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

/** What crossed the wire: the evidence findings quote, recorded without reaching into the client. */
export class Exchange {
  readonly http: HttpExchange[] = [];
  readonly initialize: InitializeRecord = {};
  messagesSent = 0;
  messagesReceived = 0;
  private initializeId?: string | number;
  private initializeSentAt = 0;

  recordHttp(entry: HttpExchange): void {
    if (this.http.length >= HTTP_LOG_LIMIT) this.http.shift();
    this.http.push(entry);
  }

  lastHttp(): HttpExchange | undefined {
    return this.http.at(-1);
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
    try {
      const response = await fetch(url, init);
      exchange.recordHttp({
        method,
        url: String(url),
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        wwwAuthenticate: response.headers.get('www-authenticate') ?? undefined,
        sessionId: response.headers.get('mcp-session-id') ?? undefined,
        durationMs: Math.round(performance.now() - started),
      });
      return response;
    } catch (error) {
      const { errorCode, errorMessage } = describeNetworkError(error);
      exchange.recordHttp({ method, url: String(url), errorCode, errorMessage, durationMs: Math.round(performance.now() - started) });
      throw error;
    }
  };
}
