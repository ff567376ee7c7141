import { fetchToken, selectClientAuthMethod, ClientCredentialsProvider, OAuthError, type AuthorizationServerMetadata } from '@modelcontextprotocol/client';
import type { OAuthClient } from '../settings.js';
import { isLoopback } from '../util/loopback.js';
import type { HttpLimits } from '../util/http/request.js';
import { recordingAuthFetch, type AuthRequest } from './auth-requests.js';

/** The client-credentials token request and its outcome; never the token itself. */
export interface TokenOutcome {
  acquired: boolean;
  tokenEndpoint?: string;
  /** How the gate came by the token endpoint. */
  tokenEndpointFrom?: 'oauth-token-url' | 'authorization-server metadata';
  /** The RFC 8707 resource indicator sent: the MCP server the token is for. */
  resource: string;
  scope?: string;
  clientAuthentication?: string;
  /** The POST to the token endpoint and what it answered. */
  request?: AuthRequest;
  expiresInS?: number;
  grantedScope?: string;
  /** Why there is no token: how far discovery got, or the authorization server's error. */
  error?: string;
  /** Set when the gate kept the client secret back: the endpoint is not one the user approved. */
  refused?: { reason: string; allow: string };
}

export interface TokenRequest {
  oauth: OAuthClient;
  /** The authorization server's URL: the issuer from the protected-resource metadata, or the token URL's origin. */
  issuer: string;
  /** How the gate came by the issuer: it is the origin a discovered token endpoint must share. */
  issuerFrom?: 'protected-resource metadata' | 'server origin';
  metadata?: AuthorizationServerMetadata;
  resource: string;
  scope?: string;
  limits: HttpLimits;
}

/**
 * The OAuth client-credentials grant through the SDK's own client: `grant_type=client_credentials`, the
 * scope, the resource indicator, and client_secret_basic unless the metadata accepts only client_secret_post.
 */
export async function requestToken(request: TokenRequest): Promise<{ outcome: TokenOutcome; accessToken?: string; secrets: string[] }> {
  const { oauth, issuer, resource, scope, limits } = request;
  const metadata = tokenMetadata(request);
  const outcome: TokenOutcome = {
    acquired: false,
    resource,
    scope,
    tokenEndpoint: metadata?.token_endpoint,
    tokenEndpointFrom: oauth.tokenUrl ? 'oauth-token-url' : 'authorization-server metadata',
  };
  if (!metadata) return { outcome: { ...outcome, tokenEndpointFrom: undefined, error: 'no token endpoint was found' }, secrets: [] };
  const refused = refuseTokenEndpoint(metadata.token_endpoint, request);
  if (refused) return { outcome: { ...outcome, refused, error: refused.reason }, secrets: [] };
  const client = { client_id: oauth.clientId, client_secret: oauth.clientSecret };
  outcome.clientAuthentication = selectClientAuthMethod(client, metadata.token_endpoint_auth_methods_supported ?? []);
  const provider = new ClientCredentialsProvider({ clientId: oauth.clientId, clientSecret: oauth.clientSecret, scope, expectedIssuer: issuer });
  const log: AuthRequest[] = [];
  try {
    const tokens = await fetchToken(provider, issuer, { metadata, resource, fetchFn: recordingAuthFetch(log, limits) });
    // The answer's body holds the tokens: the evidence keeps its status only.
    const answer = { ...outcome, acquired: true, request: withoutBody(log.at(-1)), expiresInS: tokens.expires_in, grantedScope: tokens.scope };
    const secrets = [tokens.access_token, tokens.refresh_token, tokens.id_token].filter((s): s is string => Boolean(s));
    return { outcome: answer, accessToken: tokens.access_token, secrets };
  } catch (error) {
    return { outcome: { ...outcome, request: log.at(-1), error: describeTokenError(error) }, secrets: [] };
  }
}

/**
 * The metadata the SDK's token request reads its endpoint and client authentication methods from. With
 * `oauth-token-url` the endpoint is the input's; without discovered metadata, a stand-in that names only
 * that endpoint makes the SDK use client_secret_basic, the RFC 8414 default.
 */
function tokenMetadata({ oauth, metadata }: TokenRequest): AuthorizationServerMetadata | undefined {
  if (!oauth.tokenUrl) return metadata;
  const standIn = { issuer: oauth.tokenUrl.origin, authorization_endpoint: oauth.tokenUrl.href, response_types_supported: ['code'] };
  return { ...(metadata ?? standIn), token_endpoint: oauth.tokenUrl.href };
}

/**
 * Why the client secret must not go to `endpoint`, before anything is sent: it goes only over https (or
 * to loopback), and only to the origin of the token URL the user gave or of the authorization server the
 * MCP server's metadata names. A metadata document can name any URL; following it blindly hands the
 * secret to whoever wrote the document.
 */
export function refuseTokenEndpoint(
  endpoint: string,
  { oauth, issuer, issuerFrom }: Pick<TokenRequest, 'oauth' | 'issuer' | 'issuerFrom'>,
): TokenOutcome['refused'] {
  const url = parseUrl(endpoint);
  const approved = parseUrl(issuer);
  if (!url)
    return { reason: `the token endpoint "${endpoint}" is not an absolute URL`, allow: "Set `oauth-token-url` to the authorization server's token endpoint." };
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) {
    return {
      reason: `${endpoint} is not https: the client secret would cross the network readable by anyone on the path`,
      allow: 'Serve the token endpoint over https (plain http is accepted on loopback only), and name it in the metadata or in `oauth-token-url`.',
    };
  }
  if (oauth.tokenUrl || url.origin === approved?.origin) return undefined;
  const named = issuerFrom === 'protected-resource metadata' ? 'the authorization server the protected-resource metadata names' : 'the MCP server';
  return {
    reason: `${endpoint} is on another origin than ${named} (${approved?.origin ?? issuer}), so nothing says the server's owner trusts it with the client secret`,
    allow: `If you trust that endpoint, set \`oauth-token-url: ${endpoint}\`; otherwise fix token_endpoint in the authorization server's metadata.`,
  };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function withoutBody(request: AuthRequest | undefined): AuthRequest | undefined {
  return request && { ...request, body: undefined };
}

/** "invalid_client: client authentication failed", in the authorization server's own words. */
function describeTokenError(error: unknown): string {
  const code = error instanceof OAuthError ? error.code : undefined;
  const message = (error as Error)?.message ?? String(error);
  return typeof code === 'string' && code !== 'server_error' ? `${code}${message ? `: ${message}` : ''}` : message;
}
