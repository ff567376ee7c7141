import { finding, specUrl, type Check, type CheckContext, type CheckMeta, type Finding } from '../types.js';
import { isLoopback } from '../../util/loopback.js';
import { field } from '../support/auth.js';

const meta: CheckMeta = {
  id: 'auth.https',
  title: 'The server and its authorization endpoints use HTTPS',
  severity: 'error',
  since: '2025-03-26',
  description: "Flags plain `http://` URLs on hosts other than loopback: the MCP URL, the metadata URLs, and the authorization server's issuer and endpoints.",
  why: 'Over plain http, anyone on the network path can read tokens and client secrets, or send clients to an impostor authorization server.',
  fix: 'Serve the MCP endpoint and every authorization endpoint over https; plain http is only acceptable on 127.0.0.1 or localhost. On a private network, turn this check down in the configuration file (`severity: { "auth.https": "warning" }`).',
  specUrl: specUrl('2025-11-25', 'basic/authorization#communication-security'),
};

const AUTHORIZATION_SERVER_FIELDS = ['issuer', 'authorization_endpoint', 'token_endpoint', 'registration_endpoint'];

export const https: Check = {
  meta,
  stage: 'probe',
  appliesTo: (context) => context.targetUrl !== undefined && context.settings.command === undefined,
  run(context) {
    return [...checkServer(context), ...checkAuthorizationUrls(context)];
  },
};

/** The server itself: an error when credentials travel to it, a warning when none do. */
function checkServer(context: CheckContext): Finding[] {
  const url = context.targetUrl as URL;
  if (!isPlainHttp(url.href)) return [];
  const credentials = context.auth?.demandsCredentials || context.settings.oauth !== undefined || Object.keys(context.settings.headers).length > 0;
  const exposed = credentials ? 'the credentials sent to it' : 'every request and answer';
  return [
    finding(meta, `The MCP server is at ${url.href}: plain http on a host other than loopback exposes ${exposed} to anyone on the network path.`, {
      severity: credentials ? 'error' : 'warning',
    }),
  ];
}

function checkAuthorizationUrls(context: CheckContext): Finding[] {
  const plain = authorizationUrls(context).filter(({ url }) => isPlainHttp(url));
  if (!plain.length) return [];
  const listed = plain.map(({ name, url }) => `${name} ${url}`).join('; ');
  return [
    finding(
      meta,
      `These authorization URLs use plain http on a host other than loopback: ${listed}. Tokens, codes and client secrets would cross the network unencrypted.`,
    ),
  ];
}

/** Every URL a client sends credentials to or trusts for where to send them, with where the gate saw it. */
function authorizationUrls({ auth, settings }: CheckContext): { name: string; url: string }[] {
  const urls: { name: string; url: string }[] = [];
  if (settings.oauth?.tokenUrl) urls.push({ name: 'oauth-token-url', url: settings.oauth.tokenUrl.href });
  if (auth?.challenge?.resourceMetadata) urls.push({ name: "the challenge's resource_metadata", url: auth.challenge.resourceMetadata });
  const servers = field(auth?.resourceMetadata, 'authorization_servers');
  for (const server of Array.isArray(servers) ? servers : []) {
    if (typeof server === 'string') urls.push({ name: 'authorization_servers entry', url: server });
  }
  for (const name of AUTHORIZATION_SERVER_FIELDS) {
    const value = field(auth?.authorizationServer, name);
    if (typeof value === 'string') urls.push({ name: `authorization-server metadata ${name}`, url: value });
  }
  return urls;
}

function isPlainHttp(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' && !isLoopback(url);
  } catch {
    return false;
  }
}
