import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
  type AuthorizationServerMetadata,
} from '@modelcontextprotocol/client';
import type { HttpLimits } from '../util/http/request.js';
import { recordingAuthFetch, type AuthRequest } from './auth-requests.js';

/** The `WWW-Authenticate` header of a refusal, and what MCP clients read from it. */
export interface Challenge {
  header: string;
  /** It offers the Bearer scheme, the one MCP clients speak. */
  bearer: boolean;
  resourceMetadata?: string;
  scope?: string;
  error?: string;
}

/** A metadata document as an MCP client looks for it: every URL tried, and what it found. */
export interface MetadataDocument {
  /** Each URL tried, in order, and what it answered. */
  attempts: AuthRequest[];
  /** The URL that served the document. */
  url?: string;
  /** The document as JSON, when it was JSON. */
  document?: Record<string, unknown>;
  /** Why an MCP client could not use it, as the SDK's client saw it: not found, not JSON, not the expected shape. */
  problem?: string;
}

export interface AuthorizationServerDocument extends MetadataDocument {
  /** The authorization server's issuer URL the metadata was looked up for. */
  issuer: string;
  /** How the gate came by that URL. */
  from: 'protected-resource metadata' | 'server origin';
  /** The metadata as the SDK parsed it, for the token request. */
  parsed?: AuthorizationServerMetadata;
}

export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const params = extractWWWAuthenticateParams(new Response(null, { headers: { 'www-authenticate': header } }));
  return {
    header,
    bearer: /(^|,)\s*Bearer(\s|,|$)/i.test(header),
    resourceMetadata: params.resourceMetadataUrl?.href ?? quotedParam(header, 'resource_metadata'),
    scope: params.scope,
    error: params.error,
  };
}

/**
 * RFC 9728 protected-resource metadata, found the way the SDK's client finds it: at the challenge's
 * `resource_metadata` URL, else at `/.well-known/oauth-protected-resource` plus the MCP path, else at the root.
 */
export async function findResourceMetadata(serverUrl: URL, resourceMetadataUrl: string | undefined, limits: HttpLimits): Promise<MetadataDocument> {
  const attempts: AuthRequest[] = [];
  try {
    await discoverOAuthProtectedResourceMetadata(serverUrl, { resourceMetadataUrl }, recordingAuthFetch(attempts, limits));
    return documentFrom(attempts);
  } catch (error) {
    return { ...documentFrom(attempts), problem: describeProblem(error) };
  }
}

/** RFC 8414 authorization-server metadata, or OpenID Connect discovery, in the order the SDK's client tries them. */
export async function findAuthorizationServerMetadata(
  issuer: string,
  from: AuthorizationServerDocument['from'],
  limits: HttpLimits,
): Promise<AuthorizationServerDocument> {
  const attempts: AuthRequest[] = [];
  try {
    const parsed = await discoverAuthorizationServerMetadata(issuer, { fetchFn: recordingAuthFetch(attempts, limits) });
    const found = documentFrom(attempts);
    return parsed ? { ...found, issuer, from, parsed } : { ...found, issuer, from, problem: 'no metadata document at any of the URLs tried' };
  } catch (error) {
    return { ...documentFrom(attempts), issuer, from, problem: describeProblem(error) };
  }
}

function documentFrom(attempts: AuthRequest[]): MetadataDocument {
  const served = attempts.findLast((a) => a.status !== undefined && a.status >= 200 && a.status < 300);
  if (!served) return { attempts };
  try {
    const document = JSON.parse(served.body ?? '') as unknown;
    return { attempts, url: served.url, document: isObject(document) ? document : undefined };
  } catch {
    return { attempts, url: served.url };
  }
}

/** The SDK's own words, made readable: a schema failure lists each field and what is wrong with it. */
function describeProblem(error: unknown): string {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] })?.issues;
  if (Array.isArray(issues)) {
    return `it does not have the expected shape: ${issues.map((i) => `${i.path.map(String).join('.') || '(document)'}: ${i.message}`).join('; ')}`;
  }
  if (error instanceof SyntaxError) return `it is not valid JSON (${error.message})`;
  return (error as Error)?.message ?? String(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A `resource_metadata` that is not an absolute URL is still quoted as the server sent it. */
function quotedParam(header: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`).exec(header)?.[1];
}
