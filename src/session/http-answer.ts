import { readPrefix } from '../util/read-prefix.js';

/** What an HTTP request got back, as findings quote it. */
export interface HttpAnswer {
  status?: number;
  contentType?: string;
  /** The <title> of an HTML page: tells a web app's page from an MCP answer at a glance. */
  title?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** Enough of a page to find its <title> without reading a large or endless body. */
const TITLE_SEARCH_CHARS = 16 * 1024;

export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function isHtml(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return type === 'text/html' || type === 'application/xhtml+xml';
}

/** "HTTP 200 text/html (a page titled "Acme")", or the network error. */
export function describeAnswer(answer: HttpAnswer): string {
  if (answer.status === undefined) return answer.errorCode ? `no answer (${answer.errorCode})` : 'no answer';
  const type = answer.contentType ? ` ${mediaTypeOf(answer.contentType)}` : '';
  const title = answer.title ? ` (a page titled "${answer.title}")` : '';
  return `HTTP ${answer.status}${type}${title}`;
}

/** The page title of an HTML answer, read from a copy so the caller can still consume the body. */
export async function htmlTitleOf(response: Response): Promise<string | undefined> {
  if (!isHtml(response.headers.get('content-type') ?? undefined)) return undefined;
  return titleIn(await readPrefix(response.clone().body, (text) => /<\/title>/i.test(text), TITLE_SEARCH_CHARS));
}

function titleIn(html: string): string | undefined {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1].replace(/\s+/g, ' ').trim();
  return title || undefined;
}

/** Words of a refusal about credentials rather than about the name the request was sent to. */
const ABOUT_CREDENTIALS = /\b(?:api[ _-]?key|token|credentials?|password|unauthori[sz]ed|authenticat\w*|log ?in|sign ?in)\b/i;
const ABOUT_HOST = /\b(?:host|origin|rebinding|only allowed at)\b/i;

/**
 * Whether a refusal is a Host or Origin allow-list's (DNS-rebinding protection): 421 Misdirected Request,
 * or 403 without an authentication challenge, unless its body speaks of credentials and not of the host.
 * Such a server says nothing about credentials, so it is no evidence of authorization either way.
 */
export function refusesHost(answer: { status?: number; wwwAuthenticate?: string; body?: string }): boolean {
  if (answer.wwwAuthenticate) return false;
  if (answer.status === 421) return true;
  if (answer.status !== 403) return false;
  const body = answer.body ?? '';
  return ABOUT_HOST.test(body) || !ABOUT_CREDENTIALS.test(body);
}
