import { describeAnswer } from '../../session/http-answer.js';
import type { AuthRequest } from '../../session/auth-requests.js';
import type { MetadataDocument } from '../../session/auth-discovery.js';
import type { CheckContext, CheckMeta, Severity } from '../types.js';

/**
 * Whether the OAuth posture checks judge this server: it refused the anonymous request, and expect-auth does
 * not say the server is meant to be open.
 */
export function judgesPosture({ auth, settings }: CheckContext): boolean {
  return auth?.demandsCredentials === true && settings.expectAuth !== 'false';
}

/**
 * Whether the server takes part in MCP authorization: its challenge or a well-known document points at
 * protected-resource metadata, or the workflow says so (expect-auth: true, or OAuth client credentials).
 * A server that does neither uses a scheme of its own (an API key, a static token), so what MCP
 * authorization would require of it is a notice, not an error.
 */
export function takesPartInMcpAuthorization({ auth, settings }: CheckContext): boolean {
  return (
    settings.expectAuth === 'true' ||
    settings.oauth !== undefined ||
    auth?.challenge?.resourceMetadata !== undefined ||
    auth?.resourceMetadata?.url !== undefined
  );
}

/** The check's own severity for a server that takes part in MCP authorization, a notice otherwise. */
export function postureSeverity(context: CheckContext, meta: CheckMeta): Severity {
  return takesPartInMcpAuthorization(context) ? meta.severity : 'notice';
}

/**
 * "  GET https://…/.well-known/oauth-protected-resource/mcp -> HTTP 404", one line per URL tried, with the
 * network error of one that got no answer. The SDK's client asks a URL again when the network fails (it
 * takes that for a CORS refusal); the repeat is shown once.
 */
function describeAttempts(attempts: AuthRequest[]): string {
  const lines = attempts.map((a) => `  ${a.method} ${a.url} -> ${describeOutcome(a)}`);
  return lines.filter((line, index) => line !== lines[index - 1]).join('\n');
}

/** `HTTP 404`, or `no answer (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9)`. */
export function describeOutcome(request: AuthRequest): string {
  const { status, errorCode, errorMessage } = request;
  if (status !== undefined || !errorMessage) return describeAnswer(request);
  // An error from another realm (a test's VM context) arrives as its String(): "Error: connect ECONNREFUSED …".
  const message = errorMessage.replace(/^\w*Error: /, '');
  const said = errorCode && !message.includes(errorCode) ? `${errorCode}: ${message}` : message;
  return `no answer (${said})`;
}

/** Whether any URL tried answered at all: when none did, what the SDK's client concluded is beside the point. */
function anyAnswered(attempts: AuthRequest[]): boolean {
  return attempts.some((a) => a.status !== undefined);
}

/**
 * How a discovery went, as lines of a finding: each URL tried and its outcome, then why nothing was found
 * (nothing answered, or what the SDK's client said), or why no URL was tried at all.
 */
export function describeDiscovery(attempts: AuthRequest[], problem: string | undefined, unreachable: string, noRequest: string): string[] {
  if (!attempts.length) return [`No URL was requested: the SDK's client could not ${noRequest} (${problem ?? 'no reason given'}).`];
  const lines = [`Tried:\n${describeAttempts(attempts)}`];
  if (!anyAnswered(attempts)) lines.push(`No URL answered: ${unreachable} could not be reached from here.`);
  else if (problem) lines.push(`The SDK's client says: ${problem}.`);
  return lines;
}

/**
 * What is wrong with a URL a server published, when it shows a template filled in badly:
 * `https://login.microsoftonline.com//v2.0` lost its tenant id. Such a URL still parses, and requests to
 * it fail in ways that hide why.
 */
export function describeMalformedUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const placeholder = /\{[^}]*\}|%7B[^/]*?%7D|\$\{[^}]*\}|<[^>]+>|%3C[^/]*?%3E/i.exec(url)?.[0];
  if (placeholder) return `\`${safelyDecoded(placeholder)}\` in ${url} is a placeholder that was never filled in.`;
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    return `${url} is not an absolute URL.`;
  }
  return pathname.includes('//') ? `\`//\` in ${url}: a path segment is empty — a tenant id or similar was not filled in.` : undefined;
}

export function quoteBody(request: AuthRequest | undefined, limit = 200): string {
  const body = request?.body?.replace(/\s+/g, ' ').trim();
  if (!body) return '';
  return `: ${body.length > limit ? `${body.slice(0, limit)}…` : body}`;
}

/** The anonymous request and its answer, as every posture finding opens. */
export function describeAnonymous({ auth }: CheckContext): string {
  const anonymous = auth?.anonymous;
  if (!anonymous) return 'The anonymous request was not made.';
  return `${anonymous.method === 'GET' ? 'Opening the event stream' : 'initialize'} without credentials was answered ${describeAnswer(anonymous)}`;
}

/** The field of a metadata document, when the document was JSON. */
export function field(document: MetadataDocument | undefined, name: string): unknown {
  return document?.document?.[name];
}

function safelyDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
