import { randomBytes, randomUUID } from 'node:crypto';
import { checkResourceAllowed, resourceUrlFromServerUrl } from '@modelcontextprotocol/client';
import { httpLimitsOf, type OAuthClient, type Settings } from '../settings.js';
import type { Masker } from '../util/masker.js';
import {
  findAuthorizationServerMetadata,
  findResourceMetadata,
  parseChallenge,
  type AuthorizationServerDocument,
  type Challenge,
  type MetadataDocument,
} from './auth-discovery.js';
import { openEventStream, sendInitialize, type InitializeProbe } from './auth-requests.js';
import { refusesHost } from './http-answer.js';
import { requestToken, type TokenOutcome } from './auth-token.js';

/** What the gate learnt about how the server is protected, before and while it connected (HTTP only). */
export interface AuthProbe {
  /** What a client without credentials gets: initialize (HTTP+SSE: the event stream) sent with none of the gate's headers. */
  anonymous: InitializeProbe;
  /** The anonymous request was refused with 401 or 403, and not by a Host or Origin allow-list. */
  demandsCredentials: boolean;
  challenge?: Challenge;
  resourceMetadata?: MetadataDocument;
  authorizationServer?: AuthorizationServerDocument;
  /** The client-credentials grant, with oauth-client-id and oauth-client-secret. */
  token?: TokenOutcome;
  /** initialize with a well-formed bearer token that no authorization server issued. */
  invalidToken?: InitializeProbe;
  /** initialize with the gate's own token in the query string, and no Authorization header. */
  queryToken?: InitializeProbe;
}

export interface Authorization {
  /** The settings every later request uses: with an acquired token, it is their Authorization header. */
  settings: Settings;
  /** False when the OAuth token could not be had: connecting without it would only be refused again. */
  canConnect: boolean;
  /** The probe, finished while the gate connects; undefined for a stdio server. */
  probe: Promise<AuthProbe | undefined>;
}

/**
 * The optional requests of the probe, each sent only when the engine says a check wants its answer (a check
 * skipped or turned off in the configuration file gets none of its requests sent). The probe knows no check.
 */
export interface TokenProbes {
  /** initialize with a well-formed bearer token that no authorization server issued (`AuthProbe.invalidToken`). */
  forgedToken: boolean;
  /** initialize with the gate's own acquired token in the query string (`AuthProbe.queryToken`). */
  tokenInQuery: boolean;
}

export interface AuthTarget {
  settings: Settings;
  url?: URL;
  wanted: TokenProbes;
  masker: Masker;
  /** Told about the acquired token as soon as it exists, before anything could print it. */
  onSecret?: (secret: string) => void;
}

/** Statuses on which an HTTP+SSE server may be what answered the POST, so the anonymous GET is tried too. */
const NOT_STREAMABLE_HTTP = new Set([400, 404, 405]);

/**
 * Learns how the server is protected and, with oauth-client-* inputs, acquires the token the whole checklist
 * then carries. Only the token request has to finish before connecting; the rest runs alongside.
 */
export async function prepareAuthorization({ settings, url, wanted, masker, onSecret }: AuthTarget): Promise<Authorization> {
  if (!url || settings.command) return { settings, canConnect: true, probe: Promise.resolve(undefined) };
  if (!settings.oauth) return { settings, canConnect: true, probe: discover(settings, url).then((probe) => probeTokens(settings, url, wanted, probe)) };
  const probe = await discover(settings, url);
  const { accessToken, secrets } = await acquireToken(settings.oauth, settings, url, probe);
  if (!accessToken) return { settings, canConnect: false, probe: probeTokens(settings, url, wanted, probe) };
  for (const secret of secrets) {
    masker.add(secret);
    onSecret?.(secret);
  }
  const authorized = { ...settings, headers: { ...withoutAuthorization(settings.headers), Authorization: `Bearer ${accessToken}` } };
  return { settings: authorized, canConnect: true, probe: probeTokens(settings, url, wanted, probe, accessToken) };
}

/**
 * The client-credentials grant, the way MCP clients fill in what they are not told: the authorization
 * server and resource from the metadata, the scope from the challenge or the metadata. Recorded in `probe.token`.
 */
async function acquireToken(oauth: OAuthClient, settings: Settings, url: URL, probe: AuthProbe): Promise<{ accessToken?: string; secrets: string[] }> {
  const { outcome, accessToken, secrets } = await requestToken({
    oauth,
    issuer: probe.authorizationServer?.issuer ?? oauth.tokenUrl?.origin ?? url.origin,
    issuerFrom: probe.authorizationServer?.from ?? 'server origin',
    metadata: probe.authorizationServer?.parsed,
    resource: resourceFor(url, probe.resourceMetadata),
    scope: oauth.scope ?? probe.challenge?.scope ?? scopesSupported(probe.resourceMetadata),
    limits: httpLimitsOf(settings),
  });
  probe.token = outcome.error && !outcome.tokenEndpoint ? { ...outcome, error: explainMissingEndpoint(outcome.error, probe) } : outcome;
  return { accessToken, secrets };
}

