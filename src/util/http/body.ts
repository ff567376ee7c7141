import { withinDeadline } from '../time.js';
import { routedFetch } from './route.js';

/** How much of a body a probe reads: its own need in characters, the byte cap, and the request's deadline. */
export interface ReadBounds {
  /** Characters worth keeping: what the probe quotes or parses. */
  maxChars: number;
  /** limits.maxBodyBytes: bytes past it are never read. */
  maxBytes: number;
  /** A `performance.now()` time: the request's time-out, body included. */
  deadline: number;
}

/**
 * Why reading stopped: the body ended, the reader had enough, the probe's characters were read, the byte
 * cap was reached, the deadline passed, or the body broke off.
 */
export type ReadStop = 'end' | 'enough' | 'chars' | 'cap' | 'deadline' | 'broken';

export interface BodyRead {
  text: string;
  stop: ReadStop;
}

/**
 * Reads the start of a body until `enough` says so (given the text so far and the piece just decoded),
 * within `bounds`, then cancels the rest: a hostile server may send an endless or stalled body.
 */
export async function readText(
  body: ReadableStream<Uint8Array> | null,
  bounds: ReadBounds,
  enough: (text: string, piece: string) => boolean = () => false,
): Promise<BodyRead> {
  if (!body) return { text: '', stop: 'end' };
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  let stop: ReadStop = 'end';
  try {
    for (;;) {
      const chunk = await withinDeadline(reader.read(), bounds.deadline - performance.now());
      if (!chunk) stop = 'deadline';
      if (!chunk || chunk.done) break;
      // The bytes up to the cap are still read: a quote of an endless answer shows how it starts.
      const allowed = chunk.value.subarray(0, bounds.maxBytes - bytes);
      bytes += allowed.byteLength;
      const piece = decoder.decode(allowed, { stream: true });
      text += piece;
      if (enough(text, piece)) stop = 'enough';
      else if (allowed.byteLength < chunk.value.byteLength) stop = 'cap';
      else if (text.length >= bounds.maxChars) stop = 'chars';
      if (stop !== 'end') break;
    }
  } catch {
    // A body that breaks off still leaves what was read.
    stop = 'broken';
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return { text: text.slice(0, bounds.maxChars), stop };
}

/** The error a body past the cap ends with; the SDK passes it on as the request's failure. */
export class BodyLimitError extends Error {
  constructor(
    readonly limit: number,
    setting = 'limits.maxBodyBytes in the configuration file',
  ) {
    super(`the answer went past ${limit} bytes (${setting}); the gate stopped reading it`);
    this.name = 'BodyLimitError';
  }
}

/** A fetch as the SDK's transports and OAuth helpers take it. */
export type FetchFunction = (url: string | URL, init?: RequestInit) => Promise<Response>;

export interface CapOptions {
  /** Told once, when the body goes past the cap: the recorded exchange turns it into a finding. */
  onOverflow?: () => void;
  /** Told when the body ends, breaks off or is cut: an event stream's end is evidence for the exchange. */
  onEnd?: () => void;
  /** The setting the cap comes from, as the error names it. */
  setting?: string;
}

/** The response, whose body fails with a BodyLimitError past `maxBytes` instead of being read on. */
export function capResponse(response: Response, maxBytes: number, options: CapOptions = {}): Response {
  return watchBody(response, maxBytes, options);
}

/**
 * The fetch handed to the SDK's transports: routed (see route.ts), with every body capped. No time-out of
 * its own: an event stream the SDK holds open lives as long as the session, and the SDK bounds its requests.
 */
export function cappedFetch(maxBytes: number): FetchFunction {
  return async (url, init) => capResponse(await routedFetch(url, init), maxBytes);
}

/** Statuses a Response may not be constructed with a body for. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * Passes the body through unchanged up to `maxBytes`, then cancels it and fails the read; says when an
 * event stream ends or breaks off, for `onEnd`.
 */
function watchBody(response: Response, maxBytes: number, { onOverflow, onEnd, setting }: CapOptions): Response {
  // A redirected answer keeps its own object: the event-stream client reads `redirected` and `url` from it.
  if (!response.body || response.redirected || NULL_BODY_STATUSES.has(response.status)) return response;
  const reader = response.body.getReader();
  let bytes = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          controller.close();
          onEnd?.();
          return;
        }
        bytes += chunk.value.byteLength;
        if (bytes > maxBytes) {
          onOverflow?.();
          await reader.cancel().catch(() => undefined);
          controller.error(new BodyLimitError(maxBytes, setting));
          onEnd?.();
          return;
        }
        controller.enqueue(chunk.value);
      } catch (error) {
        controller.error(error);
        onEnd?.();
      }
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
