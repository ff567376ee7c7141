import type { AuthorizationServerDocument } from '../../session/auth-discovery.js';
import { finding, specUrl, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';
import { describeDiscovery, describeMalformedUrl, field, judgesPosture, postureSeverity, quoteBody } from '../support/auth.js';

const meta: CheckMeta = {
  id: 'auth.authorization-server-metadata',
  title: 'The authorization server publishes metadata MCP clients can use',
  severity: 'error',
  since: '2025-06-18',
  description:
    "Fetches the authorization server's RFC 8414 or OpenID Connect discovery document and checks its `issuer`, `token_endpoint` and `S256` in `code_challenge_methods_supported`; notes whether clients can register (dynamic client registration or client ID metadata documents).",
  why: 'MCP clients take every endpoint from this document, and refuse to start authorization without PKCE S256, which protects the authorization code from interception.',
  fix: 'Publish `/.well-known/oauth-authorization-server` (or `/.well-known/openid-configuration`) with an `issuer` identical to the URL in `authorization_servers`, a `token_endpoint`, and `"code_challenge_methods_supported": ["S256"]`.',
  specUrl: specUrl('2025-11-25', 'basic/authorization#authorization-server-metadata-discovery'),
};

export const authorizationServerMetadata: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => judgesPosture(context) && isNamed(context.auth?.authorizationServer),
  run(context) {
    const server = context.auth?.authorizationServer;
    if (!server?.url) return [notFound(context)];
    if (!server.document) {
      return [finding(meta, `${server.url} did not answer with a JSON object${quoteBody(server.attempts.findLast((a) => a.url === server.url))}`)];
    }
    return [...checkIssuer(context), ...checkTokenEndpoint(context), ...checkPkce(context), ...noteRegistration(context)];
  },
};

/** Each URL tried and its outcome, the network error of those that got no answer, and an issuer filled in badly. */
function notFound(context: CheckContext): Finding {
  const server = context.auth?.authorizationServer as AuthorizationServerDocument;
  const named =
    server.from === 'protected-resource metadata'
      ? ` named in ${context.auth?.resourceMetadata?.url ?? 'the protected-resource metadata'}`
      : ", the server's own origin";
  const malformed = describeMalformedUrl(server.issuer);
  const lines = [`No metadata was found for the authorization server ${server.issuer}${named}.`, ...(malformed ? [malformed] : [])];
  lines.push(...describeDiscovery(server.attempts, server.problem, 'the authorization server', 'make its discovery URLs from the issuer'));
  const hint = malformed
    ? `Correct the issuer in authorization_servers${server.from === 'protected-resource metadata' ? ' of the protected-resource metadata' : ''} (usually a tenant id or realm left empty in the configuration), then publish its metadata. ${meta.fix}`
    : undefined;
  return finding(meta, lines.join('\n'), { severity: postureSeverity(context, meta), ...(hint ? { hint } : {}) });
}

function checkIssuer(context: CheckContext): Finding[] {
  const server = context.auth?.authorizationServer;
  const issuer = field(server, 'issuer');
  if (typeof issuer === 'string' && sameIssuer(issuer, server?.issuer ?? '')) return [];
  return [
    finding(
      meta,
      `${server?.url} says "issuer": ${JSON.stringify(issuer) ?? 'nothing'}, but it was looked up for ${server?.issuer}. Clients must reject metadata whose issuer differs (RFC 8414 section 3.3): it may be an impostor's.`,
      {
        hint: `Make "issuer" exactly "${server?.issuer}", or list the real issuer in the protected-resource metadata's authorization_servers.`,
      },
    ),
  ];
}

function checkTokenEndpoint(context: CheckContext): Finding[] {
  const server = context.auth?.authorizationServer;
  if (typeof field(server, 'token_endpoint') === 'string') return [];
  return [finding(meta, `${server?.url} has no "token_endpoint": clients have nowhere to exchange a code or credentials for a token.`)];
}

function checkPkce(context: CheckContext): Finding[] {
  const server = context.auth?.authorizationServer;
  const methods = field(server, 'code_challenge_methods_supported');
  if (Array.isArray(methods) && methods.includes('S256')) return [];
  const found = methods === undefined ? 'has no "code_challenge_methods_supported"' : `says "code_challenge_methods_supported": ${JSON.stringify(methods)}`;
  return [finding(meta, `${server?.url} ${found}. MCP clients require S256 PKCE and refuse to start authorization without it.`)];
}

/** Clients that are not registered in advance need dynamic client registration or client ID metadata documents. */
function noteRegistration(context: CheckContext): Finding[] {
  const server = context.auth?.authorizationServer;
  const registers = typeof field(server, 'registration_endpoint') === 'string' || field(server, 'client_id_metadata_document_supported') === true;
  if (registers) return [];
  return [
    finding(
      meta,
      `${server?.url} offers neither a "registration_endpoint" (dynamic client registration) nor "client_id_metadata_document_supported": true. Only clients registered in advance can sign in.`,
      {
        severity: 'notice',
        hint: 'If any MCP client should be able to connect, enable dynamic client registration or client ID metadata documents on the authorization server.',
      },
    ),
  ];
}

/**
 * The server's origin is only a guess (the 2025-03-26 fallback) made for the token request: it is judged
 * if it serves metadata; otherwise auth.protected-resource-metadata already says what is missing.
 */
function isNamed(server: AuthorizationServerDocument | undefined): boolean {
  return server !== undefined && (server.from === 'protected-resource metadata' || server.url !== undefined);
}

/** RFC 8414 wants identical strings; one trailing slash is tolerated, as the SDK's client does. */
function sameIssuer(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '');
}