/** The anonymous request and, where someone needs them, the metadata documents it leads to. */
async function discover(settings: Settings, url: URL): Promise<AuthProbe> {
  const limits = httpLimitsOf(settings);
  const anonymous = await requestAnonymously(settings, url);
  const probe: AuthProbe = {
    anonymous,
    demandsCredentials: (anonymous.status === 401 || anonymous.status === 403) && !refusesHost(anonymous),
    challenge: parseChallenge(anonymous.wwwAuthenticate),
  };
  const judged = probe.demandsCredentials && settings.expectAuth !== 'false';
  // With oauth-client-*, the documents also give the token request its endpoint, resource and scope.
  if (!judged && !settings.oauth) return probe;
  probe.resourceMetadata = await findResourceMetadata(url, probe.challenge?.resourceMetadata, limits);
  const advertised = firstAuthorizationServer(probe.resourceMetadata);
  // Without protected-resource metadata, clients of the 2025-03-26 revision take the server's origin as the authorization server.
  const issuer = advertised ?? (settings.oauth && !settings.oauth.tokenUrl ? url.origin : undefined);
  if (issuer) {
    probe.authorizationServer = await findAuthorizationServerMetadata(issuer, advertised ? 'protected-resource metadata' : 'server origin', limits);
  }
  return probe;
}

/** POST initialize with no credentials; an HTTP+SSE server is asked with GET, as its clients would. */
async function requestAnonymously(settings: Settings, url: URL): Promise<InitializeProbe> {
  const limits = httpLimitsOf(settings);
  if (settings.transport === 'sse') return openEventStream(url, {}, limits);
  const posted = await sendInitialize(url, {}, limits);
  if (settings.transport === 'auto' && posted.status !== undefined && NOT_STREAMABLE_HTTP.has(posted.status)) {
    const streamed = await openEventStream(url, {}, limits);
    if (streamed.status !== undefined && !NOT_STREAMABLE_HTTP.has(streamed.status)) return streamed;
  }
  return posted;
}

/**
 * On a server that demands credentials: whether it refuses a token no one issued, and whether it takes the
 * gate's own token from the query string. The second only with a token the gate acquired itself: it is
 * short-lived, where a long-lived bearer-token could end up in the server's access logs.
 */
async function probeTokens(settings: Settings, url: URL, wanted: TokenProbes, probe: AuthProbe, acquiredToken?: string): Promise<AuthProbe> {
  if (!probe.demandsCredentials) return probe;
  const limits = httpLimitsOf(settings);
  const forged = forgeToken(probe.authorizationServer?.parsed?.issuer, resourceFor(url, probe.resourceMetadata), probe.challenge?.scope);
  const [invalidToken, queryToken] = await Promise.all([
    wanted.forgedToken ? sendInitialize(url, { Authorization: `Bearer ${forged}` }, limits) : undefined,
    acquiredToken && wanted.tokenInQuery
      ? sendInitialize(withQueryToken(url, acquiredToken), {}, limits, `${url.href}${url.search ? '&' : '?'}access_token=<token>`)
      : undefined,
  ]);
  return { ...probe, invalidToken, queryToken };
}

/**
 * A token shaped like the JWT access tokens authorization servers issue, for this server and in date, but
 * signed by no one: a server that checks signatures refuses it.
 */
function forgeToken(issuer: string | undefined, audience: string, scope: string | undefined): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = { alg: 'RS256', typ: 'at+jwt', kid: 'mcp-preflight-unknown-key' };
  const claims = {
    iss: issuer ?? 'https://mcp-preflight.invalid',
    aud: audience,
    sub: 'mcp-preflight',
    client_id: 'mcp-preflight',
    scope,
    iat: now,
    exp: now + 300,
    jti: randomUUID(),
  };
  return `${part(header)}.${part(claims)}.${randomBytes(256).toString('base64url')}`;
}

/**
 * The RFC 8707 resource indicator: the server's URL, or the metadata's `resource` when it covers that URL,
 * which is what the SDK's client sends and what authorization servers are configured with.
 */
function resourceFor(url: URL, metadata: MetadataDocument | undefined): string {
  const resource = resourceUrlFromServerUrl(url);
  const advertised = metadata?.document?.resource;
  if (typeof advertised !== 'string') return resource.href;
  try {
    return checkResourceAllowed({ requestedResource: resource, configuredResource: advertised }) ? advertised : resource.href;
  } catch {
    return resource.href;
  }
}

function firstAuthorizationServer(metadata: MetadataDocument | undefined): string | undefined {
  const servers = metadata?.document?.authorization_servers;
  return Array.isArray(servers) && typeof servers[0] === 'string' ? servers[0] : undefined;
}

function scopesSupported(metadata: MetadataDocument | undefined): string | undefined {
  const scopes = metadata?.document?.scopes_supported;
  return Array.isArray(scopes) && scopes.length ? scopes.join(' ') : undefined;
}

/** Says which step of discovery stopped, so "no token endpoint" names the document to fix. */
function explainMissingEndpoint(error: string, probe: AuthProbe): string {
  const steps = [
    probe.resourceMetadata?.problem && `the protected-resource metadata could not be used (${probe.resourceMetadata.problem})`,
    probe.authorizationServer?.problem &&
      `the authorization server ${probe.authorizationServer.issuer} published no usable metadata (${probe.authorizationServer.problem})`,
  ].filter(Boolean);
  return `${error}: ${steps.length ? steps.join('; ') : 'the server named no authorization server'}`;
}

function withQueryToken(url: URL, token: string): URL {
  const copy = new URL(url);
  copy.searchParams.set('access_token', token);
  return copy;
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}
