import { formatDuration } from '../time.js';
import { readText, type BodyRead, type ReadBounds } from './body.js';
import { routedFetch } from './route.js';
import { readEvents, type EventSourceMessage } from './sse.js';

/** What an HTTP request got back, as findings quote it. */
export interface HttpAnswer {
  status?: number;
  contentType?: string;
  /** The <title> of an HTML page: tells a web app's page from an MCP answer at a glance. */
  title?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** One request the gate made itself and what it got: the one shape every probe records. */
export interface HttpReply extends HttpAnswer {
  method: string;
  /** As findings show it: any token the gate put in the URL is replaced by `<token>`. */
  url: string;
  wwwAuthenticate?: string;
  sessionId?: string;
  /** Where a redirect points, as sent. */
  location?: string;
  /** The start of the body, as far as the probe read it; an event stream up to its first event. */
  body?: string;
  /** The events read from an event stream. */
  events?: EventSourceMessage[];
  /** Why reading the body stopped; `cap` means it went past limits.maxBodyBytes. */
  bodyStop?: BodyRead['stop'];
  /** No answer within request-timeout; the body's read counts too, and what arrived until then is kept. */
  timedOut?: boolean;
  durationMs: number;
}

/** The bounds every request of the gate's own obeys, from the settings. */
export interface HttpLimits {
  /** request-timeout: the whole request, status line, headers and the body read, ends within it. */
  timeoutMs: number;
  /** limits.maxBodyBytes: no body is read past it. */
  maxBodyBytes: number;
}

export interface HttpRequest {
  url: URL;
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /**
   * `headers`: stop at the status line and headers (a GET stream may stay open and silent at will);
   * `title`: read an HTML page for its title, and stop at the headers of anything else; `body` (the default).
   */
  read?: 'headers' | 'title' | 'body';
  /** The characters of body worth reading; an event stream is read up to its first event within them. */
  maxChars?: number;
  /** For an event stream: the event to read up to, instead of the first one. */
  until?: (event: EventSourceMessage) => boolean;
  /** The URL to record, when `url` carries a secret. */
  shownUrl?: string;
}

/** Enough to quote why a request was refused; a longer body is a page, not a reason. */
const QUOTE_CHARS = 2048;

/**
 * Sends one request of the gate's own: to the address the host is routed to, never following a redirect
 * (headers and credentials go to the URL the user named only), within request-timeout for the whole of
 * it, reading no more body than asked and never past the byte cap. Never throws: a server that does not
 * answer is evidence, recorded in the reply.
 */
export async function request(req: HttpRequest, limits: HttpLimits): Promise<HttpReply> {
  const started = performance.now();
  const base = { method: req.method ?? 'GET', url: req.shownUrl ?? req.url.href };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    const response = await routedFetch(req.url, { method: base.method, headers: req.headers, body: req.body, redirect: 'manual', signal: controller.signal });
    const bounds = { maxChars: req.maxChars ?? QUOTE_CHARS, maxBytes: limits.maxBodyBytes, deadline: started + limits.timeoutMs };
    const skip = req.read === 'headers' || (req.read === 'title' && !isHtml(response.headers.get('content-type') ?? undefined));
    const read = skip ? undefined : await readAnswer(response, bounds, req.until);
    const timedOut = read?.stop === 'deadline' || (read?.stop === 'broken' && controller.signal.aborted) || undefined;
    return {
      ...base,
      ...answerOf(response),
      ...(read && { body: read.text, events: read.events, bodyStop: read.stop, title: titleOf(response, read.text) }),
      timedOut,
      durationMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    // A probe reports a server that does not answer; it must not fail as if the gate were broken.
    if (controller.signal.aborted)
      return { ...base, timedOut: true, errorCode: 'TimeoutError', errorMessage: `timed out after ${formatDuration(limits.timeoutMs)}`, durationMs };
    return { ...base, ...describeNetworkError(error), durationMs };
  } finally {
    clearTimeout(timer);
    // Whatever is left of the body (an event stream stays open after its first event) is not wanted.
    controller.abort();
  }
}

/** The status and the headers findings quote, from any response. */
export function answerOf(response: Response): Omit<HttpReply, 'method' | 'url' | 'durationMs'> {
  const header = (name: string) => response.headers.get(name) ?? undefined;
  return {
    status: response.status,
    contentType: header('content-type'),
    wwwAuthenticate: header('www-authenticate'),
    sessionId: header('mcp-session-id'),
    location: header('location'),
  };
}

/** An event stream up to its first event; any other body up to the characters asked for. */
async function readAnswer(
  response: Response,
  bounds: ReadBounds,
  until?: (event: EventSourceMessage) => boolean,
): Promise<BodyRead & { events?: EventSourceMessage[] }> {
  if (mediaTypeOf(response.headers.get('content-type') ?? undefined) === 'text/event-stream') return readEvents(response.body, bounds, until);
  return readText(response.body, bounds);
}

/** "timed out after 10.0 s", or "ECONNRESET: socket hang up". */
export function describeFailure(reply: Pick<HttpAnswer, 'errorCode' | 'errorMessage'> & { timedOut?: boolean }): string {
  if (reply.timedOut && reply.errorMessage) return reply.errorMessage;
  return [reply.errorCode, reply.errorMessage].filter(Boolean).join(': ') || 'unknown error';
}

/** fetch hides the socket error in `cause`; findings need its code (ECONNREFUSED, ENOTFOUND, …). */
export function describeNetworkError(error: unknown): Pick<HttpAnswer, 'errorCode' | 'errorMessage'> {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  // A DOMException (TimeoutError, AbortError) has a numeric legacy code; its name is what a person reads.
  const errno = (cause as { code?: unknown })?.code;
  const code = typeof errno === 'string' ? errno : ((cause as { name?: string })?.name ?? (error as { name?: string })?.name);
  const message = cause instanceof Error ? cause.message : String(cause);
  return { errorCode: code, errorMessage: message };
}

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function isHtml(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type === 'text/html' || type === 'application/xhtml+xml';
}

/** Enough of a page to find its <title> without reading a large or endless body. */
export const TITLE_SEARCH_CHARS = 16 * 1024;

/**
 * The page title of an HTML answer the SDK reads itself, peeked at from a copy for at most `peekMs`: the
 * SDK bounds its own request, and the peek must not hold it up.
 */
export async function peekHtmlTitle(response: Response, maxBytes: number, peekMs: number): Promise<string | undefined> {
  if (!isHtml(response.headers.get('content-type') ?? undefined)) return undefined;
  const bounds = { maxChars: TITLE_SEARCH_CHARS, maxBytes, deadline: performance.now() + peekMs };
  return titleIn((await readText(response.clone().body, bounds, (text) => /<\/title>/i.test(text))).text);
}

function titleOf(response: Response, text: string): string | undefined {
  return isHtml(response.headers.get('content-type') ?? undefined) ? titleIn(text) : undefined;
}

function titleIn(html: string): string | undefined {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1].replace(/\s+/g, ' ').trim();
  return title || undefined;
}
