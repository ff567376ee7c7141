import { mediaTypeOf, type HttpAnswer } from '../util/http/request.js';

/** "HTTP 200 text/html (a page titled "Acme")", or the network error. */
export function describeAnswer(answer: HttpAnswer): string {
  if (answer.status === undefined) return answer.errorCode ? `no answer (${answer.errorCode})` : 'no answer';
  const type = answer.contentType ? ` ${mediaTypeOf(answer.contentType)}` : '';
  const title = answer.title ? ` (a page titled "${answer.title}")` : '';
  return `HTTP ${answer.status}${type}${title}`;
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
