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
  return settings.expectAuth === 'true' || settings.oauth !== undefined || auth?.challenge?.resourceMetadata !== undefined || auth?.resourceMetadata?.url !== undefined;
}

/** The check's own severity for a server that takes part in MCP authorization, a notice otherwise. */
export function postureSeverity(context: CheckContext, meta: CheckMeta): Severity {
  return takesPartInMcpAuthorization(context) ? meta.severity : 'notice';
}

/** "GET https://…/.well-known/oauth-protected-resource/mcp -> HTTP 404", for each URL tried. */
export function describeAttempts(attempts: AuthRequest[]): string {
  return attempts.map((a) => `${a.method} ${a.url} -> ${describeAnswer(a)}`).join('; ');
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
